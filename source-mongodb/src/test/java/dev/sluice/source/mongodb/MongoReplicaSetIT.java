package dev.sluice.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.option.Options;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.snapshot.SnapshotOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.json.JsonMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MongoDBContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The behaviours the test double cannot show, against a real single-node MongoDB replica set in a
 * container: updates (with {@code updateLookup}) and replaces under a parallel snapshot, several
 * collections through one database-level stream, multi-document transactions, and the replica-set
 * watermarks (majority commit point, last applied). Runs wherever a Docker engine answers; where
 * none does, every test is aborted with that reason (it is not a pass).
 */
class MongoReplicaSetIT {
  private static final String NO_DOCKER = "Docker is absent: no Docker engine answers on this machine, so the "
      + "real MongoDB replica-set test cannot run here; it runs wherever Docker is available";
  private static boolean docker;
  private static MongoDBContainer container;
  private static MongoClient client;
  @TempDir Path dir;

  @BeforeAll
  static void startReplicaSet() {
    docker = DockerClientFactory.instance().isDockerAvailable();
    if (!docker) {
      System.out.println("MongoReplicaSetIT: " + NO_DOCKER);
      return;
    }
    container = new MongoDBContainer(DockerImageName.parse("mongo:7.0"));
    container.start();
    client = MongoClients.create(container.getReplicaSetUrl());
  }

  /** Each test reports the missing engine itself, so the report lists them as skipped with the reason. */
  @BeforeEach
  void needsDocker() {
    assumeTrue(docker, NO_DOCKER);
  }

  @AfterAll
  static void stopReplicaSet() {
    if (client != null) {
      client.close();
    }
    if (container != null) {
      container.stop();
    }
  }

  private MongoSource source(String database) {
    return new MongoSource(MongoConfig.from(Options.parse("test source", MongoOptions.ALL, Map.of(
        "connection.string", container.getReplicaSetUrl(), "database", database))));
  }

  private static Map<Key, Row> rows(MongoCollection<BsonDocument> c) {
    DocumentMapper mapper = DocumentMapper.json(JsonMode.RELAXED);
    Map<Key, Row> out = new HashMap<>();
    for (BsonDocument d : c.find()) {
      Row r = mapper.row(d, null);
      out.put(Key.of(r.get(0)), r);
    }
    return out;
  }

  @Test
  void updatesReplacesAndDeletesOnTwoCollectionsUnderAParallelSnapshot() throws InterruptedException {
    long seed = new Random().nextLong();
    System.out.println("MongoReplicaSetIT seed=" + seed);
    Random random = new Random(seed);
    String db = "srcmongo_rs_" + Long.toHexString(seed & 0xffffffL);
    List<MongoCollection<BsonDocument>> collections = List.of(
        client.getDatabase(db).getCollection("orders", BsonDocument.class),
        client.getDatabase(db).getCollection("users", BsonDocument.class));
    for (MongoCollection<BsonDocument> c : collections) {
      List<BsonDocument> docs = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        docs.add(new BsonDocument("_id", new BsonInt32(i)).append("v", new BsonInt64(0)));
      }
      c.insertMany(docs);
    }
    CollectingSink sink = new CollectingSink();
    Pipeline p = new Pipeline("srcmongo-rs", source(db), sink, new FileCheckpointStore(dir, "srcmongo-rs"),
        new PipelineOptions(SnapshotOptions.of(4, 100), 500, Duration.ofMillis(100), Delivery.AT_LEAST_ONCE), null)
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() < deadline) { // writes of every kind while the snapshot runs
      MongoCollection<BsonDocument> c = collections.get(random.nextInt(2));
      int id = random.nextInt(2500);
      switch (random.nextInt(4)) {
        case 0 -> c.updateOne(Filters.eq("_id", id), Updates.inc("v", 1));
        case 1 -> c.replaceOne(Filters.eq("_id", id), new BsonDocument("_id", new BsonInt32(id))
            .append("replaced", new BsonString("at " + System.nanoTime())));
        case 2 -> c.deleteOne(Filters.eq("_id", id));
        default -> c.replaceOne(Filters.eq("_id", id), new BsonDocument("_id", new BsonInt32(id))
            .append("v", new BsonInt64(-1)), new com.mongodb.client.model.ReplaceOptions().upsert(true));
      }
    }
    for (MongoCollection<BsonDocument> c : collections) {
      String table = c.getNamespace().getCollectionName();
      await().atMost(Duration.ofSeconds(60)).failFast("the pipeline failed", () -> p.failure().isPresent())
          .untilAsserted(() -> assertThat(FakeMongo.diff(rows(c), sink.rows(dev.sluice.core.event.TableId.of(db, table))))
              .as("seed=%d %s", seed, table).isEmpty());
    }
    p.stop();
    assertThat(p.await(10, TimeUnit.SECONDS)).isTrue();
    client.getDatabase(db).drop();
  }

  @Test
  void transactionEventsCarryTheirTransactionId() {
    String db = "srcmongo_rs_txn";
    MongoCollection<BsonDocument> c = client.getDatabase(db).getCollection("ledger", BsonDocument.class);
    c.insertOne(new BsonDocument("_id", new BsonInt32(0)));
    CollectingSink sink = new CollectingSink();
    Pipeline p = new Pipeline("srcmongo-txn", source(db), sink, new FileCheckpointStore(dir, "srcmongo-txn"),
        PipelineOptions.DEFAULTS.withCheckpointInterval(Duration.ofMillis(100)), null).start();
    try (ClientSession session = client.startSession()) {
      session.withTransaction(() -> {
        c.insertOne(session, new BsonDocument("_id", new BsonInt32(1)));
        c.insertOne(session, new BsonDocument("_id", new BsonInt32(2)));
        return null;
      });
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(sink.rows(dev.sluice.core.event.TableId.of(db, "ledger"))).hasSize(3));
    assertThat(sink.transactions()).singleElement().asString().matches("[0-9a-f-]{36}:\\d+");
    p.stop();
  }
}
