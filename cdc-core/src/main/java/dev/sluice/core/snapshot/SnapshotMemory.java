package dev.sluice.core.snapshot;

import dev.sluice.core.event.Row;
import java.util.concurrent.Semaphore;

/**
 * The snapshot's memory budget: the {@link SnapshotOptions#chunkSlots()} slots a reader takes before
 * opening a window, each chunk's row and byte bounds, and what emitted chunks still hold until the
 * pipeline has handed their rows to the sink (a slot freed when its rows are merely emitted would let
 * the readers fill the buffer again while the rows wait in the pipeline's pending batch), all shown
 * by the {@link BufferGauge}.
 *
 * <p>The slots and the gauge are thread-safe. The counts of what is emitted and not yet written are
 * guarded by the {@link Reconciler}'s lock: {@link #emitted}, {@link #chunkEmitted} and {@link
 * #written} are called only with it held.
 */
final class SnapshotMemory {
  private final SnapshotOptions options;
  private final Semaphore slots;
  private final BufferGauge gauge;
  /** Emitted chunks whose rows the pipeline has not yet handed to the sink: their slots, rows and bytes. */
  private int unwrittenSlots;
  private long unwrittenRows;
  private long unwrittenBytes;

  SnapshotMemory(SnapshotOptions options) {
    this.options = options;
    this.slots = new Semaphore(options.chunkSlots());
    this.gauge = new BufferGauge(options);
  }

  BufferGauge gauge() {
    return gauge;
  }

  /** Waits for a free slot; the caller owns it until its chunk's rows are written. */
  void takeSlot() throws InterruptedException {
    slots.acquire();
  }

  /** Gives back a slot taken for no chunk. */
  void returnSlot() {
    slots.release();
  }

  int freeSlots() {
    return slots.availablePermits();
  }

  /**
   * Adds a row read by the chunk's SELECT (on its reader's thread, without the lock); false when the
   * chunk reached a bound and the read must stop.
   */
  boolean read(Chunk c, Row row) {
    long before = c.bytes();
    c.addRead(row);
    gauge.add(1, c.bytes() - before);
    boolean rowsFull = c.rows() >= options.maxChunkRows();
    boolean bytesFull = c.bytes() >= options.maxChunkBytes();
    if (rowsFull || bytesFull) {
      gauge.readStopped(rowsFull, bytesFull);
      return false;
    }
    return true;
  }

  /** Whether events in a buffered chunk's window pushed it past a bound: it must shrink (counted). */
  boolean overBound(Chunk c) {
    boolean overRows = c.rows() > options.maxChunkRows();
    boolean overBytes = c.bytes() > options.maxChunkBytes();
    if (overRows || overBytes) {
      gauge.shrunk(overRows, overBytes);
      return true;
    }
    return false;
  }

  /** What a chunk shrinks to: three quarters of both bounds, so the next events do not shrink it again at once. */
  int keepRows() {
    return options.maxChunkRows() * 3 / 4;
  }

  long keepBytes() {
    return options.maxChunkBytes() * 3 / 4;
  }

  /** Rows and bytes now held besides those read into chunks. */
  void held(long rows, long bytes) {
    gauge.add(rows, bytes);
  }

  /** Rows emitted: they wait in the pipeline's batch until written, still counted. */
  void emitted(long rows, long bytes) {
    unwrittenRows += rows;
    unwrittenBytes += bytes;
  }

  /** A chunk's rows are all emitted: its slot comes back once they are written. */
  void chunkEmitted() {
    unwrittenSlots++;
  }

  /** Everything emitted so far is in the sink: free the slots, and the rows leave the gauge. */
  void written() {
    if (unwrittenSlots > 0 || unwrittenRows > 0) {
      gauge.add(-unwrittenRows, -unwrittenBytes);
      slots.release(unwrittenSlots);
      unwrittenSlots = 0;
      unwrittenRows = 0;
      unwrittenBytes = 0;
    }
  }
}
