package dev.sluice.core.snapshot;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Row;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one chunk of a table without a key (at-least-once only), read by a single SELECT whose rows
 * are not buffered whole but handed to the pipeline in small batches as they come, while the table's
 * log events after the chunk's low watermark wait here until the last row has gone out. Nothing can
 * tell which of those events the SELECT already saw, so all of them follow the rows (some may
 * repeat an effect: at-least-once). Guarded by the {@link Reconciler}'s lock.
 *
 * <p>The chunk's buffer slot is shared in halves: rows handed over but not yet written to the sink
 * (the reader waits while they fill their half), and deferred events (the pipeline stops reading
 * the log while they fill theirs). Two halves, not one pool: were deferred events allowed to take
 * the rows' room, the read could not finish and nothing would ever release them.
 */
final class WholeTableRead {
  final Chunk chunk;
  private final long rowCap;
  private final long byteCap;

  /** Rows read and not yet emitted, in read order. */
  private final ArrayDeque<Row> handed = new ArrayDeque<>();
  private long handedBytes;
  /** Rows read and not yet written to the sink: {@link #handed} plus those emitted since the last write. */
  private long unwrittenRows;
  private long unwrittenBytes;
  /** Log events of the table after the low watermark, in log order. */
  private final ArrayDeque<ChangeEvent> deferred = new ArrayDeque<>();
  private long deferredBytes;
  /** The SELECT has returned its last row. */
  boolean readDone;

  WholeTableRead(Chunk chunk, SnapshotOptions options) {
    this.chunk = chunk;
    this.rowCap = Math.max(1, options.maxChunkRows() / 2);
    this.byteCap = Math.max(1, options.maxChunkBytes() / 2);
  }

  /** Rows a reader gathers before handing them over: a few hand-overs fit in the rows' half. */
  int handOverRows() {
    return (int) Math.max(1, Math.min(256, rowCap / 4));
  }

  long handOverBytes() {
    return Math.max(1, byteCap / 4);
  }

  /** Whether a batch of {@code rows} and {@code bytes} fits; an empty half takes any one batch. */
  boolean roomFor(int rows, long bytes) {
    return unwrittenRows == 0 || (unwrittenRows + rows <= rowCap && unwrittenBytes + bytes <= byteCap);
  }

  void hand(List<Row> rows, long bytes) {
    handed.addAll(rows);
    handedBytes += bytes;
    unwrittenRows += rows.size();
    unwrittenBytes += bytes;
  }

  boolean hasHanded() {
    return !handed.isEmpty();
  }

  /** Bytes of the rows handed over and not yet emitted. */
  long handedBytes() {
    return handedBytes;
  }

  /** Hands every row handed over so far to {@code out}, in read order; returns how many. */
  int emitHanded(Consumer<Row> out) {
    int n = handed.size();
    Row r;
    while ((r = handed.poll()) != null) {
      out.accept(r);
    }
    handedBytes = 0;
    return n;
  }

  /** Everything emitted so far is in the sink: only rows not yet emitted still count. */
  void written() {
    unwrittenRows = handed.size();
    unwrittenBytes = handedBytes;
  }

  void defer(ChangeEvent e, long bytes) {
    deferred.add(e);
    deferredBytes += bytes;
  }

  /** Whether the deferred events fill their half: the log must not be read further until they go out. */
  boolean deferredFull() {
    return deferred.size() >= rowCap || deferredBytes >= byteCap;
  }

  boolean hasDeferred() {
    return !deferred.isEmpty();
  }

  ArrayDeque<ChangeEvent> deferred() {
    return deferred;
  }

  long deferredBytes() {
    return deferredBytes;
  }
}
