package dev.sluice.cli;

/** A refusal of the REST API with its HTTP status; the message says what is wrong and how to fix it. */
final class ApiException extends RuntimeException {
  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
