package dev.sluice.source.debezium;

import dev.sluice.core.SluiceException.ConnectionException;
import java.time.Duration;

/**
 * Turns a reader that has gone quiet into a connection error. A connector whose server sends
 * heartbeats on an idle connection delivers records at least that often while it is connected, so
 * a log that found nothing to poll and has heard nothing for much longer than that has lost its
 * connection without noticing (a half-open socket). Armed by the first record, since starting
 * (connecting, recovering schema history) takes a while and delivers nothing.
 */
final class ReaderSilence {
  private final long limitNanos;
  private volatile long lastHeard;

  /** @param limit how long a connected reader may stay silent; {@code null} never complains */
  ReaderSilence(Duration limit) {
    this.limitNanos = limit == null ? 0 : limit.toNanos();
  }

  /** Records arrived at {@code nanos} (a {@link System#nanoTime()} value). */
  void heard(long nanos) {
    lastHeard = nanos == 0 ? 1 : nanos;
  }

  /**
   * A poll at {@code nanos} found nothing.
   *
   * @throws ConnectionException when the reader has been silent beyond the limit
   */
  void check(long nanos, String log) {
    long last = lastHeard;
    if (limitNanos > 0 && last != 0 && nanos - last > limitNanos) {
      throw new ConnectionException("the change log " + log + " delivered nothing for "
          + Duration.ofNanos(nanos - last).toSeconds() + " s although its server sends heartbeats far more often; "
          + "taking the connection as lost", null);
    }
  }
}
