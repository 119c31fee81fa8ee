package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/mongodb-to-postgres.yaml through the real sluice command: a MongoDB database (the
 * in-process mongo-java-server double with its oplog on, as this machine has no real mongod; see
 * source-mongodb's README for what that verifies) into PostgreSQL 15. Snapshot, then inserts,
 * updates and deletes from the change stream, a SIGKILL, changes made while it is down, and a
 * restart from the checkpoint; the table ends equal to the collection.
 */
class MongoToPostgresIT {
  @TempDir Path work;

  @Test
  void aCollectionIsCopiedAndFollowedAcrossACrash() throws Exception {
    String suffix = Long.toHexString(System.nanoTime()).substring(0, 8);
    String database = "e2e_mongo_" + suffix;
    JdbcEndpoint pg = TestServers.postgres();
    MemoryBackend backend = new MemoryBackend();
    backend.enableOplog();
    MongoServer server = new MongoServer(backend);
    InetSocketAddress address = server.bind();
    Path example = Path.of("..", "examples", "mongodb-to-postgres.yaml").toAbsolutePath().normalize();
    Map<String, String> env = Map.of("MONGO_HOSTS", "127.0.0.1:" + address.getPort(), "MONGO_DATABASE", database,
        "PG_URL", pg.jdbcUrl(), "PG_USER", pg.adminUser(), "PG_PASSWORD", pg.adminPassword(), "PG_SCHEMA", database);
    try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
        Connection c = pg.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + database);
      MongoCollection<Document> orders = client.getDatabase(database).getCollection("orders");
      List<Document> docs = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        docs.add(new Document("_id", i).append("customer", "c" + (i % 97)).append("qty", i % 13));
      }
      orders.insertMany(docs);

      try (SluiceProcess first = SluiceProcess.start(work, env, "run", example.toString())) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(table(pg, database)).as("output:%n%s", first.output()).hasSize(3000));
        orders.insertOne(new Document("_id", 5000).append("customer", "new").append("qty", 1));
        orders.deleteOne(Filters.eq("_id", 7));
        orders.updateOne(Filters.eq("_id", 8), Updates.set("qty", 99));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          Map<String, String> rows = table(pg, database);
          assertThat(rows).as("output:%n%s", first.output()).containsKey("5000").doesNotContainKey("7");
          assertThat(rows.get("8")).contains("99");
        });
        first.kill();
      }
      orders.insertOne(new Document("_id", 6000).append("customer", "while down").append("qty", 2));
      orders.deleteOne(Filters.eq("_id", 9));

      try (SluiceProcess second = SluiceProcess.start(work, env, "run", example.toString())) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          Map<String, String> rows = table(pg, database);
          assertThat(rows).as("output:%n%s", second.output()).hasSize(3000).containsKeys("5000", "6000")
              .doesNotContainKeys("7", "9");
        });
        assertThat(second.terminate()).as("output:%n%s", second.output()).isZero();
        assertThat(second.output()).as("the restart resumed from the checkpoint").contains("resuming from checkpoint");
      }
    } finally {
      server.shutdownNow();
    }
  }

  /** The target table: _id to the doc column's text. */
  private static Map<String, String> table(JdbcEndpoint pg, String schema) throws Exception {
    Map<String, String> rows = new TreeMap<>();
    try (Connection c = pg.connectAsAdmin(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT \"_id\", \"doc\"::text FROM " + schema + ".orders")) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getString(2));
      }
    } catch (java.sql.SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return rows; // not created yet
      }
      throw e;
    }
    return rows;
  }
}
