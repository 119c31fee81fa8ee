package dev.sluice.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.runtime.PipelineStatus.State;
import dev.sluice.core.snapshot.BufferGauge;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySink;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table with neither a primary key nor a chunk key column, next to a keyed one, in at-least-once
 * mode: read as one chunk whose rows stream to the sink, its log events from the chunk's low
 * watermark on held back until the last row is out. The sink keeps such a table as a multiset of
 * rows changed by full row. What holds exactly, and is asserted:
 *
 * <ul>
 *   <li>no loss: every row of the source is in the sink;
 *   <li>nothing invented: every row in the sink is a row the source held at some time (rows carry
 *       the sequence number of their write, so each is distinct);
 *   <li>without a crash, a row written before the pipeline started is in the sink exactly as often
 *       as in the source (once or not at all). Only a row written while the table was being read
 *       can arrive twice (the SELECT saw it, and its insert follows the rows), and if it is changed
 *       again later, one stale copy of it stays: collapsing duplicates gives the source plus those;
 *   <li>the keyed table beside it still equals its source row for row.
 * </ul>
 */
class KeylessTableTest {
  @TempDir Path dir;

  static LongStream seeds() {
    return Scenario.seeds(4);
  }

  /** One randomized run: a keyed and a keyless table under concurrent writes. */
  private final class Run {
    final long seed;
    final Random random;
    final MemoryDatabase db = new MemoryDatabase();
    final Workload workload;
    final TableSchema keyed;
    final TableSchema keyless;
    final MemorySource source;
    final MemorySink sink = new MemorySink(false, 1);
    final PipelineOptions options;
    final long writtenBeforeStart;
    Pipeline pipeline;

    Run(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
      this.workload = new Workload(db, seed, 20);
      this.keyed = workload.addTable("keyed", KeyKind.DENSE, random.nextInt(1500));
      this.keyless = workload.addKeylessTable("keyless", 500 + random.nextInt(1500));
      this.writtenBeforeStart = db.logEnd();
      this.source = new MemorySource(db, 300, true);
      int parallelism = 1 + random.nextInt(4);
      int chunkSize = new int[] {5, 37, 200}[random.nextInt(3)];
      SnapshotOptions snapshot = new SnapshotOptions(parallelism, chunkSize,
          2L * chunkSize * (1 + random.nextInt(2 * parallelism)), 256L << 20);
      this.options = new PipelineOptions(snapshot, 1 + random.nextInt(500), Duration.ofMillis(random.nextInt(60)),
          Delivery.AT_LEAST_ONCE);
    }

    /** Starts the writers, then the pipeline. */
    void startWithWrites() {
      workload.start(2, 200);
      start();
    }

    Pipeline start() {
      pipeline = new Pipeline("k" + seed, source, sink, new FileCheckpointStore(dir, "k" + seed), options, null).start();
      return pipeline;
    }

    /** Stops the writers, waits until the pipeline has caught up with the log, and stops it cleanly. */
    void finish() throws InterruptedException {
      workload.stop();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
        assertThat(pipeline.failure()).as("%s", this).isEmpty();
        PipelineStatus status = pipeline.status();
        assertThat(status.state()).as("%s", this).isEqualTo(State.STREAMING);
        assertThat(status.lagMillis()).as("%s: caught up", this).isZero();
        assertThat(missing()).as("%s", this).isEmpty();
      });
      pipeline.stop();
      assertThat(pipeline.await(10, TimeUnit.SECONDS)).as("%s: clean stop", this).isTrue();
      assertThat(pipeline.failure()).as("%s", this).isEmpty();
      assertThat(Scenario.diff(db.latestRows(keyed.id()), sink.rows(keyed.id()))).as("%s: keyed table", this).isEmpty();
      assertThat(missing()).as("%s: rows lost", this).isEmpty();
      Set<Row> invented = new HashSet<>(sink.copies(keyless.id()).keySet());
      invented.removeAll(db.everHeld(keyless.id()));
      assertThat(invented).as("%s: rows the source never held", this).isEmpty();
    }

    /** Source rows of the keyless table that are not in the sink. */
    List<Row> missing() {
      Map<Row, Integer> copies = sink.copies(keyless.id());
      List<Row> out = new ArrayList<>();
      for (Row r : db.latestRows(keyless.id()).values()) {
        if (!copies.containsKey(r)) {
          out.add(r);
        }
      }
      return out.size() > 20 ? out.subList(0, 20) : out;
    }

    /** Rows in the sink more often than in the source, whether duplicated or stale. */
    List<Row> extra() {
      Set<Row> source = new HashSet<>(db.latestRows(keyless.id()).values());
      List<Row> out = new ArrayList<>();
      sink.copies(keyless.id()).forEach((r, n) -> {
        if (n > 1 || !source.contains(r)) {
          out.add(r);
        }
      });
      return out;
    }

    @Override
    public String toString() {
      return "seed=" + seed + " " + options.snapshot() + " batch=" + options.batchSize();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void keylessTableIsReadWholeAndLosesNothingUnderConcurrentWrites(long seed) throws Exception {
    Run run = new Run(seed);
    run.startWithWrites();
    TimeUnit.MILLISECONDS.sleep(run.random.nextInt(400)); // writes overlap the read
    run.finish();
    for (Row r : run.extra()) {
      assertThat((Long) r.get(1)).as("%s: %s is in the sink more often than in the source, though it was written"
          + " before the pipeline started", run, r).isGreaterThan(run.writtenBeforeStart);
    }
    assertThat(run.source.reads()).as("%s: one read of the keyless table", run)
        .filteredOn(read -> read.table().equals(run.keyless.id())).hasSize(1);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void keylessTableLosesNothingAcrossCrashesWithWritesWhileDown(long seed) throws Exception {
    Run run = new Run(seed);
    run.startWithWrites();
    int crashes = 2 + run.random.nextInt(2);
    for (int i = 0; i < crashes; i++) {
      TimeUnit.MILLISECONDS.sleep(run.random.nextInt(250));
      run.pipeline.kill();
      assertThat(run.pipeline.failure()).as("%s", run).isEmpty();
      run.sink.crash(); // what it had not flushed is lost
      TimeUnit.MILLISECONDS.sleep(run.random.nextInt(100)); // writes while down
      run.source.nextEpoch();
      run.start();
    }
    run.finish();
  }

  @Test
  void rowsDeletedAfterTheirReadReachedTheSinkAreDeletedThereAcrossACrash() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    TableSchema t = new Workload(db, 7, 20).addKeylessTable("ghosts", 3000);
    MemorySink sink = new MemorySink(false, 1);
    // Slow reads, a small buffer and frequent checkpoints: the read is still going when some of its
    // rows are in the sink and several checkpoints have come due.
    PipelineOptions options = new PipelineOptions(new SnapshotOptions(1, 20, 40, 256L << 20), 10,
        Duration.ofMillis(10), Delivery.AT_LEAST_ONCE);
    Pipeline first = new Pipeline("g", new MemorySource(db, 20_000, true), sink, new FileCheckpointStore(dir, "g"),
        options, null).start();
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.copies(t.id()).size() >= 100);
    List<Row> inSink = new ArrayList<>(sink.copies(t.id()).keySet());
    // Deleted during the read: these deletes wait behind the read's rows, and no checkpoint may pass them.
    delete(db, t, inSink.subList(0, 10)); // fewer than the deferred events' share: the log goes on
    TimeUnit.MILLISECONDS.sleep(100);
    first.kill();
    assertThat(first.failure()).isEmpty();
    sink.crash();
    assertThat(sink.copies(t.id())).as("the read stopped before the end").hasSizeLessThan(3000 - 10);
    delete(db, t, inSink.subList(10, 50)); // deleted while the pipeline is down

    Pipeline second = new Pipeline("g", new MemorySource(db, 0, true), sink, new FileCheckpointStore(dir, "g"),
        options, null).start();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(second.failure()).isEmpty();
      assertThat(second.status().state()).isEqualTo(State.STREAMING);
      assertThat(second.status().lagMillis()).isZero();
    });
    second.stop();
    assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    // Rows read before the crash arrive again (at-least-once); the deleted ones are gone.
    assertThat(sink.copies(t.id()).keySet()).isEqualTo(new HashSet<>(db.latestRows(t.id()).values()));
  }

  private static void delete(MemoryDatabase db, TableSchema t, List<Row> rows) {
    for (Row r : rows) {
      db.write(t.id(), Key.of(r.get(0)), (before, seq) -> null);
    }
    db.publish();
  }

  @Test
  void memoryStaysWithinTheBoundForATable100TimesTheBuffer() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    Workload workload = new Workload(db, 42, 100);
    int chunkSize = 25;
    long maxRows = 4L * chunkSize; // two chunk slots
    long maxBytes = 32 * 1024;
    TableSchema t = workload.addKeylessTable("big", (int) (100 * maxRows));
    MemorySink sink = new MemorySink(false, 1);
    SnapshotOptions snapshot = new SnapshotOptions(4, chunkSize, maxRows, maxBytes);
    // Batches smaller than the rows' half of the slot: rows go out as soon as a batch is full.
    PipelineOptions options = new PipelineOptions(snapshot, 12, Duration.ofMillis(50), Delivery.AT_LEAST_ONCE);
    workload.start(2, 1000); // updates, deletes and inserts all the while the table is read
    Pipeline p = new Pipeline("bounded-keyless", new MemorySource(db, 50, true), sink,
        new FileCheckpointStore(dir, "bounded-keyless"), options, null).start();
    await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == State.STREAMING || p.failure().isPresent());
    workload.stop();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(p.failure()).isEmpty();
      assertThat(p.status().state()).isEqualTo(State.STREAMING);
      assertThat(p.status().lagMillis()).isZero();
    });
    BufferGauge gauge = p.bufferGauge().orElseThrow();
    p.stop();
    assertThat(p.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sink.copies(t.id()).keySet()).containsAll(db.latestRows(t.id()).values());

    // One table, so one chunk and one slot: its rows on their way to the sink and the log events
    // waiting behind them each stay within half of it.
    assertThat(gauge.peakRows()).as("peak buffered rows").isPositive().isLessThanOrEqualTo(snapshot.maxChunkRows());
    long largestRow = 1024; // id + version + a ~100-char payload, generously
    assertThat(gauge.peakBytes()).as("peak buffered bytes")
        .isLessThanOrEqualTo(snapshot.maxChunkBytes() + 3 * largestRow); // a batch's last row, an update's two
    assertThat(gauge.rows()).as("nothing left buffered").isZero();
  }

  @Test
  void exactlyOnceRefusesAKeylessTableNamingItAndTheFixes() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    TableSchema t = new Workload(db, 3, 0).addKeylessTable("no_key", 10);
    PipelineOptions options = PipelineOptions.DEFAULTS.withDelivery(Delivery.EXACTLY_ONCE);
    Pipeline p = new Pipeline("once", new MemorySource(db), new MemorySink(true, 1), null, options, null).start();
    assertThat(p.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.failure()).get().isInstanceOf(ConfigurationException.class)
        .extracting(Throwable::getMessage).asString()
        .contains(t.id().toString(), "primary key", "scan.incremental.snapshot.chunk.key-column", "at-least-once");
  }
}
