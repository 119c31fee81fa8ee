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
import java.util.PriorityQueue;
import java.util.concurrent.Semaphore;
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
 * A table without a key (at-least-once only) is one chunk read whole, its rows streamed rather than
 * buffered, and its events after the low watermark deferred until the rows are out: see {@link
 * WholeTableRead}.
 *
 * Memory: a reader takes one of {@link SnapshotOptions#chunkSlots()} slots before opening a window
 * and the slot is freed once the chunk's emitted rows have been handed to the sink ({@link
 * #written()}), not when they are emitted: until then they sit in the pipeline's pending batch, and
 * a slot freed earlier would let the readers fill the buffer again while they do. Each chunk holds at most
 * {@link SnapshotOptions#maxChunkRows()} rows and {@link SnapshotOptions#maxChunkBytes()} bytes.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final long MAX_VISIBILITY_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final String pipeline;
  private final Source source;
  private final SnapshotOptions options;
  private final boolean passThroughRecovery;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Semaphore slots;
  private final Map<TableId, TableSnapshot> tables = new LinkedHashMap<>();
  private final PriorityQueue<Chunk> buffered;
  /** Emitted chunks whose rows the pipeline has not yet handed to the sink: their slots, rows and bytes. */
  private int unwrittenSlots;
  private long unwrittenRows;
  private long unwrittenBytes;
  private final List<Chunk> reading = new ArrayList<>();
  /** Tables without a key being read whole, until their deferred events have gone out. */
  private final List<WholeTableRead> wholeReads = new ArrayList<>();
  /** Some whole-table read's deferred events fill their share: the log must wait. */
  private volatile boolean logHeld;
  private final BufferGauge gauge;

  /** The last visible horizon learned from the source; drops are safe at or before it. */
  private Position visible;
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
    this.slots = new Semaphore(options.chunkSlots());
    this.buffered = new PriorityQueue<>((a, b) -> source.comparePositions(a.high, b.high));
    this.gauge = new BufferGauge(options);
    for (TableSchema schema : schemas) {
      TableProgress from = progress.getOrDefault(schema.id(), TableProgress.NOT_STARTED);
      if (from.phase() == Phase.SNAPSHOT && !schema.hasKey()) {
        keylessSnapshot(schema);
      }
      ChunkPlanner planner = new ChunkPlanner(source, schema, options.chunkSize());
      tables.put(schema.id(), new TableSnapshot(schema, schema.hasKey() ? source.keyOrder(schema) : Key.NATURAL,
          planner, from, progress.containsKey(schema.id())));
    }
    this.snapshotting = tables.values().stream().anyMatch(t -> t.phase == Phase.SNAPSHOT);
  }

  /**
   * A table with neither a primary key nor a chunk key column: refused in exactly-once mode, where
   * its window events could not be told apart from what its SELECT saw; read whole otherwise.
   */
  private void keylessSnapshot(TableSchema schema) {
    if (!passThroughRecovery) {
      throw new SluiceException.ConfigurationException("pipeline " + pipeline + ": table " + schema.id()
          + " has no primary key, so its snapshot cannot be delivered exactly once; give it a primary key or set"
          + " scan.incremental.snapshot.chunk.key-column to a unique, not-null column of it, or use delivery"
          + " at-least-once (the table is then read as one chunk, and rows changed while it is read may be"
          + " delivered twice)");
    }
    LOG.warn("pipeline={} table={} has no primary key and no chunk key column: it is read as one chunk (not in"
        + " parallel), and rows changed while it is read may be delivered twice (at-least-once)", pipeline,
        schema.id());
  }

  /**
   * Whether the pipeline must stop reading the log for now: the events a whole-table read defers
   * fill their share of the buffer. It goes on once that read's rows are all out ({@link #awaitLog}).
   */
  public boolean logHeld() {
    return logHeld;
  }

  /** Waits up to {@code millis} while the log is held, for rows to emit or for the read to end. */
  public void awaitLog(long millis) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      if (logHeld && !closed && readerFailure == null) {
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
      return wholeReads.stream().anyMatch(WholeTableRead::hasDeferred);
    } finally {
      lock.unlock();
    }
  }

  /** Whether any table is still in snapshot; false means every event takes the fast path. */
  public boolean snapshotting() {
    return snapshotting;
  }

  public BufferGauge gauge() {
    return gauge;
  }

  // ---- chunk reader side ------------------------------------------------------------------

  /**
   * The next chunk to read, planning one when none is pending; {@code null} when every table's
   * snapshot is complete. The caller owns a buffer slot until the chunk is emitted.
   */
  Chunk nextChunk() throws InterruptedException {
    slots.acquire();
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
        slots.release();
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
    t.planStarted = true;
    t.cursor = range.hi();
    t.planComplete = range.hi() == null;
    t.pending.addLast(new Chunk(t, range));
    if (first) {
      LOG.info("pipeline={} table={} snapshot started", pipeline, t.schema.id());
    }
  }

  private void startReading(Chunk c) {
    c.state = Chunk.State.READING;
    c.table.active.put(c.range, c);
    reading.add(c);
    if (c.wholeTable()) {
      c.table.whole = new WholeTableRead(c, options);
      wholeReads.add(c.table.whole);
    }
  }

  /**
   * Opens the chunk's window: takes the low watermark. Until it is known, log events on the chunk's
   * keys wait, since the reconciler cannot yet tell whether the SELECT will see them.
   */
  void openWindow(Chunk c) throws InterruptedException {
    Position low = source.lowWatermark();
    long waitNanos = TimeUnit.MILLISECONDS.toNanos(1);
    while (c.notBefore != null && source.comparePositions(low, c.notBefore) < 0) {
      // Log events already applied to these keys are not visible yet; a read now could miss them.
      java.util.concurrent.locks.LockSupport.parkNanos(waitNanos);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      waitNanos = Math.min(waitNanos * 2, MAX_VISIBILITY_WAIT_NANOS);
      low = source.lowWatermark();
    }
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
      TableSnapshot t = c.table;
      t.rowsRead += c.rows();
      Key last = c.lastReadKey();
      boolean restIsEmpty = last == null || (c.range.hi() != null && t.order.compare(last, c.range.hi()) >= 0);
      if (cutShort && !restIsEmpty) {
        KeyRange rest = new KeyRange(last, c.range.hi());
        t.active.remove(c.range);
        c.range = new KeyRange(c.range.lo(), last);
        t.active.put(c.range, c);
        t.giveBack(rest, null); // events on these keys after the low watermark have waited: none is lost
      }
      buffered.add(c);
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
      boolean wasEmpty = !w.hasHanded();
      w.hand(rows, bytes);
      c.table.rowsRead += rows.size();
      gauge.add(rows.size(), bytes);
      if (wasEmpty) {
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
      releaseBuffered(event.position(), false, out);
      TableSnapshot t = tables.get(event.table());
      if (t == null || t.phase == Phase.STREAMING || !(event instanceof ChangeEvent e)) {
        out.accept(event);
        return;
      }
      if (!t.schema.hasKey()) {
        routeWhole(t, e, out);
        return;
      }
      if (e.op() == Op.UPDATE && e.before() != null && !t.schema.keyOf(e.before()).equals(t.schema.keyOf(e.after()))) {
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
      if (unwrittenSlots > 0 || unwrittenRows > 0) {
        gauge.add(-unwrittenRows, -unwrittenBytes);
        slots.release(unwrittenSlots);
        unwrittenSlots = 0;
        unwrittenRows = 0;
        unwrittenBytes = 0;
      }
      if (!wholeReads.isEmpty()) {
        wholeReads.forEach(WholeTableRead::written);
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
      releaseBuffered(reached, true, out);
      for (WholeTableRead w : List.copyOf(wholeReads)) {
        settle(w, out);
      }
    } finally {
      lock.unlock();
    }
  }

  private void route(TableSnapshot t, ChangeEvent e, Consumer<Event> out) throws InterruptedException {
    Key key = e.key();
    Position p = e.position();
    // After a restart in at-least-once mode, nothing the SELECT would see is dropped: see the class
    // comment. Events a chunk's window absorbs are still absorbed.
    boolean replay = replaying(t);
    long waitNanos = TimeUnit.MILLISECONDS.toNanos(1);
    while (true) {
      checkReaders();
      if (t.phase == Phase.STREAMING || t.finished.contains(key)) {
        out.accept(e);
        return;
      }
      Chunk c = t.active.find(key);
      if (c != null && c.state == Chunk.State.READING && (c.low == null || source.comparePositions(p, c.low) > 0)) {
        changed.await(); // the rows are on their way; this event belongs in the chunk's window
        continue;
      }
      if (c != null && source.comparePositions(p, c.low) > 0) {
        long beforeRows = c.rows();
        long beforeBytes = c.bytes();
        c.apply(key, e.op() == Op.DELETE ? e.before() : e.after(), e.op() == Op.DELETE);
        boolean overRows = c.rows() > options.maxChunkRows();
        boolean overBytes = c.bytes() > options.maxChunkBytes();
        if (overRows || overBytes) {
          gauge.shrunk(overRows, overBytes);
          shrink(t, c, p, out);
        }
        gauge.add(c.rows() - beforeRows, c.bytes() - beforeBytes);
        return;
      }
      if (c != null) {
        // At or before the chunk's low watermark: its SELECT sees this change.
        if (replay) {
          out.accept(e);
        }
        return;
      }
      // Not read yet: the chunk's future SELECT will see this change, once it is visible. Whether
      // the event is dropped or (replaying) emitted, it must be visible first: otherwise a later
      // SELECT could return the row as it was before, after the event has already gone by.
      if (!visible(p, waitNanos)) {
        waitNanos = Math.min(waitNanos * 2, MAX_VISIBILITY_WAIT_NANOS);
        continue; // state may have changed while the lock was released
      }
      if (replay) {
        out.accept(e);
      }
      return;
    }
  }

  /**
   * Whether {@code p} is visible to new reads. When the last horizon known is before it, asks the
   * source again (with the lock released) and, when still before it, waits up to {@code waitNanos}
   * for the database to make it visible; false then, and the caller must look at its state again.
   */
  private boolean visible(Position p, long waitNanos) throws InterruptedException {
    if (visible != null && source.comparePositions(p, visible) <= 0) {
      return true;
    }
    lock.unlock();
    try {
      visible = source.lowWatermark();
    } finally {
      lock.lock();
    }
    if (source.comparePositions(p, visible) > 0) {
      changed.awaitNanos(waitNanos); // logged but not yet visible to new reads
    }
    return false;
  }

  /**
   * Routes an event of a table without a key (see {@link WholeTableRead}). Before its one chunk's
   * window opens the rules are those of any chunk not read yet; after, every event waits until the
   * chunk's last row has been emitted, since none can be matched to a row the SELECT returned.
   */
  private void routeWhole(TableSnapshot t, ChangeEvent e, Consumer<Event> out) throws InterruptedException {
    Position p = e.position();
    long waitNanos = TimeUnit.MILLISECONDS.toNanos(1);
    while (true) {
      checkReaders();
      if (t.whole != null) {
        settle(t.whole, out);
      }
      if (t.phase == Phase.STREAMING) {
        out.accept(e);
        return;
      }
      Chunk c = t.whole == null ? null : t.whole.chunk;
      if (c != null && c.low == null) {
        changed.await(); // the window is opening
        continue;
      }
      if (c != null && source.comparePositions(p, c.low) > 0) {
        long bytes = (e.before() == null ? 0 : e.before().estimatedBytes())
            + (e.after() == null ? 0 : e.after().estimatedBytes());
        t.whole.defer(e, bytes);
        gauge.add(1, bytes);
        logHeld |= t.whole.deferredFull();
        return;
      }
      if (c == null && !visible(p, waitNanos)) {
        waitNanos = Math.min(waitNanos * 2, MAX_VISIBILITY_WAIT_NANOS);
        continue;
      }
      // The SELECT sees this change (at or before the low watermark, or visible before the window
      // opens): dropped, or passed through by a resumed table (see the class comment).
      if (replaying(t)) {
        out.accept(e);
      }
      return;
    }
  }

  /**
   * Emits the rows a whole-table read has handed over; once it has returned its last row, releases
   * its deferred events after them and the table streams.
   */
  private void settle(WholeTableRead w, Consumer<Event> out) {
    TableSnapshot t = w.chunk.table;
    Position at = w.chunk.low;
    // Emitted rows wait in the pipeline's batch until written: still counted, as a chunk's are.
    unwrittenBytes += w.handedBytes();
    unwrittenRows += w.emitHanded(r -> out.accept(ChangeEvent.read(t.schema, r, at)));
    if (!w.readDone) {
      return;
    }
    int deferred = w.deferred().size();
    w.deferred().forEach(out);
    unwrittenRows += deferred;
    unwrittenBytes += w.deferredBytes();
    w.deferred().clear();
    wholeReads.remove(w);
    t.whole = null;
    logHeld = wholeReads.stream().anyMatch(WholeTableRead::deferredFull);
    LOG.info("pipeline={} table={} read whole: {} rows; {} log events changed it during the read and follow them",
        pipeline, t.schema.id(), t.rowsRead, deferred);
    finish(w.chunk);
  }

  /**
   * Events in a buffered chunk's window pushed it past its row or byte bound (inserts, or updates
   * that enlarge rows): keep its lower part, read the upper part again later. It shrinks to three
   * quarters of both bounds, so the next events do not make it shrink again at once.
   */
  private void shrink(TableSnapshot t, Chunk c, Position at, Consumer<Event> out) {
    KeyRange old = c.range;
    KeyRange rest = c.shrinkTo(options.maxChunkRows() * 3 / 4, options.maxChunkBytes() * 3 / 4,
        replaying(t) ? r -> out.accept(new ChangeEvent(t.schema, Op.DELETE, r, null, c.high, null, null)) : null);
    if (rest != null) {
      t.active.remove(old);
      t.active.put(c.range, c);
      t.giveBack(rest, at);
      changed.signalAll();
    }
  }

  /** Whether this table drops nothing (see the class comment): resumed, in at-least-once mode. */
  private boolean replaying(TableSnapshot t) {
    return passThroughRecovery && t.resumed;
  }

  /** Emits buffered chunks whose high watermark is before {@code p} (or at it, when {@code inclusive}). */
  private void releaseBuffered(Position p, boolean inclusive, Consumer<Event> out) {
    Chunk c;
    while ((c = buffered.peek()) != null) {
      int cmp = source.comparePositions(c.high, p);
      if (cmp > 0 || (cmp == 0 && !inclusive)) {
        return;
      }
      buffered.poll();
      emit(c, out);
    }
  }

  private void emit(Chunk c, Consumer<Event> out) {
    TableSnapshot t = c.table;
    TableSchema schema = t.schema;
    Position high = c.high;
    long rows = c.rows();
    long bytes = c.bytes();
    c.drain(r -> out.accept(ChangeEvent.read(schema, r, high)), replaying(t)
        ? r -> out.accept(new ChangeEvent(schema, Op.DELETE, r, null, high, null, null))
        : null);
    unwrittenRows += rows;
    unwrittenBytes += bytes;
    finish(c);
  }

  /** The chunk's rows are emitted: its slot comes back once they are written, its range is finished. */
  private void finish(Chunk c) {
    TableSnapshot t = c.table;
    TableSchema schema = t.schema;
    unwrittenSlots++;
    t.active.remove(c.range);
    RangeSet.addMerged(t.finished, c.range);
    t.chunksDone++;
    if (t.isDone()) {
      t.phase = Phase.STREAMING;
      LOG.info("pipeline={} table={} snapshot finished: {} chunks, {} rows; streaming", pipeline, schema.id(),
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
      StringBuilder s = new StringBuilder("Reconciler[slots free=").append(slots.availablePermits())
          .append(" buffered=").append(buffered.size()).append(" visible=")
          .append(visible == null ? null : visible.encode());
      for (TableSnapshot t : tables.values()) {
        s.append(' ').append(t.schema.id()).append(':').append(t.phase).append(" pending=").append(t.pending.size());
        for (Chunk c : t.active.values()) {
          s.append(' ').append(c.range).append('/').append(c.state).append(" low=")
              .append(c.low == null ? null : c.low.encode()).append(" high=")
              .append(c.high == null ? null : c.high.encode());
        }
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
