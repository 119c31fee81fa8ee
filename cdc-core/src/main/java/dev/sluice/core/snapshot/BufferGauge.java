package dev.sluice.core.snapshot;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the rows and bytes the snapshot holds in memory, and the most it ever held, so the bound
 * of {@link SnapshotOptions} is observable (and asserted in tests) rather than assumed; and how often
 * a chunk reached each of its two bounds, so it is observable which one binds.
 */
public final class BufferGauge {
  /** One of a chunk's two bounds: {@link SnapshotOptions#maxChunkRows()} or {@link SnapshotOptions#maxChunkBytes()}. */
  public enum Limit { ROWS, BYTES }

  private final SnapshotOptions options;
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong peakRows = new AtomicLong();
  private final AtomicLong peakBytes = new AtomicLong();
  private final AtomicLongArray readsStopped = new AtomicLongArray(Limit.values().length);
  private final AtomicLongArray shrinks = new AtomicLongArray(Limit.values().length);

  BufferGauge(SnapshotOptions options) {
    this.options = options;
  }

  void add(long rowDelta, long byteDelta) {
    long r = rows.addAndGet(rowDelta);
    long b = bytes.addAndGet(byteDelta);
    // Called for every row read: a peak is written only when it grows, so the readers and the
    // pipeline thread do not all write the same two counters once per row besides the sums.
    if (r > peakRows.get()) {
      peakRows.accumulateAndGet(r, Math::max);
    }
    if (b > peakBytes.get()) {
      peakBytes.accumulateAndGet(b, Math::max);
    }
  }

  /** A chunk read stopped at its bound (both counted when it reached both at once). */
  void readStopped(boolean atRows, boolean atBytes) {
    count(readsStopped, atRows, atBytes);
  }

  /** Events in a buffered chunk's window pushed it past its bound, and it shrank. */
  void shrunk(boolean overRows, boolean overBytes) {
    count(shrinks, overRows, overBytes);
  }

  private static void count(AtomicLongArray counts, boolean rows, boolean bytes) {
    if (rows) {
      counts.incrementAndGet(Limit.ROWS.ordinal());
    }
    if (bytes) {
      counts.incrementAndGet(Limit.BYTES.ordinal());
    }
  }

  /** Chunk reads that stopped at this bound, the rest of the range going back to the queue. */
  public long readsStopped(Limit limit) {
    return readsStopped.get(limit.ordinal());
  }

  /** Buffered chunks that events in their window pushed past this bound, and that shrank. */
  public long shrinks(Limit limit) {
    return shrinks.get(limit.ordinal());
  }

  public long rows() {
    return rows.get();
  }

  public long bytes() {
    return bytes.get();
  }

  public long peakRows() {
    return peakRows.get();
  }

  public long peakBytes() {
    return peakBytes.get();
  }

  /** The bound on rows: every chunk slot full. */
  public long rowBound() {
    return (long) options.chunkSlots() * options.maxChunkRows();
  }

  /**
   * The bound on bytes: every slot at its byte limit, plus one row each, since a chunk stops only
   * after the row that crossed the limit.
   */
  public long byteBound(long largestRowBytes) {
    return options.chunkSlots() * (options.maxChunkBytes() + largestRowBytes);
  }
}
