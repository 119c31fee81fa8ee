package dev.sluice.testsupport;

/**
 * No endpoint could be found or started for a test server. The message says how to provide one;
 * tests are meant to fail with it, never to be skipped.
 */
public final class TestServerUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public TestServerUnavailableException(String message) {
        super(message);
    }

    public TestServerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
