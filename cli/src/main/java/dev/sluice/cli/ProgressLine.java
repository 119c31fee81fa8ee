package dev.sluice.cli;

import dev.sluice.core.checkpoint.TableProgress.Phase;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.core.snapshot.TableStatus;

/**
 * One line that says what a pipeline is doing: while snapshotting, chunks done of the chunks known
 * (the total is known once planning ends) and rows read; then events written, rows/s and lag.
 */
final class ProgressLine {
  private long lastEvents;
  private long lastNanos = System.nanoTime();

  private static String formatSeconds(long s) {
    return s >= 3600 ? s / 3600 + "h" + (s % 3600) / 60 + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
  }

  String render(PipelineStatus s) {
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
    long rate = Math.round((s.eventsWritten() - lastEvents) / seconds);
    lastEvents = s.eventsWritten();
    lastNanos = now;
    StringBuilder line = new StringBuilder(s.pipeline()).append(' ').append(s.state().name().toLowerCase());
    for (TableStatus t : s.tables()) {
      if (t.phase() == Phase.SNAPSHOT) {
        long known = t.chunksDone() + t.chunksInHand();
        line.append(" | ").append(t.table()).append(' ').append(t.chunksDone()).append('/')
            .append(known).append(t.planComplete() ? "" : "+").append(" chunks, ").append(t.rowsRead()).append(" rows");
        if (t.estimatedRows() > 0) {
          long pct = Math.min(99, 100 * t.rowsRead() / t.estimatedRows());
          line.append(" (~").append(pct).append("%");
          if (rate > 0 && t.rowsRead() < t.estimatedRows()) {
            line.append(", ETA ").append(formatSeconds((t.estimatedRows() - t.rowsRead()) / rate));
          }
          line.append(')');
        }
      }
    }
    line.append(" | ").append(s.eventsWritten()).append(" events, ").append(rate).append("/s");
    if (s.lagMillis() >= 0) {
      line.append(", lag ").append(s.lagMillis()).append(" ms");
    }
    if (s.error() != null) {
      line.append(" | error: ").append(s.error());
    }
    return line.toString();
  }
}
