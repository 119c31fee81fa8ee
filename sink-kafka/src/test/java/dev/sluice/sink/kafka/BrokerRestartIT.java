package dev.sluice.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker crashes mid-stream and comes back: the sink's producer retries within
 * delivery.timeout.ms, the pipeline's flush waits, and when the broker is back everything written
 * arrives, once (the idempotent producer), with nothing lost. Runs on a private broker.
 */
class BrokerRestartIT {
  private static final long SEED = Long.getLong("sluice.seed", System.nanoTime());

  @Test
  void aBrokerCrashMidStreamIsRiddenOutWithNothingLostOrRepeated(@TempDir Path dir) throws Exception {
    System.out.println("BrokerRestartIT seed=" + SEED + " (rerun with -Dsluice.seed=" + SEED + ")");
    try (PrivateBroker broker = PrivateBroker.start(dir.resolve("broker"))) {
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

      TopicState state = new TopicState(table, Workload.versionColumn(KeyKind.DENSE));
      try (TopicReader reader = new TopicReader(broker.bootstrap(), Set.of("testdb.restart"))) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
          assertThat(pipeline.failure()).as("seed %d", SEED).isEmpty();
          state.catchUp(reader.poll(), "testdb.restart");
          assertThat(state.diff(db.latestRows(table.id()))).as("seed %d", SEED).isEmpty();
        });
      }
      pipeline.stop();
      assertThat(pipeline.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(pipeline.failure()).isEmpty();
      sink.close();
      assertThat(state.violations()).as("seed %d: no record lost, repeated or reordered", SEED).isEmpty();
      assertThat(state.againstLog(db.logAfter(0, Integer.MAX_VALUE, 0), k -> source.horizon(table.id(), k)))
          .as("seed %d: every change of each key after its first record, once, in order", SEED).isEmpty();
    }
  }
}
