package dev.sluice.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.option.Options;
import dev.sluice.core.testing.MemoryPosition;
import dev.sluice.sink.kafka.TopicReader.Rec;
import dev.sluice.testsupport.TestServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** The sink's behaviour against a real broker, one promise per test, each on its own topics. */
class KafkaSinkIT {
  private static final AtomicLong SEQ = new AtomicLong();
  private static final String RUN = "sink-kafka-it-" + Long.toHexString(System.nanoTime());

  private static final TableSchema KEYED = TableSchema.withPrimaryKey(TableId.of("testdb", "keyed"),
      List.of(Column.of("id", LogicalType.INT64, false), Column.of("payload", LogicalType.STRING, true)),
      List.of("id"));
  private static final TableSchema KEYLESS = new TableSchema(TableId.of("testdb", "keyless"),
      List.of(Column.of("n", LogicalType.INT64, false), Column.of("payload", LogicalType.STRING, true)),
      List.of(), false);

  private static String uniquePrefix() {
    return RUN + "-" + SEQ.incrementAndGet();
  }

  private static KafkaSink sink(String pipeline, String... options) {
    Map<String, String> raw = new HashMap<>();
    raw.put("properties.bootstrap.servers", TestServers.kafkaBootstrap());
    for (int i = 0; i < options.length; i += 2) {
      raw.put(options[i], options[i + 1]);
    }
    return new KafkaSink(SinkSettings.from(Options.parse("test", KafkaSinkOptions.ALL, raw), pipeline));
  }

  private static ChangeEvent insert(TableSchema t, long n, String payload) {
    return new ChangeEvent(t, Op.INSERT, null, Row.of(n, payload), new MemoryPosition(n), Instant.now(), null);
  }

  private static ChangeEvent delete(TableSchema t, long n) {
    return new ChangeEvent(t, Op.DELETE, Row.of(n, "gone"), null, new MemoryPosition(n), Instant.now(), null);
  }

  private static List<Rec> readAll(String topic, int expected) {
    try (TopicReader reader = new TopicReader(Set.of(topic))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> reader.poll().size() >= expected);
      return new ArrayList<>(reader.all());
    }
  }

  @Test
  void unreachableBrokersFailWithinTheConnectTimeoutNamingThem() {
    Map<String, String> raw = Map.of("properties.bootstrap.servers", "127.0.0.1:1", "connect.timeout", "2s");
    KafkaSink sink = new KafkaSink(SinkSettings.from(Options.parse("test", KafkaSinkOptions.ALL, raw), "unreachable"));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> sink.write(List.of(insert(KEYED, 1, "x"))))
        .isInstanceOf(ConnectionException.class)
        .hasMessageContaining("127.0.0.1:1").hasMessageContaining("connect.timeout=2s");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    sink.close();
  }

  @Test
  void aRecordLargerThanAllowedFailsNamingTableAndKey() {
    try (KafkaSink sink = sink("too-large", "topic.prefix", uniquePrefix(), "properties.max.request.size", "4096")) {
      // The producer refuses it at once: the write throws, at the latest the flush.
      assertThatThrownBy(() -> {
        sink.write(List.of(insert(KEYED, 1, "small"), insert(KEYED, 42, "x".repeat(20_000))));
        sink.flush();
      }).isInstanceOf(DataException.class)
          .hasMessageContaining("key 42 of table testdb.keyed").hasMessageContaining("max.request.size");
      assertThatThrownBy(() -> sink.write(List.of(insert(KEYED, 2, "after")))).as("the sink stays failed")
          .isInstanceOf(DataException.class);
    }
  }

  /** The broker refuses it (the topic's max.message.bytes), after the producer let it through. */
  @Test
  void aRecordLargerThanTheTopicAllowsFailsTheFlushNamingTableAndKey() {
    try (KafkaSink sink = sink("too-large-topic", "topic.prefix", uniquePrefix(),
        "topic.config.max.message.bytes", "4096")) {
      sink.write(List.of(insert(KEYED, 1, "small"), insert(KEYED, 42, "x".repeat(20_000))));
      assertThatThrownBy(sink::flush).isInstanceOf(DataException.class)
          .hasMessageContaining("key 42 of table testdb.keyed").hasMessageContaining("max.message.bytes");
      assertThatThrownBy(() -> sink.write(List.of(insert(KEYED, 2, "after")))).as("the sink stays failed")
          .isInstanceOf(DataException.class);
    }
  }

  @Test
  void aMissingTopicIsRefusedWhenCreationIsOff() {
    try (KafkaSink sink = sink("never", "topic.prefix", uniquePrefix(), "topic.create", "never")) {
      assertThatThrownBy(() -> sink.write(List.of(insert(KEYED, 1, "x"))))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(".testdb.keyed").hasMessageContaining("topic.create=never");
    }
  }

  @Test
  void createdTopicsHaveTheConfiguredPartitionsAndSettings() throws Exception {
    String prefix = uniquePrefix();
    try (KafkaSink sink = sink("create", "topic.prefix", prefix, "topic.partitions", "4",
        "topic.config.cleanup.policy", "compact")) {
      sink.write(List.of(insert(KEYED, 1, "x")));
      sink.flush();
    }
    String topic = prefix + ".testdb.keyed";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestServers.kafkaBootstrap()))) {
      TopicDescription d = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
      assertThat(d.partitions()).hasSize(4);
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config c = admin.describeConfigs(Set.of(r)).all().get().get(r);
      assertThat(c.get("cleanup.policy").value()).isEqualTo("compact");
    }
  }

  @Test
  void flushReturnsOnlyWhenEveryRecordIsAcknowledged() {
    String prefix = uniquePrefix();
    try (KafkaSink sink = sink("flush", "topic.prefix", prefix, "properties.linger.ms", "2000")) {
      List<ChangeEvent> events = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        events.add(insert(KEYED, i, "v" + i));
      }
      sink.write(events);
      sink.flush(); // linger.ms=2000 would hold them back; flush must not wait for it, nor return early
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestServers.kafkaBootstrap()))) {
        assertThat(endOffsets(admin, prefix + ".testdb.keyed")).isEqualTo(500);
      }
    }
  }

  @Test
  void aSchemaChangeIsPublishedAfterTheDataBeforeItIsAcknowledged() throws Exception {
    String prefix = uniquePrefix();
    try (KafkaSink sink = sink("schema", "topic.prefix", prefix, "properties.linger.ms", "2000");
        Admin admin = Admin.create(Map.of("bootstrap.servers", TestServers.kafkaBootstrap()))) {
      List<ChangeEvent> events = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        events.add(insert(KEYED, i, "v" + i));
      }
      sink.write(events);
      sink.apply(new SchemaChangeEvent(KEYED.id(), SchemaChangeEvent.Kind.ADD_COLUMN, KEYED, "payload", null,
          "ALTER TABLE keyed ADD payload TEXT", new MemoryPosition(100)));
      // No flush: apply() itself waited for the 100 records, then for the change.
      assertThat(endOffsets(admin, prefix + ".testdb.keyed")).isEqualTo(100);
      assertThat(endOffsets(admin, prefix + ".schema-changes")).isEqualTo(1);
      Rec change = readAll(prefix + ".schema-changes", 1).get(0);
      assertThat(change.value().get("kind").asText()).isEqualTo("ADD_COLUMN");
      assertThat(change.value().at("/source/position").asText()).isEqualTo("100");
    }
  }

  @Test
  void schemaChangesGoToTheConfiguredTopicOnly() throws Exception {
    String prefix = uniquePrefix();
    try (KafkaSink sink = sink("schema-topic", "topic.prefix", prefix, "schema-change.topic", prefix + "-ddl")) {
      sink.write(List.of(insert(KEYED, 1, "v1")));
      sink.apply(new SchemaChangeEvent(KEYED.id(), SchemaChangeEvent.Kind.DROP_COLUMN, KEYED, "payload", null,
          "ALTER TABLE keyed DROP payload", new MemoryPosition(2)));
    }
    Rec change = readAll(prefix + "-ddl", 1).get(0);
    assertThat(change.value().get("kind").asText()).isEqualTo("DROP_COLUMN");
    assertThat(change.value().get("ddl").asText()).isEqualTo("ALTER TABLE keyed DROP payload");
    assertThat(TopicReader.topicsStartingWith(prefix + ".")).as("no default schema-change topic")
        .containsExactly(prefix + ".testdb.keyed");
  }

  @Test
  void aTruncateReachesEveryPartitionOfTheTableTopicAfterTheDataBeforeIt() {
    String prefix = uniquePrefix();
    try (KafkaSink sink = sink("truncate", "topic.prefix", prefix, "topic.partitions", "3")) {
      sink.write(List.of(insert(KEYED, 1, "x"), insert(KEYED, 2, "y"), insert(KEYED, 3, "z")));
      sink.apply(new SchemaChangeEvent(KEYED.id(), SchemaChangeEvent.Kind.TRUNCATE_TABLE, KEYED, null, null,
          "TRUNCATE keyed", new MemoryPosition(4)));
      sink.write(List.of(insert(KEYED, 4, "after")));
      sink.flush();
    }
    List<Rec> recs = readAll(prefix + ".testdb.keyed", 7);
    List<Rec> truncates = recs.stream().filter(r -> r.value().get("op").asText().equals("t")).toList();
    assertThat(truncates).extracting(Rec::partition).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(truncates).allMatch(r -> r.key() == null && r.value().get("after").isNull());
    for (Rec t : truncates) {
      for (Rec r : recs) {
        if (r.partition() == t.partition() && r.value().get("op").asText().equals("c")) {
          boolean before = r.value().at("/after/id").asLong() < 4;
          assertThat(r.offset() < t.offset()).as("%s in order with the truncate", r.key()).isEqualTo(before);
        }
      }
    }
  }

  @Test
  void keylessRowsGoByRowHashOrAllToPartitionZero() {
    String hashed = uniquePrefix();
    String zero = uniquePrefix();
    List<ChangeEvent> events = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      events.add(insert(KEYLESS, i, "row" + i));
    }
    events.add(insert(KEYLESS, 7, "row7")); // the same row again
    try (KafkaSink a = sink("keyless-a", "topic.prefix", hashed, "topic.partitions", "3");
        KafkaSink b = sink("keyless-b", "topic.prefix", zero, "topic.partitions", "3",
            "keyless.partitioning", "partition-0")) {
      a.write(events);
      a.flush();
      b.write(events);
      b.flush();
    }
    List<Rec> byHash = readAll(hashed + ".testdb.keyless", events.size());
    assertThat(byHash).allMatch(r -> r.key() == null);
    assertThat(byHash.stream().map(Rec::partition).distinct()).hasSize(3);
    assertThat(byHash.stream().filter(r -> r.value().at("/after/n").asLong() == 7).map(Rec::partition).distinct())
        .as("one row, one partition").hasSize(1);
    assertThat(readAll(zero + ".testdb.keyless", events.size())).allMatch(r -> r.partition() == 0);
  }

  @Test
  void aDeleteIsFollowedByATombstoneAndFlatJsonCarriesMetadata() {
    String prefix = uniquePrefix();
    try (KafkaSink sink = sink("tombstones", "topic.prefix", prefix, "tombstones.enabled", "true",
        "value.format", "json")) {
      sink.write(List.of(insert(KEYED, 1, "x"), delete(KEYED, 1)));
      sink.flush();
    }
    List<Rec> recs = readAll(prefix + ".testdb.keyed", 3);
    assertThat(recs).hasSize(3);
    assertThat(recs.get(0).value().get("__op").asText()).isEqualTo("c");
    assertThat(recs.get(0).value().get("payload").asText()).isEqualTo("x");
    assertThat(recs.get(1).value().get("__op").asText()).isEqualTo("d");
    assertThat(recs.get(1).value().get("__table").asText()).isEqualTo("testdb.keyed");
    assertThat(recs.get(2).value()).as("tombstone").isNull();
    assertThat(recs.get(2).key().toString()).isEqualTo("{\"id\":1}");
  }

  @Test
  void anUpdateOfTheKeyDeletesTheOldKeyAndCreatesTheNewOne() {
    String prefix = uniquePrefix();
    try (KafkaSink sink = sink("key-change", "topic.prefix", prefix, "tombstones.enabled", "true")) {
      sink.write(List.of(insert(KEYED, 1, "x"), new ChangeEvent(KEYED, Op.UPDATE, Row.of(1L, "x"), Row.of(2L, "y"),
          new MemoryPosition(2), Instant.now(), null)));
      sink.flush();
    }
    List<Rec> recs = readAll(prefix + ".testdb.keyed", 4);
    assertThat(recs).extracting(r -> r.key().toString() + " " + (r.value() == null ? "tombstone"
        : r.value().get("op").asText())).containsExactly("{\"id\":1} c", "{\"id\":1} d", "{\"id\":1} tombstone",
        "{\"id\":2} c");
    assertThat(recs.get(1).value().at("/before/payload").asText()).isEqualTo("x");
    assertThat(recs.get(3).value().at("/after/payload").asText()).isEqualTo("y");
  }

  @Test
  void aFencedInstanceStopsWithAClearErrorAndTheNewOneCarriesOn() {
    String prefix = uniquePrefix();
    String[] options = {"topic.prefix", prefix, "sink.delivery-guarantee", "exactly-once",
        "checkpoint.topic", prefix + ".checkpoints"};
    String pipeline = prefix + "-fenced";
    try (KafkaSink old = sink(pipeline, options); KafkaSink newer = sink(pipeline, options)) {
      CheckpointStore oldStore = old.atomicCheckpoints().orElseThrow();
      assertThat(oldStore.load()).isEmpty();
      old.write(List.of(insert(KEYED, 1, "from the old instance")));
      oldStore.save(checkpoint(pipeline, "1"));

      CheckpointStore newStore = newer.atomicCheckpoints().orElseThrow();
      assertThat(newStore.load()).map(Checkpoint::position).contains("1");
      old.write(List.of(insert(KEYED, 2, "never committed")));
      assertThatThrownBy(() -> oldStore.save(checkpoint(pipeline, "2")))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("fenced")
          .hasMessageContaining("sluice-" + pipeline);

      newer.write(List.of(insert(KEYED, 3, "from the new instance")));
      newStore.save(checkpoint(pipeline, "3"));
    }
    List<Rec> committed = readAll(prefix + ".testdb.keyed", 2);
    assertThat(committed).extracting(r -> r.value().at("/after/payload").asText())
        .containsExactly("from the old instance", "from the new instance");
    try (KafkaSink third = sink(pipeline, options)) {
      assertThat(third.atomicCheckpoints().orElseThrow().load()).map(Checkpoint::position).contains("3");
    }
  }

  private static Checkpoint checkpoint(String pipeline, String position) {
    return new Checkpoint(pipeline, position, Map.of(), Map.of(), Instant.now());
  }

  private static long endOffsets(Admin admin, String topic) {
    try {
      TopicDescription d = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
      Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> spec = new HashMap<>();
      d.partitions().forEach(p -> spec.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
          org.apache.kafka.clients.admin.OffsetSpec.latest()));
      return admin.listOffsets(spec).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
