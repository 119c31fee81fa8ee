package dev.sluice.cli;

import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.core.snapshot.TableStatus;

/**
 * One line that says what a pipeline is doing: per table still planning, that it is; per table in
 * snapshot, chunks done of the total (~ while it is an estimate) and rows read; then events written,
 * events/s and lag.
 */
final class ProgressLine {

  private static String formatSeconds(long s) {
    return s >= 3600 ? s / 3600 + "h" + (s % 3600) / 60 + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
  }

  String render(PipelineStatus s) {
    long rate = Math.round(s.eventsPerSecond());
    StringBuilder line = new StringBuilder(s.pipeline()).append(' ').append(s.state().name().toLowerCase());
    for (TableStatus t : s.tables()) {
      if (t.phase() == TableStatus.Phase.PLANNING) {
        line.append(" | ").append(t.table()).append(" planning");
      } else if (t.phase() == TableStatus.Phase.SNAPSHOT) {
        line.append(" | ").append(t.table()).append(' ').append(t.chunksDone()).append('/')
            .append(t.chunksTotal() < 0 ? "?" : (t.chunksTotalEstimated() ? "~" : "") + t.chunksTotal())
            .append(" chunks, ").append(t.rowsRead()).append(" rows");
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
