package dev.sluice.core.snapshot;

import dev.sluice.core.event.TableId;

/**
 * One table's snapshot at a glance: its phase, chunks finished, chunks in hand (pending, reading or
 * buffered), whether planning is complete, the chunks in all, rows read, and the table's estimated
 * rows from the source's statistics (-1 until known), for a percentage and an ETA.
 *
 * @param chunksTotal once planning is complete, chunks done plus in hand (a read cut at the chunk
 *     bound adds one more); before, an estimate ({@link #chunksTotalEstimated()}) from the estimated
 *     rows and the chunk size, never below the chunks already known; -1 while nothing is known
 */
public record TableStatus(TableId table, Phase phase, long chunksDone, long chunksInHand, boolean planComplete,
    long rowsRead, long estimatedRows, long chunksTotal) {

  /** Where a table is, as status and metrics show it. */
  public enum Phase {
    /**
     * In snapshot, its first chunk not planned yet: it waits for a chunk reader, or the key-space
     * and first boundary queries run. Later planning runs alongside the reads, in {@link #SNAPSHOT}.
     */
    PLANNING,
    /** Chunks are read and reconciled with the log; the planner may still be cutting more. */
    SNAPSHOT,
    /** Every change of the table goes straight from the log to the sink. */
    STREAMING
  }

  /** Whether {@link #chunksTotal} is an estimate: the table is in snapshot and its planning is not complete. */
  public boolean chunksTotalEstimated() {
    return phase != Phase.STREAMING && !planComplete;
  }
}
