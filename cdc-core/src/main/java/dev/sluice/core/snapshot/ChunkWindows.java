package dev.sluice.core.snapshot;

import dev.sluice.core.checkpoint.TableProgress.Phase;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.Source;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The windows of a keyed table's chunks: where a log event on a key goes (see the rules in {@link
 * Reconciler}), the events applied to a buffered chunk's rows, and the buffered chunks going out, in
 * the order of their high watermarks, as soon as the log passes them.
 *
 * <p>Guarded by the {@link Reconciler}'s lock: every method is called with it held, and {@code
 * changed} is that lock's condition.
 */
final class ChunkWindows {
  private final Source source;
  private final SnapshotMemory memory;
  private final Predicate<TableSnapshot> replaying;
  private final Consumer<Chunk> emitted;
  private final Condition changed;
  private final PriorityQueue<Chunk> buffered;

  /**
   * @param replaying whether a table drops nothing (resumed, in at-least-once mode): its deletes in
   *     a window are emitted as deletes
   * @param emitted told of each chunk once its rows have all gone out
   * @param changed signalled when a chunk gives a range back, which a reader may take
   */
  ChunkWindows(Source source, SnapshotMemory memory, Predicate<TableSnapshot> replaying, Consumer<Chunk> emitted,
      Condition changed) {
    this.source = source;
    this.memory = memory;
    this.replaying = replaying;
    this.emitted = emitted;
    this.changed = changed;
    this.buffered = new PriorityQueue<>((a, b) -> source.comparePositions(a.high, b.high));
  }

  /** A chunk read, its high watermark known: it waits here until the log passes that. */
  void buffer(Chunk c) {
    buffered.add(c);
  }

  int buffered() {
    return buffered.size();
  }

  /**
   * Routes an event on a key of a keyed table: emitted when the table streams or the key's chunk is
   * finished, applied to its chunk's rows when in the chunk's window; otherwise the caller learns
   * what it must do.
   */
  EventRoute route(TableSnapshot t, ChangeEvent e, Consumer<Event> out) {
    Key key = e.key();
    Position p = e.position();
    if (t.phase == Phase.STREAMING || t.finished.contains(key)) {
      out.accept(e);
      return EventRoute.DONE;
    }
    Chunk c = t.active.find(key);
    if (c == null) {
      return EventRoute.NOT_READ;
    }
    if (c.state == Chunk.State.READING && (c.low == null || source.comparePositions(p, c.low) > 0)) {
      return EventRoute.AWAIT_ROWS; // the rows are on their way; this event belongs in the chunk's window
    }
    if (source.comparePositions(p, c.low) > 0) {
      apply(c, e, out);
      return EventRoute.DONE;
    }
    return EventRoute.SEEN;
  }

  /**
   * Applies an event in a buffered chunk's window to its rows. Events that push it past its row or
   * byte bound (inserts, or updates that enlarge rows) make it keep its lower part and give the
   * upper part back, to be read again later.
   */
  private void apply(Chunk c, ChangeEvent e, Consumer<Event> out) {
    long beforeRows = c.rows();
    long beforeBytes = c.bytes();
    c.apply(e.key(), e.op() == Op.DELETE ? e.before() : e.after(), e.op() == Op.DELETE);
    if (memory.overBound(c)) {
      shrink(c, e.position(), out);
    }
    memory.held(c.rows() - beforeRows, c.bytes() - beforeBytes);
  }

  private void shrink(Chunk c, Position at, Consumer<Event> out) {
    TableSnapshot t = c.table;
    KeyRange old = c.range;
    // The deletes given back go out now, while the log is at the event that overfilled the chunk:
    // they carry that position, not the chunk's high watermark, which the log has not reached yet.
    KeyRange rest = c.shrinkTo(memory.keepRows(), memory.keepBytes(), deletes(t, at, out));
    if (rest != null) {
      t.recut(c, old, rest, at);
      changed.signalAll();
    }
  }

  /** Emits the chunks whose high watermark is before {@code p} (or at it, when {@code inclusive}). */
  void release(Position p, boolean inclusive, Consumer<Event> out) {
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
    TableSchema schema = c.table.schema;
    Position high = c.high;
    long rows = c.rows();
    long bytes = c.bytes();
    c.drain(r -> out.accept(ChangeEvent.read(schema, r, high)), deletes(c.table, high, out));
    memory.emitted(rows, bytes);
    emitted.accept(c);
  }

  /** Where a window's deletes go: out as deletes at {@code at} for a replaying table, nowhere otherwise. */
  private Consumer<Row> deletes(TableSnapshot t, Position at, Consumer<Event> out) {
    return replaying.test(t) ? r -> out.accept(new ChangeEvent(t.schema, Op.DELETE, r, null, at, null, null)) : null;
  }
}
