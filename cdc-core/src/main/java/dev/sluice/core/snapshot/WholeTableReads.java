package dev.sluice.core.snapshot;

import dev.sluice.core.checkpoint.TableProgress.Phase;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Event;
import dev.sluice.core.source.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reads of tables without a key under way (see {@link WholeTableRead}), until their deferred
 * events have gone out: where a log event of such a table goes, when the log must wait, and when a
 * read is over.
 *
 * <p>Guarded by the {@link Reconciler}'s lock: every method but {@link #logHeld()} is called with it
 * held.
 */
final class WholeTableReads {
  /** The snapshot's messages share one category, the reconciler's. */
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final String pipeline;
  private final Source source;
  private final SnapshotOptions options;
  private final SnapshotMemory memory;
  private final Consumer<Chunk> emitted;
  private final List<WholeTableRead> reads = new ArrayList<>();
  /** Some read's deferred events fill their share: the log must wait. */
  private volatile boolean logHeld;

  /** @param emitted told of a read's chunk once its rows and deferred events have all gone out */
  WholeTableReads(String pipeline, Source source, SnapshotOptions options, SnapshotMemory memory,
      Consumer<Chunk> emitted) {
    this.pipeline = pipeline;
    this.source = source;
    this.options = options;
    this.memory = memory;
    this.emitted = emitted;
  }

  /** A reader takes the one chunk of a table without a key. */
  void start(Chunk c) {
    c.table.whole = new WholeTableRead(c, options, memory);
    reads.add(c.table.whole);
  }

  /** Read without the lock. */
  boolean logHeld() {
    return logHeld;
  }

  /** Whether log events wait behind a read: no checkpoint may be taken (see {@link Reconciler#holdsCheckpoint}). */
  boolean holdEvents() {
    return reads.stream().anyMatch(WholeTableRead::hasDeferred);
  }

  /**
   * Everything emitted so far is in the sink: only rows not yet emitted count against each read's
   * share. Returns whether any read is under way (its reader may go on).
   */
  boolean written() {
    reads.forEach(WholeTableRead::written);
    return !reads.isEmpty();
  }

  /**
   * Routes an event of a table without a key. Before its one chunk's window opens the rules are those
   * of any chunk not read yet; after, every event waits until the chunk's last row has been emitted,
   * since none can be matched to a row the SELECT returned.
   */
  EventRoute route(TableSnapshot t, ChangeEvent e, Consumer<Event> out) {
    if (t.whole != null) {
      settle(t.whole, out);
    }
    if (t.phase == Phase.STREAMING) {
      out.accept(e);
      return EventRoute.DONE;
    }
    Chunk c = t.whole == null ? null : t.whole.chunk;
    if (c == null) {
      return EventRoute.NOT_READ;
    }
    if (c.low == null) {
      return EventRoute.AWAIT_ROWS; // the window is opening
    }
    if (source.comparePositions(e.position(), c.low) > 0) {
      t.whole.defer(e);
      logHeld |= t.whole.deferredFull();
      return EventRoute.DONE;
    }
    return EventRoute.SEEN;
  }

  /** Emits what every read has handed over, and ends the reads that are over. */
  void settleAll(Consumer<Event> out) {
    for (WholeTableRead w : List.copyOf(reads)) {
      settle(w, out);
    }
  }

  /**
   * Emits the rows a read has handed over; once it has returned its last row, releases its deferred
   * events after them, and the chunk is finished.
   */
  private void settle(WholeTableRead w, Consumer<Event> out) {
    w.emitHanded(out);
    if (!w.readDone) {
      return;
    }
    int deferred = w.releaseDeferred(out);
    TableSnapshot t = w.chunk.table;
    reads.remove(w);
    t.whole = null;
    logHeld = reads.stream().anyMatch(WholeTableRead::deferredFull);
    LOG.info("pipeline={} table={} read whole: {} rows; {} log events changed it during the read and follow them",
        pipeline, t.schema.id(), t.rowsRead, deferred);
    emitted.accept(w.chunk);
  }
}
