package dev.sluice.core;

/**
 * The root of Sluice's small exception hierarchy. The runtime decides retry versus fail from the
 * subclass alone: {@link ConnectionException} is retried with backoff, everything else stops the
 * pipeline. Messages name what failed, where (pipeline, table, option, position) and how to fix it.
 */
public abstract class SluiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected SluiceException(String message) {
    super(message);
  }

  protected SluiceException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether retrying the same work later may succeed. */
  public abstract boolean retriable();

  /** Bad or inconsistent configuration (pipeline file, options, a checkpoint of another pipeline). */
  public static final class ConfigurationException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
      super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public boolean retriable() {
      return false;
    }
  }

  /** A server could not be reached or dropped the connection; retried by the runtime. */
  public static final class ConnectionException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public ConnectionException(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public boolean retriable() {
      return true;
    }
  }

  /** Data that cannot be converted or written (a value out of range, a type the sink cannot hold). */
  public static final class DataException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
      super(message);
    }

    public DataException(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public boolean retriable() {
      return false;
    }
  }

  /** A broken invariant inside Sluice: a bug, reported with the state that shows it. */
  public static final class InternalException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public InternalException(String message) {
      super(message);
    }

    public InternalException(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public boolean retriable() {
      return false;
    }
  }
}
