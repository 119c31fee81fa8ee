package dev.sluice.core.snapshot;

import dev.sluice.core.checkpoint.TableProgress;
import dev.sluice.core.checkpoint.TableProgress.Phase;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;

/**
 * The snapshot state of one table, guarded by the {@link Reconciler}'s lock. Its size is bounded by
 * the number of chunks in memory, never by the table: finished chunks collapse into merged ranges,
 * and all of it is dropped when the table enters streaming.
 */
final class TableSnapshot {
  final TableSchema schema;
  final Comparator<Key> order;
  final ChunkPlanner planner;

  volatile Phase phase;
  /** Upper bound of the last planned chunk; meaningful once {@link #planStarted}. */
  Key cursor;
  boolean planStarted;
  boolean planComplete;
  /** A reader is running a planning query for this table. */
  boolean planning;

  /** Ranges to read before planning more: remainders of cut chunks first, then recovery ranges. */
  final Deque<Chunk> pending = new ArrayDeque<>();
  /**
   * Resumed from a checkpoint taken mid-snapshot: any key not finished at the checkpoint may have
   * reached the sink after it, in a chunk emitted before the crash, whether that chunk was planned
   * before the checkpoint or after it.
   */
  final boolean resumed;
  /** Chunks reading or buffered. */
  final RangeSet<Chunk> active;
  /** Emitted chunks, merged. */
  final RangeSet<Boolean> finished;
  /** The table has no key and its one chunk is being read, or its deferred events wait. */
  WholeTableRead whole;

  long chunksDone;
  long rowsRead;

  TableSnapshot(TableSchema schema, Comparator<Key> order, ChunkPlanner planner, TableProgress from,
      boolean resumed) {
    this.schema = schema;
    this.order = order;
    this.planner = planner;
    this.resumed = resumed;
    this.active = new RangeSet<>(order);
    this.finished = new RangeSet<>(order);
    this.phase = from.phase();
    if (phase == Phase.STREAMING) {
      return;
    }
    from.finished().forEach(r -> RangeSet.addMerged(finished, r));
    planStarted = from.cursor() != null || from.planComplete();
    cursor = from.cursor();
    planComplete = from.planComplete();
    if (planStarted) {
      // Everything planned but not finished before the restart is read again.
      for (KeyRange gap : finished.gapsUpTo(planComplete ? null : cursor)) {
        pending.add(new Chunk(this, gap));
      }
    }
  }

  boolean isDone() {
    return planComplete && !planning && pending.isEmpty() && active.isEmpty();
  }

  TableProgress progress() {
    if (phase == Phase.STREAMING) {
      return TableProgress.STREAMING;
    }
    return new TableProgress(Phase.SNAPSHOT, planStarted ? cursor : null, planComplete, finished.ranges());
  }

  /** This table at a glance; see {@link TableStatus}. */
  TableStatus status(int chunkSize) {
    long inHand = active.size() + pending.size();
    TableStatus.Phase shown = phase == Phase.STREAMING ? TableStatus.Phase.STREAMING
        : planStarted ? TableStatus.Phase.SNAPSHOT : TableStatus.Phase.PLANNING;
    long known = chunksDone + inHand;
    long estimated = planner == null ? -1 : planner.approximateRows();
    long total = phase == Phase.STREAMING || planComplete ? known
        : estimated < 0 ? (known > 0 ? known : -1)
        : Math.max(known, (estimated + chunkSize - 1) / chunkSize);
    return new TableStatus(schema.id(), shown, chunksDone, inHand, planComplete, rowsRead, estimated, total);
  }

  /** The planner cut the next chunk: it is queued, and the cursor moves past it. */
  void planned(KeyRange range) {
    planStarted = true;
    cursor = range.hi();
    planComplete = range.hi() == null;
    pending.addLast(new Chunk(this, range));
  }

  /** The chunk's rows are emitted: its range is finished. Returns whether the whole table is. */
  boolean finished(Chunk c) {
    active.remove(c.range);
    RangeSet.addMerged(finished, c.range);
    chunksDone++;
    return isDone();
  }

  /**
   * A read stopped at the chunk's bound: the chunk now ends at its last key read, and the rest of its
   * range is queued to be read before anything new. Events on those keys after the low watermark
   * have waited for the rows, so none is lost.
   */
  void cutAfterLastRead(Chunk c) {
    Key last = c.lastReadKey();
    if (last == null || (c.range.hi() != null && order.compare(last, c.range.hi()) >= 0)) {
      return; // nothing left after the last key read
    }
    KeyRange old = c.range;
    c.range = new KeyRange(old.lo(), last);
    recut(c, old, new KeyRange(last, old.hi()), null);
  }

  /**
   * The chunk that had range {@code old} now has a smaller one, and {@code rest} is queued to be read
   * before anything new, once {@code notBefore} (when not {@code null}) is visible.
   */
  void recut(Chunk c, KeyRange old, KeyRange rest, Position notBefore) {
    active.remove(old);
    active.put(c.range, c);
    Chunk given = new Chunk(this, rest);
    given.notBefore = notBefore;
    pending.addFirst(given);
  }

  /** This table's chunks in hand and their watermarks, for diagnosing a stalled snapshot. */
  void describe(StringBuilder s) {
    s.append(' ').append(schema.id()).append(':').append(phase).append(" pending=").append(pending.size());
    for (Chunk c : active.values()) {
      s.append(' ').append(c.range).append('/').append(c.state).append(" low=")
          .append(c.low == null ? null : c.low.encode()).append(" high=")
          .append(c.high == null ? null : c.high.encode());
    }
  }
}
