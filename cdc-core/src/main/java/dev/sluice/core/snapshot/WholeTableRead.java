package dev.sluice.core.snapshot;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  /** The snapshot's messages share one category, the reconciler's. */
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  final Chunk chunk;
  private final SnapshotMemory memory;
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

  WholeTableRead(Chunk chunk, SnapshotOptions options, SnapshotMemory memory) {
    this.chunk = chunk;
    this.memory = memory;
    this.rowCap = Math.max(1, options.maxChunkRows() / 2);
    this.byteCap = Math.max(1, options.maxChunkBytes() / 2);
  }

  /**
   * A table without a key is refused in exactly-once mode, where its window events could not be told
   * apart from what its SELECT saw; read whole otherwise, with a warning ({@link Reconciler#keylessTable}).
   */
  static void check(String pipeline, TableSchema schema, boolean atLeastOnce) {
    Reconciler.keylessTable(schema, atLeastOnce).ifPresent(k -> {
      if (k.refused()) {
        throw new ConfigurationException("pipeline " + pipeline + ": " + k.message());
      }
      LOG.warn("pipeline={} {}", pipeline, k.message());
    });
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

  /**
   * Takes a batch of rows the reader has read, to be emitted at the pipeline's next step; true when
   * none was waiting before (a pipeline holding the log waits for rows to write).
   */
  boolean hand(List<Row> rows, long bytes) {
    boolean wasEmpty = handed.isEmpty();
    handed.addAll(rows);
    handedBytes += bytes;
    unwrittenRows += rows.size();
    unwrittenBytes += bytes;
    chunk.table.rowsRead += rows.size();
    memory.held(rows.size(), bytes);
    return wasEmpty;
  }

  /**
   * Emits every row handed over so far as a READ event at the low watermark, in read order. They
   * wait in the pipeline's batch until written: still counted, as a chunk's rows are.
   */
  void emitHanded(Consumer<Event> out) {
    TableSchema schema = chunk.table.schema;
    Position at = chunk.low;
    memory.emitted(handed.size(), handedBytes);
    Row r;
    while ((r = handed.poll()) != null) {
      out.accept(ChangeEvent.read(schema, r, at));
    }
    handedBytes = 0;
  }

  /** Everything emitted so far is in the sink: only rows not yet emitted still count. */
  void written() {
    unwrittenRows = handed.size();
    unwrittenBytes = handedBytes;
  }

  /** Keeps a log event of the table after the low watermark until the read's rows are out. */
  void defer(ChangeEvent e) {
    long bytes = (e.before() == null ? 0 : e.before().estimatedBytes())
        + (e.after() == null ? 0 : e.after().estimatedBytes());
    deferred.add(e);
    deferredBytes += bytes;
    memory.held(1, bytes);
  }

  /** Whether the deferred events fill their half: the log must not be read further until they go out. */
  boolean deferredFull() {
    return deferred.size() >= rowCap || deferredBytes >= byteCap;
  }

  boolean hasDeferred() {
    return !deferred.isEmpty();
  }

  /** Emits the deferred events in log order, after the rows; returns how many. */
  int releaseDeferred(Consumer<Event> out) {
    int n = deferred.size();
    deferred.forEach(out);
    memory.emitted(n, deferredBytes);
    deferred.clear();
    deferredBytes = 0;
    return n;
  }
}
