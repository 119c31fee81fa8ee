package dev.sluice.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.option.Options;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.runtime.PipelineStatus.State;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker crashes mid-stream and comes back, on a private broker (shared by the tests, one after
 * the other). Within the retry bound the sink's producer retries within delivery.timeout.ms, the
 * pipeline's flush waits, and when the broker is back everything written arrives, once (the
 * idempotent producer), with nothing lost. Past the bound the pipeline stops with a connection
 * error instead of hanging, and a pipeline started again from the checkpoint once the broker is
 * back loses nothing either.
 */
class BrokerRestartIT {
  private static final long SEED = Long.getLong("sluice.seed", System.nanoTime());

  @TempDir
  static Path dir;
  private static PrivateBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    System.out.println("BrokerRestartIT seed=" + SEED + " (rerun with -Dsluice.seed=" + SEED + ")");
    broker = PrivateBroker.start(dir.resolve("broker"));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aBrokerCrashMidStreamIsRiddenOutWithNothingLostOrRepeated() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    Workload workload = new Workload(db, SEED, 20);
    TableSchema table = workload.addTable("restart", KeyKind.DENSE, 500);
    Sink sink = new KafkaSinkFactory().create(Options.parse("test", KafkaSinkOptions.ALL,
        Map.of("properties.bootstrap.servers", broker.bootstrap(), "topic.partitions", "2")), "restart");
    HorizonSource source = new HorizonSource(db, 200);
    Pipeline pipeline = new Pipeline("restart", source, sink,
        new FileCheckpointStore(dir, "restart"),
        new PipelineOptions(SnapshotOptions.DEFAULTS, 100, Duration.ofMillis(200), Delivery.AT_LEAST_ONCE), null)
        .start();
    workload.start(1, 1000);
    await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.status().state() == State.STREAMING
        && pipeline.status().checkpoints() > 2);

    broker.kill();
    long downFrom = workload.writes();
    // Down while a few hundred writes happen (and several checkpoint flushes wait on it).
    await().atMost(Duration.ofSeconds(30)).until(() -> workload.writes() > downFrom + 300);
    broker.launch();
    long upFrom = workload.writes();
    await().atMost(Duration.ofSeconds(30)).until(() -> workload.writes() > upFrom + 300);
    workload.stop();

    TopicState state = readUntilEqualThenStop(pipeline, db, source, table, "testdb.restart");
    sink.close();
    assertThat(state.violations()).as("seed %d: no record lost, repeated or reordered", SEED).isEmpty();
  }

  /**
   * Exactly-once, so that the pipeline started again afterwards can be held to the exact check (an
   * at-least-once restart replays the changes since the checkpoint, by design).
   */
  @Test
  void anOutageLongerThanTheDeliveryTimeoutStopsThePipelineAndARestartLosesNothing() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    Workload workload = new Workload(db, SEED + 1, 20);
    TableSchema table = workload.addTable("outage", KeyKind.DENSE, 300);
    HorizonSource source = new HorizonSource(db, 200);
    workload.start(1, 1000);
    Pipeline first = outagePipeline(source);
    await().atMost(Duration.ofSeconds(60)).until(() -> first.status().state() == State.STREAMING
        && first.status().checkpoints() > 2);

    broker.kill();
    // Sends time out after delivery.timeout.ms (3 s); the aborted transaction's wait is bounded by
    // connect.timeout (8 s): the pipeline must stop with a connection error well within 30 s.
    boolean ended = first.await(30, TimeUnit.SECONDS);
    if (!ended) {
      broker.launch(); // for the other test
    }
    assertThat(ended).as("seed %d: stopped, not hanging", SEED).isTrue();
    assertThat(first.failure()).as("seed %d", SEED).get().isInstanceOf(ConnectionException.class);
    assertThat(first.failure().get().getMessage()).contains(broker.bootstrap());
    long downFrom = workload.writes();
    await().atMost(Duration.ofSeconds(30)).until(() -> workload.writes() > downFrom + 200); // still down
    broker.launch();

    Pipeline second = outagePipeline(source);
    long upFrom = workload.writes();
    await().atMost(Duration.ofSeconds(30)).until(() -> workload.writes() > upFrom + 300);
    workload.stop();
    readUntilEqualThenStop(second, db, source, table, "outage.testdb.outage");
  }

  /**
   * Reads the table's topic until it equals the source's rows, stops the pipeline cleanly, reads
   * what the stop committed, and holds every key's records to the source's log exactly.
   */
  private static TopicState readUntilEqualThenStop(Pipeline pipeline, MemoryDatabase db, HorizonSource source,
      TableSchema table, String topic) throws InterruptedException {
    TopicState state = new TopicState(table, Workload.versionColumn(KeyKind.DENSE));
    try (TopicReader reader = new TopicReader(broker.bootstrap(), Set.of(topic))) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        assertThat(pipeline.failure()).as("seed %d", SEED).isEmpty();
        state.catchUp(reader.poll(), topic);
        assertThat(state.diff(db.latestRows(table.id()))).as("seed %d", SEED).isEmpty();
      });
      pipeline.stop();
      assertThat(pipeline.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(pipeline.failure()).isEmpty();
      state.catchUp(reader.poll(), topic);
    }
    assertThat(state.againstLog(db.logAfter(0, Integer.MAX_VALUE, 0), k -> source.horizon(table.id(), k)))
        .as("seed %d: every change of each key after its first record, once, in order", SEED).isEmpty();
    return state;
  }

  private static Pipeline outagePipeline(HorizonSource source) {
    Map<String, String> raw = new HashMap<>();
    raw.put("properties.bootstrap.servers", broker.bootstrap());
    raw.put("topic.prefix", "outage");
    raw.put("topic.partitions", "2");
    raw.put("checkpoint.topic", "outage.checkpoints");
    raw.put("sink.delivery-guarantee", "exactly-once");
    raw.put("connect.timeout", "8s");
    raw.put("properties.delivery.timeout.ms", "3000");
    raw.put("properties.request.timeout.ms", "1500");
    Sink sink = new KafkaSinkFactory().create(Options.parse("test", KafkaSinkOptions.ALL, raw), "outage");
    return new Pipeline("outage", source, sink, null,
        new PipelineOptions(SnapshotOptions.DEFAULTS, 100, Duration.ofMillis(200), Delivery.EXACTLY_ONCE), null)
        .start();
  }
}
