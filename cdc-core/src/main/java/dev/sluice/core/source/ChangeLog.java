package dev.sluice.core.source;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A source's change log opened at a position: the one log reader of a pipeline. Polled by one
 * thread only.
 */
public interface ChangeLog extends AutoCloseable {

  /**
   * The next events, waiting up to {@code timeout} when none are ready. Never returns {@code null}.
   *
   * @throws InterruptedException when the polling thread is interrupted (the pipeline stops)
   */
  LogBatch poll(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Connector state to store with a checkpoint whose position is that of the last batch returned
   * (for Debezium: its offsets and schema history). Handed back to {@link Source#openLog}.
   */
  default Map<String, String> state() {
    return Map.of();
  }

  /**
   * Tells the log that everything up to the last batch returned before this call is durable in the
   * sink, so the source may release it (acknowledge to the server, advance a replication slot).
   */
  default void committed() {}

  @Override
  void close();
}
