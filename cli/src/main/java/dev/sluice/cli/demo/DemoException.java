package dev.sluice.cli.demo;

/** A demo step that cannot go on, with a message that says what to do; printed without a stack. */
final class DemoException extends RuntimeException {
  DemoException(String message) {
    super(message);
  }

  DemoException(String message, Throwable cause) {
    super(message, cause);
  }
}
