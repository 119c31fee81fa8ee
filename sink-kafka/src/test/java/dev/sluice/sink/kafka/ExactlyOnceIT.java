package dev.sluice.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.option.Options;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import dev.sluice.sink.kafka.TopicReader.Rec;
import dev.sluice.testsupport.TestServers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once into a real broker: a pipeline with {@code Delivery.EXACTLY_ONCE} is killed (no
 * flush, no clean close, its transaction left open) many times while writers keep going, and
 * restarted each time from the checkpoint the sink keeps in Kafka: at random moments, and in the
 * window where the checkpoint record has been sent and flushed but the transaction not yet
 * committed (before the commit starts, or while it runs; {@link PausingProducer}). Two seeds per run. A {@code read_committed}
 * consumer must see each key's changes exactly as the source logged them: from the key's first
 * record on (a snapshot read, or its first change), every later change of the key once, in order,
 * none missing (see {@link TopicState#againstLog}); and the final rows must equal the source's.
 */
class ExactlyOnceIT {
  private static final long SEED = Long.getLong("sluice.seed", System.nanoTime());

  @Test
  void killedAnywhereTheCommittedStreamHasEveryChangeOnceInOrder() throws Exception {
    System.out.println("ExactlyOnceIT seed=" + SEED + " (rerun with -Dsluice.seed=" + SEED + ")");
    int inCommitWindow = scenario(SEED) + scenario(SEED * 31 + 17);
    assertThat(inCommitWindow).as("kills that landed between the checkpoint record and the commit's end").isPositive();
  }

  /** Returns how many kills landed in the commit window. */
  private int scenario(long seed) throws Exception {
    Random random = new Random(seed);
    // Unique per run, not per seed: rerunning a seed must not find the last run's topics and checkpoint.
    String run = "sink-kafka-eo-" + Long.toHexString(seed) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    KeyKind kind = random.nextBoolean() ? KeyKind.DENSE : KeyKind.SPARSE;
    MemoryDatabase db = new MemoryDatabase();
    Workload workload = new Workload(db, seed, 20);
    List<TableSchema> tables = List.of(workload.addTable("a", kind, 300 + random.nextInt(700)),
        workload.addTable("b", kind, random.nextInt(500)));
    HorizonSource source = new HorizonSource(db, 300);
    SnapshotOptions snapshot = new SnapshotOptions(1 + random.nextInt(4), new int[] {20, 100, 400}[random.nextInt(3)],
        4000, 64L << 20);
    List<Sink> sinks = new ArrayList<>();
    PausingProducer.Gate gate = new PausingProducer.Gate();
    workload.start(2, 300);
    Pipeline pipeline = start(run, source, snapshot, random, sinks, gate);
    int crashes = 8 + random.nextInt(5);
    int inCommitWindow = 0;
    for (int i = 0; i < crashes; i++) {
      TimeUnit.MILLISECONDS.sleep(100 + random.nextInt(700)); // running for a random while
      if (random.nextInt(3) == 0) {
        // The crash point: after the checkpoint record is sent and flushed, before the commit
        // starts (killed during the pause) or while it runs (killed a moment after it).
        long pause = random.nextInt(20);
        gate.arm(pause);
        if (gate.awaitReached(Duration.ofSeconds(3))) {
          inCommitWindow++;
          TimeUnit.MILLISECONDS.sleep(random.nextInt((int) pause + 10));
        }
      }
      pipeline.kill();
      assertThat(pipeline.failure()).as("seed %d", seed).isEmpty();
      TimeUnit.MILLISECONDS.sleep(random.nextInt(200)); // writes, deletes too, while it is down
      pipeline = start(run, source, snapshot, random, sinks, gate);
    }
    workload.stop();
    System.out.println("ExactlyOnceIT seed " + seed + ": " + crashes + " kills, " + inCommitWindow
        + " of them between sending the checkpoint and the end of the commit");

    Map<TableSchema, String> topics = new LinkedHashMap<>();
    Map<TableSchema, TopicState> states = new HashMap<>();
    for (TableSchema t : tables) {
      topics.put(t, run + ".testdb." + t.id().table());
      states.put(t, new TopicState(t, Workload.versionColumn(kind)));
    }
    Pipeline last = pipeline;
    try (TopicReader reader = new TopicReader(Set.copyOf(topics.values()))) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
        assertThat(last.failure()).as("seed %d", seed).isEmpty();
        List<Rec> all = reader.poll();
        for (TableSchema t : tables) {
          states.get(t).catchUp(all, topics.get(t));
          assertThat(states.get(t).diff(db.latestRows(t.id()))).as("seed %d table %s", seed, t.id()).isEmpty();
        }
      });
      last.stop();
      assertThat(last.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(last.failure()).as("seed %d", seed).isEmpty();
      List<Rec> all = reader.poll();
      for (TableSchema t : tables) {
        states.get(t).catchUp(all, topics.get(t));
        assertThat(states.get(t).violations()).as("seed %d table %s: exactly once, in order", seed, t.id()).isEmpty();
        assertThat(states.get(t).diff(db.latestRows(t.id()))).as("seed %d after stop", seed).isEmpty();
        assertThat(states.get(t).againstLog(db.logAfter(0, Integer.MAX_VALUE, 0), k -> source.horizon(t.id(), k)))
            .as("seed %d table %s: every change of each key after its first record, once, in order", seed, t.id())
            .isEmpty();
      }
    } finally {
      sinks.forEach(Sink::close);
    }
    // The checkpoint the last instance committed is what a new instance reads back.
    try (KafkaSink fresh = sink(run)) {
      Optional<Checkpoint> cp = fresh.atomicCheckpoints().orElseThrow().load();
      assertThat(cp).isPresent();
      assertThat(cp.get().pipelineId()).isEqualTo(run);
      assertThat(Long.parseLong(cp.get().position())).isEqualTo(db.logEnd());
    }
    return inCommitWindow;
  }

  private static Pipeline start(String run, MemorySource source, SnapshotOptions snapshot, Random random,
      List<Sink> sinks, PausingProducer.Gate gate) {
    source.nextEpoch();
    KafkaSink sink = new KafkaSink(settings(run), Clock.systemUTC(), p -> new PausingProducer(new KafkaProducer<>(p), gate));
    sinks.add(sink); // the killed instances stay open, as a crashed process's would until fenced
    PipelineOptions options = new PipelineOptions(snapshot, 1 + random.nextInt(300),
        Duration.ofMillis(50 + random.nextInt(300)), Delivery.EXACTLY_ONCE);
    return new Pipeline(run, source, sink, null, options, null).start();
  }

  private static KafkaSink sink(String run) {
    return new KafkaSink(settings(run));
  }

  private static SinkSettings settings(String run) {
    Map<String, String> raw = new HashMap<>();
    raw.put("properties.bootstrap.servers", TestServers.kafkaBootstrap());
    raw.put("topic.prefix", run);
    raw.put("topic.partitions", "2");
    raw.put("checkpoint.topic", run + ".checkpoints");
    raw.put("sink.delivery-guarantee", "exactly-once");
    return SinkSettings.from(Options.parse("test", KafkaSinkOptions.ALL, raw), run);
  }
}
