package dev.sluice.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.checkpoint.TableProgress;
import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.core.runtime.StartupMode;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.snapshot.SnapshotOptions;
import java.nio.file.Path;
import java.time.Duration;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.event.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source end to end through a real {@link Pipeline} against the Mongo test server (the
 * mongo-java-server double from {@code scripts/test-env.sh}, or a real replica set): the snapshot
 * equals the collection, snapshot and stream agree under concurrent inserts and deletes, and a
 * killed pipeline resumes from its checkpoint with the changes made while it was down. The double's
 * update events are not faithful, so writers here insert and delete only.
 */
class MongoPipelineIT {
  private final FakeMongo mongo = new FakeMongo();
  private final List<Pipeline> pipelines = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void tearDown() throws InterruptedException {
    for (Pipeline p : pipelines) {
      p.kill();
    }
    mongo.close();
  }

  private Pipeline start(MongoSource source, CollectingSink sink, SnapshotOptions snapshot) {
    return start("srcmongo", source, sink, snapshot);
  }

  private Pipeline start(String id, MongoSource source, CollectingSink sink, SnapshotOptions snapshot) {
    Pipeline p = new Pipeline(id, source, sink, new FileCheckpointStore(dir, id),
        new PipelineOptions(snapshot, 200, Duration.ofMillis(50), Delivery.AT_LEAST_ONCE), null);
    pipelines.add(p);
    return p.start();
  }

  private void awaitSinkEqualsCollection(Pipeline p, CollectingSink sink, String collection, String context) {
    TableId table = mongo.table(collection);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .failFast(context + ": the pipeline failed", () -> p.failure().isPresent()).untilAsserted(() -> {
      assertThat(FakeMongo.diff(mongo.rows(collection), sink.rows(table))).as(context).isEmpty();
    });
  }

  @Test
  void snapshotOfAnIdleCollectionEqualsTheCollection() throws InterruptedException {
    List<BsonDocument> docs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      docs.add(new BsonDocument("_id", new BsonObjectId()).append("n", new BsonInt32(i))
          .append("price", new BsonDecimal128(Decimal128.parse(i + ".10")))
          .append("at", new BsonDateTime(1_700_000_000_000L + i))
          .append("bin", new BsonBinary(new byte[] {(byte) i, 1}))
          .append("tags", new BsonArray(List.of(new BsonString("t" + i % 7), new BsonDocument("k", new BsonInt32(i))))));
    }
    mongo.collection("orders").insertMany(docs);
    CollectingSink sink = new CollectingSink();
    // Nothing is written while the chunks are read, so each chunk is released only because the
    // idle change stream's reached position moves past its high watermark.
    Pipeline p = start(mongo.source(), sink, SnapshotOptions.of(4, 100));
    awaitSinkEqualsCollection(p, sink, "orders", "idle snapshot");
    await().atMost(Duration.ofSeconds(10)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
    assertThat(sink.written()).isEqualTo(1000); // each document exactly once

    mongo.collection("orders").deleteOne(new BsonDocument("_id", docs.get(0).get("_id")));
    mongo.collection("orders").insertOne(new BsonDocument("_id", new BsonObjectId()).append("late", new BsonInt32(1)));
    awaitSinkEqualsCollection(p, sink, "orders", "streaming after the snapshot");
    p.stop();
    assertThat(p.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.failure()).isEmpty();
  }

  @Test
  void snapshotsMixedIdTypesInServerOrder() {
    List<BsonDocument> docs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      docs.add(new BsonDocument("_id", new BsonInt32(i * 3)).append("kind", new BsonString("int")));
      docs.add(new BsonDocument("_id", new BsonString("s" + i)).append("kind", new BsonString("string")));
      docs.add(new BsonDocument("_id", new BsonObjectId()).append("kind", new BsonString("oid")));
    }
    mongo.collection("mixed").insertMany(docs);
    CollectingSink sink = new CollectingSink();
    // Chunks of 7 straddle the number/string/ObjectId brackets, so the cross-type range filters are used.
    Pipeline p = start(mongo.source("scan.incremental.snapshot.chunk.size", "7"), sink, SnapshotOptions.of(3, 7));
    awaitSinkEqualsCollection(p, sink, "mixed", "mixed _id types");
    assertThat(sink.written()).isEqualTo(120);
  }

  @Test
  void snapshotAndStreamAgreeUnderConcurrentInsertsAndDeletes() throws InterruptedException {
    long seed = Long.getLong("sluice.seed", new Random().nextLong());
    System.out.println("MongoPipelineIT.snapshotAndStreamAgreeUnderConcurrentInsertsAndDeletes seed=" + seed);
    Random random = new Random(seed);
    for (int round = 0; round < 3; round++) {
      String collection = "events" + round;
      int parallelism = 1 + random.nextInt(4);
      int chunkSize = new int[] {7, 40, 150}[random.nextInt(3)];
      String context = "seed=" + seed + " round=" + round + " parallelism=" + parallelism + " chunk=" + chunkSize;
      InsertDeleteWriter writer = new InsertDeleteWriter(mongo.collection(collection), random.nextLong(),
          300 + random.nextInt(1200)).start(3, 4000, 1500);
      CollectingSink sink = new CollectingSink();
      Pipeline p = start("srcmongo-" + round, mongo.source("collection", collection), sink, SnapshotOptions.of(parallelism, chunkSize));
      await().atMost(Duration.ofSeconds(60)).failFast("the pipeline failed", () -> p.failure().isPresent())
          .untilAsserted(() -> assertThat(p.status().state()).as("%s; %s; %d writes", context, p, writer.writes())
              .isEqualTo(PipelineStatus.State.STREAMING));
      long during = writer.writes();
      writer.stop();
      System.out.println(context + ": " + during + " writes while the snapshot ran");
      assertThat(during).as("writes while the snapshot ran").isPositive();
      awaitSinkEqualsCollection(p, sink, collection, context);
      p.stop();
      assertThat(p.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void resumesAfterAKillFromTheCheckpointWithChangesMadeWhileDown() throws InterruptedException {
    long seed = Long.getLong("sluice.seed", new Random().nextLong());
    System.out.println("MongoPipelineIT.resumesAfterAKillFromTheCheckpointWithChangesMadeWhileDown seed=" + seed);
    Random random = new Random(seed);
    InsertDeleteWriter writer = new InsertDeleteWriter(mongo.collection("events"), seed, 1000).start(2, 5000, 4000);
    CollectingSink sink = new CollectingSink();
    sink.slowDown(40); // the snapshot of 1000 documents lasts long enough for the first kill to land inside it
    FileCheckpointStore store = new FileCheckpointStore(dir, "srcmongo");
    Pipeline p = start(mongo.source(), sink, SnapshotOptions.of(3, 60));
    for (int crash = 0; crash < 2; crash++) {
      long killAt = sink.written() + random.nextInt(400); // a random point of the run
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> sink.written() > killAt);
      p.kill();
      sink.slowDown(0);
      assertThat(p.failure()).isEmpty();
      Checkpoint cp = store.load().orElseThrow();
      if (crash == 0) {
        assertThat(cp.progress(mongo.table("events")).phase()).as("the first kill comes in the middle of the snapshot")
            .isEqualTo(TableProgress.Phase.SNAPSHOT);
      }
      long writesAtKill = writer.writes();
      await().atMost(Duration.ofSeconds(10)).until(() -> writer.writes() > writesAtKill + 20); // changes while down
      p = start(mongo.source(), sink, SnapshotOptions.of(3, 60));
      assertThat(cp.position()).as("the checkpoint holds a change-stream position").matches("\\d+\\.\\d+(/.+)?");
    }
    writer.stop();
    awaitSinkEqualsCollection(p, sink, "events", "seed=" + seed);
  }

  @Test
  void flattenMappingCapturesTheNamedFields() {
    mongo.collection("people").insertMany(List.of(
        BsonDocument.parse("{_id: 1, name: 'Ada', tags: ['x', {k: 1}], secret: 'not captured'}"),
        BsonDocument.parse("{_id: 2, name: {first: 'Grace'}}")));
    CollectingSink sink = new CollectingSink();
    Pipeline p = start(mongo.source("document.mapping", "flatten", "document.fields", "name,tags"), sink,
        SnapshotOptions.of(2, 10));
    mongo.collection("people").insertOne(BsonDocument.parse("{_id: 3, tags: []}"));
    TableId people = mongo.table("people");
    await().atMost(Duration.ofSeconds(20)).failFast("the pipeline failed", () -> p.failure().isPresent())
        .untilAsserted(() -> assertThat(sink.rows(people).values()).extracting(Row::values).containsExactlyInAnyOrder(
            Arrays.asList("1", "\"Ada\"", "[\"x\", {\"k\": 1}]"),
            Arrays.asList("2", "{\"first\": \"Grace\"}", null),
            Arrays.asList("3", null, "[]")));
  }

  @Test
  void latestOffsetStreamsOnlyNewChanges() {
    mongo.collection("feed").insertOne(new BsonDocument("_id", new BsonInt32(0)).append("old", new BsonInt32(0)));
    mongo.collection("feed").insertOne(new BsonDocument("_id", new BsonInt32(1)).append("old", new BsonInt32(1)));
    CollectingSink sink = new CollectingSink();
    Pipeline p = start(mongo.source("scan.startup.mode", "latest-offset"), sink, SnapshotOptions.of(2, 10));
    // The first checkpoint holds the start position; write at once, without waiting for streaming:
    // changes made while the (empty) snapshot may still be open are kept too.
    FileCheckpointStore store = new FileCheckpointStore(dir, "srcmongo");
    await().atMost(Duration.ofSeconds(10)).until(() -> store.load().isPresent());
    mongo.collection("feed").insertOne(new BsonDocument("_id", new BsonInt32(2)).append("new", new BsonInt32(1)));
    mongo.collection("feed").deleteOne(new BsonDocument("_id", new BsonInt32(1)));
    mongo.collection("feed").insertOne(new BsonDocument("_id", new BsonInt32(3)).append("new", new BsonInt32(2)));
    TableId feed = mongo.table("feed");
    Map<Key, Row> expected = mongo.rows("feed");
    expected.remove(Key.of("0")); // there before the start, never changed: not captured
    await().atMost(Duration.ofSeconds(10)).failFast("the pipeline failed", () -> p.failure().isPresent())
        .untilAsserted(() -> assertThat(FakeMongo.diff(expected, sink.rows(feed))).isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
  }

  /**
   * With latest-offset the snapshot reads nothing, so a change the log returns must never be taken
   * for one "seen by the chunk's read": once the log is open the low watermark stays at the log's
   * start, and every change after it falls inside the empty chunk's window. (A moving low
   * watermark would drop changes made between the start and the empty chunk's read.)
   */
  @Test
  void latestOffsetKeepsTheLowWatermarkWhereTheLogOpened() {
    mongo.collection("feed").insertOne(new BsonDocument("_id", new BsonInt32(1)));
    try (MongoSource source = mongo.source("scan.startup.mode", "latest-offset")) {
      source.tables();
      Position start = source.lowWatermark();
      try (ChangeLog log = source.openLog(start, Map.of())) {
        mongo.collection("feed").insertOne(new BsonDocument("_id", new BsonInt32(2)));
        assertThat(source.comparePositions(source.lowWatermark(), start)).isZero();
        assertThat(source.comparePositions(source.highWatermark(), start)).isPositive();
      }
    }
  }

  /**
   * {@code timestamp} mode: operations of earlier seconds are not delivered, those from the named
   * second on are, and so are live ones; nothing is snapshotted.
   */
  @Test
  void timestampModeStreamsFromThatSecond() throws InterruptedException {
    mongo.collection("ticks").insertOne(new BsonDocument("_id", new BsonInt32(1)).append("when", new BsonString("before")));
    long now = System.currentTimeMillis();
    Thread.sleep(1000 - now % 1000 + 50); // the next second: a different cluster time
    long from = System.currentTimeMillis();
    mongo.collection("ticks").insertOne(new BsonDocument("_id", new BsonInt32(2)).append("when", new BsonString("after")));
    mongo.collection("ticks").deleteOne(new BsonDocument("_id", new BsonInt32(1)));
    CollectingSink sink = new CollectingSink();
    Pipeline p = new Pipeline("srcmongo", mongo.source("scan.startup.mode", "timestamp",
        "scan.startup.timestamp-millis", String.valueOf(from)), sink, new FileCheckpointStore(dir, "srcmongo"),
        new PipelineOptions(SnapshotOptions.of(2, 10), 200, Duration.ofMillis(50), Delivery.AT_LEAST_ONCE,
            StartupMode.SOURCE_OFFSET), null);
    pipelines.add(p);
    p.start();
    mongo.collection("ticks").insertOne(new BsonDocument("_id", new BsonInt32(3)).append("when", new BsonString("live")));
    TableId ticks = mongo.table("ticks");
    await().atMost(Duration.ofSeconds(20)).failFast("the pipeline failed", () -> p.failure().isPresent())
        .untilAsserted(() -> assertThat(sink.rows(ticks)).containsOnlyKeys(Key.of("2"), Key.of("3")));
    // The insert of document 1 came before the start: only its delete (a no-op here) was delivered.
    assertThat(sink.written()).isEqualTo(3);
  }

  @Test
  void timestampOlderThanTheOplogIsRefusedByName() {
    mongo.collection("ticks").insertOne(new BsonDocument("_id", new BsonInt32(1)));
    try (MongoSource source = mongo.source("scan.startup.mode", "timestamp", "scan.startup.timestamp-millis", "1000")) {
      source.tables();
      assertThatThrownBy(source::startOffset).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("scan.startup.timestamp-millis 1000").hasMessageContaining("older than the oldest");
    }
  }
}
