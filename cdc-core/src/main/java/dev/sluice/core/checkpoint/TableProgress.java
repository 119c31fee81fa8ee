package dev.sluice.core.checkpoint;

import dev.sluice.core.event.Key;
import dev.sluice.core.source.KeyRange;
import java.util.List;
import java.util.Objects;

/**
 * How far one table's snapshot got. {@code cursor} is the upper bound of the last planned chunk
 * ({@code null} before planning started); everything at or below it that is not in {@code finished}
 * is read again after a restart, and nothing in {@code finished} ever is. {@code finished} holds
 * merged ranges, so it stays a handful of entries however big the table.
 */
public record TableProgress(Phase phase, Key cursor, boolean planComplete, List<KeyRange> finished) {

  public enum Phase {
    /** Chunks are still being planned or read. */
    SNAPSHOT,
    /** Every chunk is finished; the table follows the log only. */
    STREAMING
  }

  public static final TableProgress NOT_STARTED = new TableProgress(Phase.SNAPSHOT, null, false, List.of());
  public static final TableProgress STREAMING = new TableProgress(Phase.STREAMING, null, true, List.of());

  public TableProgress {
    Objects.requireNonNull(phase, "phase");
    finished = List.copyOf(finished);
  }
}
