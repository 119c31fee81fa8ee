package dev.sluice.core.runtime;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.checkpoint.TableProgress;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.runtime.PipelineStatus.State;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.snapshot.BufferGauge;
import dev.sluice.core.snapshot.ChunkReaders;
import dev.sluice.core.snapshot.Reconciler;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.LogBatch;
import dev.sluice.core.source.Source;
import dev.sluice.core.transform.EventTransform;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running pipeline: source, reconciler, transform, sink and checkpoints, on one named thread
 * plus the snapshot's chunk readers. Order of durability: the sink is flushed before the checkpoint
 * that covers its data is saved (at-least-once), or both commit together (exactly-once). A clean
 * {@link #stop()} drains, flushes and checkpoints; {@link #kill()} abandons everything in flight,
 * like a crash.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  private static final long POLL_MILLIS = 100;
  /**
   * While snapshotting, a chunk read on an idle log is released by the next poll's position, so the
   * poll must come back soon; a longer wait would leave chunk slots idle.
   */
  private static final long SNAPSHOT_POLL_MILLIS = 2;
  /**
   * Longest time an event waits in the pipeline for more to batch with: events go to the sink once
   * {@code batchSize} have gathered or the first of them has waited this long, so a light stream is
   * delivered within milliseconds and a heavy one still in full batches.
   */
  static final long LINGER_MILLIS = 5;
  /**
   * A log that returned nothing for this long has ended the source transaction of its last change:
   * sources deliver a transaction's changes together once it commits (binlog, pgoutput), so such a
   * pause falls between transactions.
   */
  static final long QUIET_MILLIS = 1000;

  private final String id;
  private final Source source;
  private final Sink sink;
  private final CheckpointStore store;
  private final PipelineOptions options;
  /** The options' checkpoint interval, or the sink's own where it asks for one. */
  private final long checkpointMillis;
  /**
   * How long a due checkpoint may wait for the source transaction in progress to end, when the sink
   * wants source transactions whole ({@link Sink#transactionBoundaryWait}); -1 when it does not.
   */
  private final long transactionWaitMillis;
  private final EventTransform transform;
  private final Clock clock;
  private final Thread thread;
  private final CountDownLatch finished = new CountDownLatch(1);

  private volatile State state = State.STARTING;
  private volatile boolean stopRequested;
  private volatile boolean ownsConnectors;
  private volatile boolean killed;
  private volatile Throwable failure;
  private volatile Reconciler reconciler;
  private volatile long eventsWritten;
  private final Throughput throughput = new Throughput();
  private final TableThroughput tableThroughput = new TableThroughput();
  private volatile long checkpoints;
  private volatile Instant lastCheckpoint;
  private volatile long lastSourceMillis = -1;
  /** The log had nothing more to give and every event read was written: the pipeline is caught up. */
  private volatile boolean caughtUp;
  /** Per table, the commit-to-read latency of its last change (one entry per captured table at most). */
  private final Map<TableId, Long> tableLag = new ConcurrentHashMap<>();

  private final List<ChangeEvent> pending = new ArrayList<>();
  /** When the oldest event in {@link #pending} arrived (clock millis). */
  private long pendingSince;
  private ChangeLog log;
  /** The batch being handed to the reconciler, while it holds the rest; {@code null} between polls. */
  private LogBatch batch;
  /** Index of the next event of {@link #batch} to hand over. */
  private int next;
  private ChunkReaders readers;
  /** Transaction id of the last change the log returned ({@code null}: it had none). */
  private String lastTransaction;
  /** When the log last returned an event (clock millis). */
  private long lastLogEvent;
  /** When a due checkpoint was held back inside a source transaction (clock millis); -1: none is. */
  private long deferredSince = -1;
  /** While a checkpoint is held back: the log's state as of {@link #position}, before the next poll. */
  private Map<String, String> deferredState;

  /**
   * @param store where checkpoints go in at-least-once mode; ignored in exactly-once mode, where the
   *     sink's own atomic store is used
   */
  public Pipeline(String id, Source source, Sink sink, CheckpointStore store, PipelineOptions options,
      EventTransform transform) {
    this.id = id;
    this.source = source;
    this.sink = sink;
    this.options = options;
    this.checkpointMillis = sink.checkpointInterval().orElse(options.checkpointInterval()).toMillis();
    this.transactionWaitMillis = sink.transactionBoundaryWait().map(d -> d.toMillis()).orElse(-1L);
    this.transform = transform == null ? EventTransform.IDENTITY : transform;
    this.clock = Clock.systemUTC();
    if (options.delivery() == Delivery.EXACTLY_ONCE) {
      this.store = sink.atomicCheckpoints().orElseThrow(() -> new ConfigurationException("pipeline " + id
          + ": delivery exactly-once needs a sink that commits checkpoints with its data, and "
          + sink.getClass().getSimpleName() + " cannot; use at-least-once"));
    } else {
      this.store = store;
    }
    this.thread = new Thread(this::run, "sluice-" + id + "-pipeline");
  }

  public String id() {
    return id;
  }

  /** Where this pipeline's checkpoints live: the given store, or the sink's own in exactly-once mode. */
  public CheckpointStore checkpointStore() {
    return store;
  }

  /**
   * Makes the pipeline close its source and sink when it ends (cleanly, on failure or killed), for
   * callers that build fresh connectors for each run. By default the caller keeps them.
   */
  public Pipeline ownsConnectors() {
    this.ownsConnectors = true;
    return this;
  }

  public Pipeline start() {
    thread.start();
    return this;
  }

  /** Asks for a clean stop: drain, flush, checkpoint. Returns at once; see {@link #await}. */
  public void stop() {
    stopRequested = true;
  }

  /**
   * Abandons the pipeline as a crash would: no flush, no checkpoint, threads interrupted. Waits until
   * its threads are gone. For tests of crash recovery, and for an operator's hard stop.
   */
  public void kill() throws InterruptedException {
    killed = true;
    thread.interrupt();
    finished.await();
  }

  /** Waits for the pipeline to end; true if it ended within the timeout. */
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return finished.await(timeout, unit);
  }

  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  public PipelineStatus status() {
    Reconciler r = reconciler;
    long last = lastSourceMillis;
    Throwable f = failure;
    boolean idle = caughtUp;
    Map<TableId, Long> lags = new HashMap<>(tableLag);
    if (idle) {
      lags.replaceAll((t, lag) -> 0L);
    }
    long written = eventsWritten;
    return new PipelineStatus(id, state, r == null ? List.of() : r.status(), written,
        throughput.perSecond(clock.millis(), written), checkpoints,
        lastCheckpoint, last < 0 ? -1 : idle ? 0 : Math.max(0, clock.millis() - last), f == null ? null : f.getMessage(),
        Map.copyOf(lags), sinkStoppedTables(), tableThroughput.perSecond(clock.millis()));
  }

  private Map<TableId, String> sinkStoppedTables() {
    try {
      return sink.stoppedTables();
    } catch (RuntimeException e) {
      return Map.of(); // a status must never fail because the sink cannot answer
    }
  }

  /** The snapshot's memory gauge (empty before start). */
  public Optional<BufferGauge> bufferGauge() {
    Reconciler r = reconciler;
    return r == null ? Optional.empty() : Optional.of(r.gauge());
  }

  @Override
  public String toString() {
    return "Pipeline[" + id + " " + state + " at " + (position == null ? null : position.encode()) + " " + reconciler + "]";
  }

  private void run() {
    try {
      open();
      long nextCheckpoint = clock.millis() + checkpointMillis;
      boolean finalCheckpointTaken = false;
      // A sink that wants transactions whole ends with a checkpoint taken at a boundary in the loop.
      while (!stopRequested || (transactionWaitMillis >= 0 && !finalCheckpointTaken)) {
        if (killed) {
          throw new InterruptedException("killed");
        }
        long wait = reconciler.snapshotting() ? SNAPSHOT_POLL_MILLIS : POLL_MILLIS;
        if (!pending.isEmpty()) {
          wait = Math.max(0, Math.min(wait, pendingSince + LINGER_MILLIS - clock.millis()));
        }
        Position before = position;
        boolean polledEvents = false;
        if (batch == null && !reconciler.logHeld()) {
          LogBatch polled = log.poll(wait, TimeUnit.MILLISECONDS);
          if (deferredSince >= 0 && startsAnotherTransaction(polled)) {
            // The previous batch ended the source transaction: the held-back checkpoint goes first,
            // at the previous batch's position, before any of this batch reaches the sink.
            checkpoint(deferredState, false);
            deferredSince = -1;
            nextCheckpoint = clock.millis() + checkpointMillis;
            if (stopRequested) {
              finalCheckpointTaken = true; // this batch is read again on the next start
              break;
            }
          }
          batch = polled;
          next = 0;
          polledEvents = !polled.events().isEmpty();
          if (polledEvents) {
            lastLogEvent = clock.millis();
          }
        }
        boolean idle = route(wait);
        throughput.sample(clock.millis(), eventsWritten);
        tableThroughput.sample(clock.millis());
        if (pending.size() >= options.batchSize()
            || (!pending.isEmpty() && clock.millis() - pendingSince >= LINGER_MILLIS)) {
          writePending();
        } else if (pending.isEmpty()) {
          reconciler.written(); // chunks emitted with no rows to write free their slots now
        }
        caughtUp = idle && pending.isEmpty();
        if (clock.millis() >= nextCheckpoint || deferredSince >= 0 || (stopRequested && transactionWaitMillis >= 0)) {
          if (mayCheckpointNow()) {
            checkpoint(log.state(), true);
            deferredSince = -1;
            nextCheckpoint = clock.millis() + checkpointMillis;
            finalCheckpointTaken = stopRequested;
          } else {
            if (deferredSince < 0) {
              deferredSince = clock.millis();
            }
            if (deferredState == null || position != before || polledEvents) {
              deferredState = log.state();
            }
          }
        }
        state = reconciler.snapshotting() ? State.SNAPSHOTTING : State.STREAMING;
        if (options.startup() == StartupMode.SNAPSHOT_ONLY && !reconciler.snapshotting() && !stopRequested) {
          LOG.info("pipeline={} snapshot complete; stopping (snapshot-only)", id);
          if (transactionWaitMillis < 0) {
            break;
          }
          stopRequested = true; // the last checkpoint still waits for a transaction boundary
        }
      }
      state = State.STOPPING;
      if (!finalCheckpointTaken) {
        checkpoint(log.state(), true);
      }
      shutDown();
      state = State.STOPPED;
      LOG.info("pipeline={} stopped after {} events", id, eventsWritten);
    } catch (InterruptedException e) {
      shutDownQuietly();
      state = killed ? State.STOPPED : State.FAILED;
    } catch (RuntimeException | Error e) {
      if (killed) {
        // An interrupted write or save, as a crash would leave it: not the pipeline's failure.
        shutDownQuietly();
        state = State.STOPPED;
        return;
      }
      failure = e;
      state = State.FAILED;
      if (e instanceof dev.sluice.core.SluiceException) {
        LOG.error("pipeline={} failed: {}", id, e.getMessage()); // says what and where; no stack needed
      } else {
        LOG.error("pipeline={} failed: {}", id, e, e);
      }
      shutDownQuietly();
    } finally {
      if (ownsConnectors) {
        closeConnectors();
      }
      finished.countDown();
    }
  }

  private void closeConnectors() {
    try {
      sink.close();
    } catch (Exception e) {
      LOG.warn("pipeline={} error closing the sink: {}", id, e.toString());
    }
    try {
      source.close();
    } catch (RuntimeException e) {
      LOG.warn("pipeline={} error closing the source: {}", id, e.toString());
    }
  }

  /** The position up to which every log event has been handed to the reconciler. */
  private Position position;

  private void open() throws InterruptedException {
    Optional<Checkpoint> cp = store.load();
    List<TableSchema> schemas = source.tables();
    Map<String, String> state = Map.of();
    if (cp.isPresent()) {
      position = source.decodePosition(cp.get().position());
      state = cp.get().connectorState();
      LOG.info("pipeline={} resuming from checkpoint at {} ({} tables)", id, position.encode(), schemas.size());
    } else if (options.startup() == StartupMode.SOURCE_OFFSET) {
      position = source.startOffset();
      LOG.info("pipeline={} starting at the source's configured offset {} ({} tables, no snapshot)", id,
          position.encode(), schemas.size());
    } else {
      position = source.lowWatermark();
      LOG.info("pipeline={} starting fresh at {} ({} tables)", id, position.encode(), schemas.size());
    }
    Map<TableId, TableProgress> progress = cp.map(Checkpoint::tables).orElse(Map.of());
    if (cp.isEmpty() && (options.startup() == StartupMode.LATEST_OFFSET
        || options.startup() == StartupMode.SOURCE_OFFSET)) {
      Map<TableId, TableProgress> streaming = new LinkedHashMap<>();
      schemas.forEach(s -> streaming.put(s.id(), TableProgress.STREAMING));
      progress = streaming;
    }
    reconciler = new Reconciler(id, source, schemas, progress, options.snapshot(),
        options.delivery() == Delivery.AT_LEAST_ONCE);
    log = source.openLog(position, state);
    if (cp.isEmpty()) {
      // Record the start before anything reaches the sink: a crash before the first regular
      // checkpoint must resume (passing deletes through), not start over blind to what the sink
      // already holds.
      checkpoint();
    }
    readers = new ChunkReaders(id, reconciler, source, options.snapshot().parallelism());
    readers.start();
    this.state = reconciler.snapshotting() ? State.SNAPSHOTTING : State.STREAMING;
  }

  /**
   * Hands the events of {@link #batch} to the reconciler, from {@link #next} on. While the
   * reconciler holds the log (a table without a key is being read and the events waiting behind its
   * rows fill their share), the rest of the batch waits, and the loop polls no new one, until that
   * read's rows have gone out; meanwhile the rows read are emitted.
   *
   * @return true when the log had nothing new: an empty batch was handed over
   */
  private boolean route(long wait) throws InterruptedException {
    List<Event> events = batch == null ? List.of() : batch.events();
    while (next < events.size() && !reconciler.logHeld()) {
      Event e = events.get(next++);
      reconciler.onEvent(e, this::emit);
      if (e instanceof ChangeEvent ce) {
        lastTransaction = ce.transactionId();
        if (ce.sourceTime() != null) {
          long source = ce.sourceTime().toEpochMilli();
          lastSourceMillis = source;
          tableLag.put(ce.table(), Math.max(0, clock.millis() - source));
        }
      }
    }
    if (batch == null || next < events.size()) {
      reconciler.awaitLog(wait);
      reconciler.onReached(position, this::emit); // every event up to position was handed over
      return false;
    }
    reconciler.onReached(batch.reached(), this::emit);
    position = batch.reached();
    batch = null;
    return events.isEmpty();
  }

  private void emit(Event e) {
    Event out = transform.apply(e);
    if (out instanceof ChangeEvent ce) {
      if (e instanceof ChangeEvent captured) {
        tableThroughput.count(captured.table()); // by the captured table's name, as the status shows it
      }
      if (pending.isEmpty()) {
        pendingSince = clock.millis();
      }
      pending.add(ce);
    } else if (out instanceof SchemaChangeEvent sc) {
      writePending();
      sink.apply(sc);
    }
  }

  private void writePending() {
    if (!pending.isEmpty()) {
      sink.write(List.copyOf(pending));
      eventsWritten += pending.size();
      pending.clear();
    }
    if (reconciler != null) {
      reconciler.written(); // the rows emitted from the snapshot's buffer are the sink's now
    }
  }

  /**
   * Whether a due checkpoint may be taken now: always, unless the sink wants source transactions
   * whole and the log's last change belongs to a transaction that may not have ended (no change
   * without a transaction id since, no quiet log). A checkpoint held back longer than the sink's
   * wait is taken all the same, splitting that transaction over two target commits (logged).
   */
  private boolean mayCheckpointNow() {
    if (transactionWaitMillis < 0 || lastTransaction == null || clock.millis() - lastLogEvent >= QUIET_MILLIS) {
      return true;
    }
    if (deferredSince >= 0 && clock.millis() - deferredSince >= transactionWaitMillis) {
      LOG.warn("pipeline={} checkpoint taken inside source transaction {} after waiting {} ms for its end: "
          + "its changes are committed in more than one sink transaction", id, lastTransaction, transactionWaitMillis);
      return true;
    }
    return false;
  }

  /** Whether the batch's first change belongs to another transaction than the last change before it. */
  private boolean startsAnotherTransaction(LogBatch batch) {
    for (Event e : batch.events()) {
      if (e instanceof ChangeEvent ce) {
        return !Objects.equals(ce.transactionId(), lastTransaction);
      }
    }
    return false;
  }

  private void checkpoint() throws InterruptedException {
    checkpoint(log.state(), true);
  }

  /**
   * Flushes (at-least-once) and saves a checkpoint at {@link #position} with the log's state as of
   * that position; {@code acknowledge}: tell the log it is durable (not when it has since returned a
   * batch the checkpoint does not cover: the next checkpoint acknowledges both).
   */
  private void checkpoint(Map<String, String> logState, boolean acknowledge) throws InterruptedException {
    if (killed) {
      throw new InterruptedException("killed");
    }
    writePending();
    if (batch != null || reconciler.holdsCheckpoint()) {
      // Log events polled wait behind a table read whole: the log's state, and soon the position,
      // are past them. The last checkpoint stays; a restart replays from there (at-least-once).
      LOG.debug("pipeline={} checkpoint skipped: log events wait behind a table read whole", id);
      return;
    }
    Checkpoint cp = new Checkpoint(id, position.encode(), reconciler.progress(), logState, clock.instant());
    if (options.delivery() == Delivery.AT_LEAST_ONCE) {
      sink.flush();
    }
    store.save(cp);
    if (acknowledge) {
      log.committed();
    }
    deferredState = null;
    checkpoints++;
    lastCheckpoint = cp.savedAt();
    LOG.debug("pipeline={} checkpoint at {}", id, cp.position());
  }

  private void shutDown() throws InterruptedException {
    if (readers != null) {
      readers.stop();
    }
    if (log != null) {
      log.close();
    }
  }

  private void shutDownQuietly() {
    try {
      shutDown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("pipeline={} error while shutting down: {}", id, e.toString());
    }
  }
}
