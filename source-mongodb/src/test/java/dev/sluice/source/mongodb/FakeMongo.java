package dev.sluice.source.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.option.Options;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.sluice.testsupport.TestServers;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.BsonDocument;
import org.bson.json.JsonMode;

/**
 * One test's own database ({@code srcmongo_<random>}), a client to write with, and the source
 * options that point at it.
 *
 * <p>The server: when {@code SLUICE_MONGO_URI} names one (a real replica set, or the shared test
 * double of {@code scripts/test-env.sh}), that one, through {@link TestServers}. Otherwise a private
 * in-process instance of the same test double (mongo-java-server, oplog on), started for this test
 * alone: that double never trims its oplog and rescans all of it on every change-stream round trip,
 * so on the long-lived shared instance each round trip costs time in proportion to every write
 * anyone ever made to it (measured: 1.5 s per getMore at 194,000 entries).
 */
final class FakeMongo implements AutoCloseable {
  private final MongoServer privateServer;
  final String uri;
  final String database = "srcmongo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  final MongoClient client;

  FakeMongo() {
    if (System.getenv("SLUICE_MONGO_URI") != null) {
      privateServer = null;
      uri = TestServers.mongoUri();
    } else {
      MemoryBackend backend = new MemoryBackend();
      backend.enableOplog();
      privateServer = new MongoServer(backend);
      InetSocketAddress address = privateServer.bind();
      uri = "mongodb://127.0.0.1:" + address.getPort();
    }
    client = MongoClients.create(uri);
  }

  MongoCollection<BsonDocument> collection(String name) {
    return client.getDatabase(database).getCollection(name, BsonDocument.class);
  }

  TableId table(String collection) {
    return TableId.of(database, collection);
  }

  /** A source over this database; {@code extra} are more option key/value pairs. */
  MongoSource source(String... extra) {
    Map<String, String> raw = new HashMap<>();
    raw.put("connection.string", uri);
    raw.put("database", database);
    raw.put("connect.timeout", "20s");
    for (int i = 0; i < extra.length; i += 2) {
      raw.put(extra[i], extra[i + 1]);
    }
    return new MongoSource(MongoConfig.from(Options.parse("test source", MongoOptions.ALL, raw)));
  }

  /** The collection as the default mapping turns it into rows: what the sink must end up with. */
  Map<Key, Row> rows(String collection) {
    DocumentMapper mapper = DocumentMapper.json(JsonMode.RELAXED);
    Map<Key, Row> out = new HashMap<>();
    for (BsonDocument d : collection(collection).find()) {
      Row r = mapper.row(d, null);
      out.put(Key.of(r.get(0)), r);
    }
    return out;
  }

  /** The first differences between the collection and the sink, readable in a failure. */
  static List<String> diff(Map<Key, Row> expected, Map<Key, Row> actual) {
    List<String> out = new ArrayList<>();
    expected.forEach((k, row) -> {
      Row got = actual.get(k);
      if (got == null) {
        out.add("missing " + k);
      } else if (!got.equals(row)) {
        out.add("stale " + got + " instead of " + row);
      }
    });
    actual.keySet().stream().filter(k -> !expected.containsKey(k)).forEach(k -> out.add("ghost " + k));
    return out.size() > 10 ? out.subList(0, 10) : out;
  }

  @Override
  public void close() {
    try {
      client.getDatabase(database).drop();
    } finally {
      client.close();
      if (privateServer != null) {
        privateServer.shutdownNow();
      }
    }
  }
}
