package dev.sluice.core.snapshot;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.InternalException;
import dev.sluice.core.checkpoint.TableProgress;
import dev.sluice.core.checkpoint.TableProgress.Phase;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges parallel chunk reads with the one change log into a single correct stream. The runtime
 * thread feeds it log events in order ({@link #onEvent}, {@link #onReached}); chunk reader threads
 * take chunks ({@link #nextChunk}), open their window ({@link #openWindow}) and hand their rows back
 * ({@link #deliver}). For a log event at position p on key k of a table still in snapshot:
 *
 * <ul>
 *   <li>k in a finished chunk: emit;
 *   <li>k in a buffered chunk C: p at or before C's low watermark: drop (the SELECT saw it); p in
 *       C's window {@code (low, high]}: apply to C's rows; p after C's high watermark cannot
 *       happen, because C is emitted as soon as the log passes its high watermark;
 *   <li>k in a chunk being read: p at or before its low watermark: drop; after it: wait until the
 *       rows arrive, then as above;
 *   <li>k in no chunk yet: drop, since the chunk's future SELECT will see the change. That holds
 *       only once the change is visible to new reads, so p must be at or before the source's
 *       {@link Source#lowWatermark() visible horizon}; the log can run ahead of it (the
 *       commit-order caveat), and then the reconciler waits for the horizon to pass p;
 *   <li>except after a restart in at-least-once mode: then any key not finished at the checkpoint
 *       may have reached the sink in a chunk emitted after it, so its events pass through until its
 *       chunk is read again; dropping them would let a row deleted while the pipeline was down live
 *       on in the sink (a ghost row). Replaying them before the chunk's fresh rows is harmless for
 *       an idempotent sink. Exactly-once sinks roll such chunks back with the crash and need not.
 * </ul>
 *
 * The rules for a keyed table are applied by {@link ChunkWindows}. A table without a key (at-least-once
 * only) is one chunk read whole, its rows streamed rather than buffered, and its events after the low
 * watermark deferred until the rows are out: see {@link WholeTableRead} and {@link WholeTableReads}.
 *
 * <p>Memory: a reader takes one of {@link SnapshotOptions#chunkSlots()} slots before opening a window
 * and the slot is freed once the chunk's emitted rows have been handed to the sink ({@link
 * #written()}), not when they are emitted: until then they sit in the pipeline's pending batch, and
 * a slot freed earlier would let the readers fill the buffer again while they do. Each chunk holds at
 * most {@link SnapshotOptions#maxChunkRows()} rows and {@link SnapshotOptions#maxChunkBytes()} bytes
 * ({@link SnapshotMemory}).
 *
 * <p>Locking: one lock guards all of the snapshot's state, that of the helpers above and of {@link
 * TableSnapshot}, {@link Chunk} and {@link VisibleHorizon} included; the helpers' methods are called
 * only with it held, except where they say otherwise.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final String pipeline;
  private final Source source;
  private final SnapshotOptions options;
  private final boolean passThroughRecovery;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<TableId, TableSnapshot> tables = new LinkedHashMap<>();
  private final SnapshotMemory memory;
  private final VisibleHorizon horizon;
  private final ChunkWindows windows;
  private final WholeTableReads wholeReads;
  private final List<Chunk> reading = new ArrayList<>();
  private volatile boolean snapshotting;
  private volatile boolean closed;
  private Throwable readerFailure;

  /**
   * @param progress each table's checkpointed progress ({@link TableProgress#NOT_STARTED} for new
   *     tables)
   * @param passThroughRecovery at-least-once mode: pass events on possibly-emitted ranges through
   *     after a restart (exactly-once sinks never hold such rows, so they need not)
   */
  public Reconciler(String pipeline, Source source, List<TableSchema> schemas, Map<TableId, TableProgress> progress,
      SnapshotOptions options, boolean passThroughRecovery) {
    this.pipeline = pipeline;
    this.source = source;
    this.options = options;
    this.passThroughRecovery = passThroughRecovery;
    this.memory = new SnapshotMemory(options);
    this.horizon = new VisibleHorizon(source, lock, changed);
    this.windows = new ChunkWindows(source, memory, this::replaying, this::finish, changed);
    this.wholeReads = new WholeTableReads(pipeline, source, options, memory, this::finish);
    for (TableSchema schema : schemas) {
      TableProgress from = progress.getOrDefault(schema.id(), TableProgress.NOT_STARTED);
      if (from.phase() == Phase.SNAPSHOT && !schema.hasKey()) {
        WholeTableRead.check(pipeline, schema, passThroughRecovery);
      }
      ChunkPlanner planner = new ChunkPlanner(source, schema, options.chunkSize());
      tables.put(schema.id(), new TableSnapshot(schema, schema.hasKey() ? source.keyOrder(schema) : Key.NATURAL,
          planner, from, progress.containsKey(schema.id())));
    }
    this.snapshotting = tables.values().stream().anyMatch(t -> t.phase == Phase.SNAPSHOT);
  }

  /**
   * What keeps a table from being snapshotted under the given delivery, for the engine at start and
   * for checks made before one (the same rule and words): empty for a table with a key;
   * for one without, the exactly-once refusal, or in at-least-once the warning that it is read whole.
   *
   * @return the problem (refused), or a note (allowed, with a caveat), or empty
   */
  public static Optional<KeylessTable> keylessTable(TableSchema schema, boolean atLeastOnce) {
    if (schema.hasKey()) {
      return Optional.empty();
    }
    return Optional.of(atLeastOnce
        ? new KeylessTable(false, "table " + schema.id() + " has no primary key and no chunk key column: it is read"
            + " as one chunk (not in parallel), and rows changed while it is read may be delivered twice"
            + " (at-least-once)")
        : new KeylessTable(true, "table " + schema.id() + " has no primary key, so its snapshot cannot be delivered"
            + " exactly once; give it a primary key or set scan.incremental.snapshot.chunk.key-column to a unique,"
            + " not-null column of it, or use delivery at-least-once (the table is then read as one chunk, and rows"
            + " changed while it is read may be delivered twice)"));
  }

  /** A table without a key, as a check before the start sees it: refused, or allowed with a note. */
  public record KeylessTable(boolean refused, String message) {}

  /**
   * Whether the pipeline must stop reading the log for now: the events a whole-table read defers
   * fill their share of the buffer. It goes on once that read's rows are all out ({@link #awaitLog}).
   */
  public boolean logHeld() {
    return wholeReads.logHeld();
  }

  /** Waits up to {@code millis} while the log is held, for rows to emit or for the read to end. */
  public void awaitLog(long millis) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      if (wholeReads.logHeld() && !closed && readerFailure == null) {
        changed.await(millis, TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether log events are deferred behind a whole-table read: a checkpoint now would record a log
   * position past events the sink has not seen, and a restart would skip them (a delete among them
   * would leave a ghost row), so none is taken until they have gone out.
   */
  public boolean holdsCheckpoint() {
    lock.lock();
    try {
      return wholeReads.holdEvents();
    } finally {
      lock.unlock();
    }
  }

  /** Whether any table is still in snapshot; false means every event takes the fast path. */
  public boolean snapshotting() {
    return snapshotting;
  }

  public BufferGauge gauge() {
    return memory.gauge();
  }

  // ---- chunk reader side ------------------------------------------------------------------

  /**
   * The next chunk to read, planning one when none is pending; {@code null} when every table's
   * snapshot is complete. The caller owns a buffer slot until the chunk is emitted.
   */
  Chunk nextChunk() throws InterruptedException {
    memory.takeSlot();
    lock.lockInterruptibly();
    boolean handedOut = false;
    try {
      while (!closed) {
        TableSnapshot planFor = null;
        for (TableSnapshot t : tables.values()) {
          if (t.phase != Phase.SNAPSHOT) {
            continue;
          }
          Chunk c = t.pending.pollFirst();
          if (c != null) {
            startReading(c);
            handedOut = true;
            return c;
          }
          if (planFor == null && !t.planComplete && !t.planning) {
            planFor = t;
          }
        }
        if (planFor != null) {
          plan(planFor);
          continue;
        }
        if (!snapshotting) {
          return null;
        }
        changed.await();
      }
      return null;
    } finally {
      lock.unlock();
      if (!handedOut) {
        memory.returnSlot();
      }
    }
  }

  /** Runs one planning query with the lock released, then queues the chunk it produced. */
  private void plan(TableSnapshot t) {
    Key cursor = t.cursor;
    boolean first = !t.planStarted;
    KeyRange range = KeyRange.ALL; // a table without a key is one chunk: nothing to ask the source
    if (t.schema.hasKey()) {
      t.planning = true;
      lock.unlock();
      try {
        range = t.planner.next(first ? null : cursor);
      } finally {
        lock.lock();
        t.planning = false;
      }
    }
    if (range == null) {
      throw new InternalException("planner returned no chunk for " + t.schema.id());
    }
    t.planned(range);
    if (first) {
      LOG.info("pipeline={} table={} snapshot started", pipeline, t.schema.id());
    }
  }

  private void startReading(Chunk c) {
    c.state = Chunk.State.READING;
    c.table.active.put(c.range, c);
    reading.add(c);
    if (c.wholeTable()) {
      wholeReads.start(c);
    }
  }

  /**
   * Opens the chunk's window: takes the low watermark. Until it is known, log events on the chunk's
   * keys wait, since the reconciler cannot yet tell whether the SELECT will see them.
   */
  void openWindow(Chunk c) throws InterruptedException {
    Position low = horizon.lowWatermarkFrom(c.notBefore);
    lock.lock();
    try {
      c.low = low;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Adds a row read by the chunk's SELECT; false when the chunk is full and the read must stop. */
  boolean addRow(Chunk c, Row row) {
    return memory.read(c, row);
  }

  /**
   * Hands a read chunk back with its high watermark. When the read stopped at the chunk's bound,
   * the rest of its range becomes a new pending chunk.
   */
  void deliver(Chunk c, boolean cutShort) {
    Position high = source.highWatermark();
    lock.lock();
    try {
      c.high = high;
      c.state = Chunk.State.BUFFERED;
      reading.remove(c);
      c.table.rowsRead += c.rows();
      if (cutShort) {
        c.table.cutAfterLastRead(c);
      }
      windows.buffer(c);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** A chunk read failed: the pipeline stops with this error at its next step. */
  void failed(Chunk c, Throwable error) {
    lock.lock();
    try {
      if (readerFailure == null) {
        readerFailure = error;
      } else {
        readerFailure.addSuppressed(error);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** How many rows, and bytes, a reader of a whole table gathers before {@link #handOver}. */
  int handOverRows(Chunk c) {
    return c.table.whole.handOverRows();
  }

  long handOverBytes(Chunk c) {
    return c.table.whole.handOverBytes();
  }

  /**
   * Hands rows of a whole-table read to the pipeline, which emits them at its next step; waits while
   * the rows handed over and not yet written fill the read's share of the buffer.
   *
   * @return false when the pipeline is closing and the read must stop
   */
  boolean handOver(Chunk c, List<Row> rows, long bytes) throws InterruptedException {
    WholeTableRead w = c.table.whole;
    lock.lockInterruptibly();
    try {
      while (!closed && !w.roomFor(rows.size(), bytes)) {
        changed.await();
      }
      if (closed) {
        return false;
      }
      if (w.hand(rows, bytes)) {
        changed.signalAll(); // a pipeline holding the log waits for rows to write
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** A whole-table read returned its last row: once those are emitted, its deferred events follow. */
  void readAll(Chunk c) {
    lock.lock();
    try {
      c.table.whole.readDone = true;
      c.high = c.low;
      c.state = Chunk.State.BUFFERED;
      reading.remove(c);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---- log side (one runtime thread) ------------------------------------------------------

  /**
   * Routes one log event; whatever must reach the sink, chunk rows released by this event's position
   * included, goes to {@code out} in order.
   */
  public void onEvent(Event event, Consumer<Event> out) throws InterruptedException {
    if (!snapshotting) {
      out.accept(event);
      return;
    }
    lock.lockInterruptibly();
    try {
      windows.release(event.position(), false, out);
      TableSnapshot t = tables.get(event.table());
      if (t == null || t.phase == Phase.STREAMING || !(event instanceof ChangeEvent e)) {
        out.accept(event);
      } else if (t.schema.hasKey() && e.op() == Op.UPDATE && e.before() != null
          && !t.schema.keyOf(e.before()).equals(t.schema.keyOf(e.after()))) {
        // A key change moves the row between chunks: route it as a delete of the old key and an
        // insert of the new one.
        route(t, new ChangeEvent(e.schema(), Op.DELETE, e.before(), null, e.position(), e.sourceTime(),
            e.transactionId()), out);
        route(t, new ChangeEvent(e.schema(), Op.INSERT, null, e.after(), e.position(), e.sourceTime(),
            e.transactionId()), out);
      } else {
        route(t, e, out);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Everything emitted so far has been handed to the sink: the slots of the chunks emitted since the
   * last call are free again, and their rows leave the gauge.
   */
  public void written() {
    lock.lock();
    try {
      memory.written();
      if (wholeReads.written()) {
        changed.signalAll(); // their readers may go on
      }
    } finally {
      lock.unlock();
    }
  }

  /** The log has returned every event up to {@code reached}: chunks whose window ended there go out. */
  public void onReached(Position reached, Consumer<Event> out) throws InterruptedException {
    if (!snapshotting) {
      return;
    }
    lock.lockInterruptibly();
    try {
      checkReaders();
      windows.release(reached, true, out);
      wholeReads.settleAll(out);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Routes an event of a table in snapshot by its chunks' rules ({@link ChunkWindows}, {@link
   * WholeTableReads}), waiting where they say the answer is not known yet.
   */
  private void route(TableSnapshot t, ChangeEvent e, Consumer<Event> out) throws InterruptedException {
    long waitNanos = VisibleHorizon.FIRST_WAIT;
    while (true) {
      checkReaders();
      EventRoute route = t.schema.hasKey() ? windows.route(t, e, out) : wholeReads.route(t, e, out);
      if (route == EventRoute.AWAIT_ROWS) {
        changed.await();
        continue;
      }
      // Not read yet: the chunk's future SELECT will see this change, once it is visible. Whether
      // the event is dropped or (replaying) emitted, it must be visible first: otherwise a later
      // SELECT could return the row as it was before, after the event has already gone by.
      if (route == EventRoute.NOT_READ && !horizon.covers(e.position(), waitNanos)) {
        waitNanos = VisibleHorizon.longer(waitNanos);
        continue; // state may have changed while the lock was released
      }
      // The SELECT sees this change: dropped; after a restart in at-least-once mode, nothing the
      // SELECT would see is dropped (see the class comment). Events a window absorbs are still absorbed.
      if (route != EventRoute.DONE && replaying(t)) {
        out.accept(e);
      }
      return;
    }
  }

  /** Whether this table drops nothing (see the class comment): resumed, in at-least-once mode. */
  private boolean replaying(TableSnapshot t) {
    return passThroughRecovery && t.resumed;
  }

  /** The chunk's rows are emitted: its slot comes back once they are written, its range is finished. */
  private void finish(Chunk c) {
    TableSnapshot t = c.table;
    memory.chunkEmitted();
    if (t.finished(c)) {
      t.phase = Phase.STREAMING;
      LOG.info("pipeline={} table={} snapshot finished: {} chunks, {} rows; streaming", pipeline, t.schema.id(),
          t.chunksDone, t.rowsRead);
      snapshotting = tables.values().stream().anyMatch(x -> x.phase == Phase.SNAPSHOT);
    }
    changed.signalAll();
  }

  private void checkReaders() {
    if (readerFailure != null) {
      if (readerFailure instanceof SluiceException se) {
        throw se;
      }
      throw new InternalException("pipeline " + pipeline + ": chunk reader failed: " + readerFailure, readerFailure);
    }
  }

  // ---- checkpoint and status --------------------------------------------------------------

  /** Every table's progress as of the events emitted so far. */
  public Map<TableId, TableProgress> progress() {
    lock.lock();
    try {
      Map<TableId, TableProgress> out = new LinkedHashMap<>();
      tables.forEach((id, t) -> out.put(id, t.progress()));
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** A point-in-time view of each table's snapshot, for status and metrics. */
  public List<TableStatus> status() {
    lock.lock();
    try {
      List<TableStatus> out = new ArrayList<>();
      for (TableSnapshot t : tables.values()) {
        out.add(t.status(options.chunkSize()));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes and stops the chunk readers. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The engine's state, for diagnosing a stalled snapshot. */
  @Override
  public String toString() {
    lock.lock();
    try {
      StringBuilder s = new StringBuilder("Reconciler[slots free=").append(memory.freeSlots())
          .append(" buffered=").append(windows.buffered()).append(" visible=").append(horizon.describe());
      for (TableSnapshot t : tables.values()) {
        t.describe(s);
      }
      return s.append(']').toString();
    } finally {
      lock.unlock();
    }
  }

  boolean isClosed() {
    return closed;
  }
}
