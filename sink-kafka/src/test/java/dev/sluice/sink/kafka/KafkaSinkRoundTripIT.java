package dev.sluice.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.sluice.sink.kafka.TopicReader.Rec;
import dev.sluice.testsupport.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real pipeline from cdc-core's in-memory source into a real broker: a snapshot under concurrent
 * writes, then streaming; a consumer using plain Jackson rebuilds each table from its topic.
 */
class KafkaSinkRoundTripIT {
  private static final long SEED = Long.getLong("sluice.seed", System.nanoTime());

  @Test
  void changesLandInTheirTableTopicKeyedPartitionedAndInOrder(@TempDir Path dir) throws Exception {
    System.out.println("KafkaSinkRoundTripIT seed=" + SEED + " (rerun with -Dsluice.seed=" + SEED + ")");
    // Unique per run, not per seed: rerunning a seed must not find the last run's topics.
    String run = "sink-kafka-rt-" + Long.toHexString(SEED) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    MemoryDatabase db = new MemoryDatabase();
    Workload workload = new Workload(db, SEED, 20);
    TableSchema orders = workload.addTable("orders", KeyKind.COMPOSITE, 400);
    // Same key shape in both tables: one version column index for the workload.
    TableSchema items = workload.addTable("items", KeyKind.COMPOSITE, 300);
    Map<String, String> raw = new HashMap<>();
    raw.put("properties.bootstrap.servers", TestServers.kafkaBootstrap());
    raw.put("topic.prefix", run);
    raw.put("topic.partitions", "3");
    raw.put("sink.add-tableId-to-header-enabled", "true");
    Sink sink = new KafkaSinkFactory().create(Options.parse("test", KafkaSinkOptions.ALL, raw), run);
    PipelineOptions options = new PipelineOptions(new SnapshotOptions(3, 50, 600, 64L << 20), 200,
        Duration.ofMillis(200), Delivery.AT_LEAST_ONCE);
    HorizonSource source = new HorizonSource(db, 200);
    Pipeline pipeline = new Pipeline(run, source, sink, new FileCheckpointStore(dir, run), options, null)
        .start();
    workload.start(2, 400);
    // Writes during the snapshot, then while streaming.
    await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.status().state() == State.STREAMING);
    long streamingFrom = workload.writes();
    await().atMost(Duration.ofSeconds(30)).until(() -> workload.writes() > streamingFrom + 1000);
    workload.stop();

    Map<TableSchema, String> topics = Map.of(orders, run + ".testdb.orders", items, run + ".testdb.items");
    int versionColumn = Workload.versionColumn(KeyKind.COMPOSITE);
    Map<TableSchema, TopicState> states = Map.of(orders, new TopicState(orders, versionColumn),
        items, new TopicState(items, versionColumn));
    try (TopicReader reader = new TopicReader(Set.copyOf(topics.values()))) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
        assertThat(pipeline.failure()).isEmpty();
        List<Rec> all = reader.poll();
        for (TableSchema t : topics.keySet()) {
          states.get(t).catchUp(all, topics.get(t));
          assertThat(states.get(t).diff(db.latestRows(t.id()))).as("seed %d table %s", SEED, t.id()).isEmpty();
        }
      });
      pipeline.stop();
      assertThat(pipeline.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(pipeline.failure()).isEmpty();
      sink.close();

      assertThat(TopicReader.topicsStartingWith(run + ".")).as("one topic per table, nothing else")
          .containsExactlyInAnyOrderElementsOf(topics.values());
      for (TableSchema t : topics.keySet()) {
        assertThat(states.get(t).violations()).as("seed %d: order per key, one partition per key", SEED).isEmpty();
        assertThat(states.get(t).againstLog(db.logAfter(0, Integer.MAX_VALUE, 0), k -> source.horizon(t.id(), k)))
            .as("seed %d table %s: every change of each key after its first record, once, in order", SEED, t.id())
            .isEmpty();
      }
      List<Rec> all = reader.all();
      assertThat(all.stream().map(Rec::partition).distinct()).as("keys spread over the 3 partitions").hasSize(3);
      for (Rec r : all) {
        assertThat(r.partition()).as("Kafka's default partitioner on the key bytes")
            .isEqualTo(Utils.toPositive(Utils.murmur2(r.keyBytes())) % 3);
        TableSchema t = r.topic().endsWith("orders") ? orders : items;
        assertDebeziumEnvelope(r, t);
      }
      assertThat(all.stream().map(r -> r.value().get("op").asText()).distinct())
          .as("snapshot reads, inserts, updates and deletes all seen").contains("r", "c", "u", "d");
    }
  }

  /** Reads a value as a Debezium consumer would, field by field. */
  private static void assertDebeziumEnvelope(Rec r, TableSchema t) {
    JsonNode v = r.value();
    assertThat(v.fieldNames()).toIterable().containsExactly("before", "after", "source", "op", "ts_ms", "transaction");
    String op = v.get("op").asText();
    assertThat(op).isIn("r", "c", "u", "d");
    JsonNode row = op.equals("d") ? v.get("before") : v.get("after");
    assertThat(v.get(op.equals("d") ? "after" : "before").isNull()).as("%s", v).isEqualTo(!op.equals("u"));
    for (String k : t.keyColumns()) {
      assertThat(r.key().get(k)).as("key column %s equals the row's", k).isEqualTo(row.get(k));
    }
    assertThat(r.key().size()).isEqualTo(t.keyColumns().size());
    assertThat(row.size()).isEqualTo(t.columns().size());
    JsonNode source = v.get("source");
    assertThat(source.get("connector").asText()).isEqualTo("sluice");
    assertThat(source.get("db").asText()).isEqualTo("testdb");
    assertThat(source.get("table").asText()).isEqualTo(t.id().table());
    assertThat(source.get("snapshot").asText()).isEqualTo(op.equals("r") ? "true" : "false");
    assertThat(source.get("position").asLong()).isNotNegative();
    assertThat(source.get("ts_ms").isIntegralNumber()).isTrue();
    assertThat(v.get("ts_ms").asLong()).isGreaterThan(1_700_000_000_000L);
    assertThat(r.headers()).containsEntry("namespace", "testdb").containsEntry("tableName", t.id().table());
  }
}
