package dev.sluice.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySink;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import dev.sluice.core.testing.Workload.Mix;
import dev.sluice.core.event.Key;
import java.nio.file.Path;
import dev.sluice.core.event.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * One randomized run of the whole engine: a simulated database under concurrent writes, a pipeline
 * snapshotting and streaming it into a checking sink, optional crashes with writes while the
 * pipeline is down, and the final comparison. Everything random derives from the seed, which every
 * failure message names.
 */
final class Scenario {
  final long seed;
  final Random random;
  final KeyKind kind;
  final Delivery delivery;
  final SnapshotOptions snapshot;
  final MemoryDatabase db = new MemoryDatabase();
  final MemorySource source;
  final MemorySink sink;
  final Workload workload;
  final CheckpointStore fileStore;
  /** The writers' mix, how many there are and their longest pause between writes. */
  final Mix mix;
  final int writers;
  final long writerPauseMicros;
  Pipeline pipeline;
  int crashes;
  private final Map<Integer, Checkpoint> finishedAtRestart = new HashMap<>();

  Scenario(long seed, Path dir) {
    this.seed = seed;
    this.random = new Random(seed);
    this.kind = KeyKind.values()[random.nextInt(KeyKind.values().length)];
    this.delivery = random.nextBoolean() ? Delivery.AT_LEAST_ONCE : Delivery.EXACTLY_ONCE;
    int parallelism = 1 + random.nextInt(8);
    int chunkSize = new int[] {5, 37, 200, 1000}[random.nextInt(4)];
    this.snapshot = new SnapshotOptions(parallelism, chunkSize, 2L * chunkSize * (1 + random.nextInt(2 * parallelism)),
        256L << 20);
    this.source = new MemorySource(db, 300, true);
    this.sink = new MemorySink(delivery == Delivery.EXACTLY_ONCE, Workload.versionColumn(kind));
    this.workload = new Workload(db, seed, 20);
    this.fileStore = new FileCheckpointStore(dir, "p" + seed);
    int tables = 1 + random.nextInt(3);
    for (int i = 0; i < tables; i++) {
      workload.addTable("t" + i, kind, random.nextInt(3000));
    }
    this.mix = randomMix(random);
    this.writers = 1 + random.nextInt(4);
    // Fewer writers pause less, so the write rate, and the run's time, stays about the same.
    this.writerPauseMicros = 50L * writers + random.nextInt(100 * writers);
  }

  /**
   * A random write mix: inserts only (at the tail, for dense keys: the open-ended chunk grows all
   * along), delete-heavy, or any weights.
   */
  private static Mix randomMix(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> new Mix(1, 0, 0);
      case 1 -> new Mix(1 + random.nextInt(2), random.nextInt(3), 5 + random.nextInt(5));
      default -> {
        int inserts = random.nextInt(6);
        int updates = random.nextInt(6);
        int deletes = random.nextInt(6);
        yield inserts + updates + deletes == 0 ? Mix.DEFAULT : new Mix(inserts, updates, deletes);
      }
    };
  }

  /** Starts the writers with this run's mix, number and pauses. */
  void startWriters() {
    workload.start(writers, writerPauseMicros, mix);
  }

  /**
   * The seeds of a randomized test: {@code -Dsluice.seed=N} reruns one, {@code -Dsluice.runs=N}
   * runs N (else {@code defaultRuns}) from {@code -Dsluice.seedBase} or the clock.
   */
  static LongStream seeds(int defaultRuns) {
    String one = System.getProperty("sluice.seed");
    if (one != null) {
      return LongStream.of(Long.parseLong(one));
    }
    long base = Long.getLong("sluice.seedBase", System.nanoTime());
    return LongStream.range(0, Integer.getInteger("sluice.runs", defaultRuns)).map(i -> base + i);
  }

  @Override
  public String toString() {
    return "seed=" + seed + " keys=" + kind + " delivery=" + delivery + " " + snapshot + " writes=" + mix + " by "
        + writers + " writers pausing up to " + writerPauseMicros + " us";
  }

  Pipeline startPipeline() {
    PipelineOptions options = new PipelineOptions(snapshot, 1 + random.nextInt(500),
        Duration.ofMillis(random.nextInt(60)), delivery);
    pipeline = new Pipeline("p" + seed, source, sink, fileStore, options, null).start();
    return pipeline;
  }

  Optional<Checkpoint> checkpoint() {
    return delivery == Delivery.EXACTLY_ONCE ? sink.atomicCheckpoints().orElseThrow().load() : fileStore.load();
  }

  /** Kills the pipeline at a random moment, then lets writes go on while it is down. */
  void crashAndRestart() throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(random.nextInt(250)); // the crash point: a random moment of the run
    pipeline.kill();
    assertThat(pipeline.failure()).as("%s", this).isEmpty();
    sink.crash();
    crashes++;
    TimeUnit.MILLISECONDS.sleep(random.nextInt(100)); // writes, deletes included, while it is down
    Optional<Checkpoint> cp = checkpoint();
    int epoch = source.nextEpoch();
    startPipeline();
    cp.ifPresent(c -> finishedAtRestart.put(epoch, c));
  }

  /** Chunks finished at a restart's checkpoint are never read again after it. */
  private void assertFinishedChunksNotReadAgain() {
    for (MemorySource.Read read : source.reads()) {
      Checkpoint c = finishedAtRestart.get(read.epoch());
      if (c == null) {
        continue;
      }
      for (KeyRange done : c.progress(read.table()).finished()) {
        assertThat(read.range().overlaps(done, Key.NATURAL))
            .as("%s: chunk %s of %s read again though %s was finished", this, read.range(), read.table(), done)
            .isFalse();
      }
    }
  }

  /** Stops the writers, waits for the pipeline to catch up, and checks the sink row for row. */
  void finishAndVerify() throws InterruptedException {
    workload.stop();
    for (TableSchema t : workload.tables()) {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
          .untilAsserted(() -> {
            assertThat(pipeline.failure()).as("%s", this).isEmpty();
            if (delivery == Delivery.EXACTLY_ONCE) {
              // Make staged writes visible: a checkpoint commits them.
              assertThat(pipeline.status().checkpoints()).isPositive();
            }
            List<String> diff = diff(db.latestRows(t.id()), sink.rows(t.id()));
            assertThat(diff).as("%s table %s; %s; %s", this, t.id(), explain(t, diff), pipeline).isEmpty();
          });
    }
    pipeline.stop();
    assertThat(pipeline.await(10, TimeUnit.SECONDS)).as("%s: clean stop", this).isTrue();
    assertThat(pipeline.failure()).as("%s", this).isEmpty();
    for (TableSchema t : workload.tables()) {
      assertThat(diff(db.latestRows(t.id()), sink.rows(t.id()))).as("%s table %s after stop", this, t.id()).isEmpty();
    }
    assertFinishedChunksNotReadAgain();
    if (delivery == Delivery.EXACTLY_ONCE) {
      assertThat(sink.violations()).as("%s: exactly-once violations", this).isEmpty();
    }
  }

  /** The first differences between the source's rows and the sink's, readable in a failure. */
  static List<String> diff(Map<Key, Row> source, Map<Key, Row> sink) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<Key, Row> e : source.entrySet()) {
      Row got = sink.get(e.getKey());
      if (got == null) {
        out.add("missing " + e.getValue());
      } else if (!got.equals(e.getValue())) {
        out.add("stale " + got + " instead of " + e.getValue());
      }
    }
    for (Map.Entry<Key, Row> e : sink.entrySet()) {
      if (!source.containsKey(e.getKey())) {
        out.add("ghost " + e.getValue());
      }
    }
    return out.size() > 20 ? out.subList(0, 20) : out;
  }

  /** The story of the first differing key: its log entries, the reads covering it, the restarts. */
  private String explain(TableSchema t, List<String> diff) {
    if (diff.isEmpty()) {
      return "";
    }
    String first = diff.get(0);
    Row row = sink.rows(t.id()).values().stream().filter(r -> first.contains(r.toString())).findFirst()
        .orElse(db.latestRows(t.id()).values().stream().filter(r -> first.contains(r.toString())).findFirst().orElse(null));
    if (row == null) {
      return "";
    }
    Key key = t.keyOf(row);
    StringBuilder s = new StringBuilder("key " + key + " log " + db.history(t.id(), key) + " sink "
        + sink.history(key) + " reads ");
    for (MemorySource.Read read : source.reads()) {
      if (read.table().equals(t.id()) && read.range().contains(key, Key.NATURAL)) {
        s.append(read.range()).append("@epoch").append(read.epoch()).append(' ');
      }
    }
    finishedAtRestart.forEach((epoch, cp) -> s.append("restart ").append(epoch).append(" at ").append(cp.position())
        .append(" finished=").append(cp.progress(t.id()).finished().stream().anyMatch(r -> r.contains(key, Key.NATURAL)))
        .append(" cursor=").append(cp.progress(t.id()).cursor()).append("; "));
    return s.toString();
  }
}
