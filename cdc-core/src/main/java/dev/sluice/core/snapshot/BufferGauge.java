package dev.sluice.core.snapshot;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the rows and bytes the snapshot holds in memory, and the most it ever held, so the bound
 * of {@link SnapshotOptions} is observable (and asserted in tests) rather than assumed.
 */
public final class BufferGauge {
  private final SnapshotOptions options;
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong peakRows = new AtomicLong();
  private final AtomicLong peakBytes = new AtomicLong();

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
