package dev.sluice.source.mongodb;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import dev.sluice.core.SluiceException.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks made before anything is captured, each failing with what is wrong and how to fix it:
 * the server answers and the credentials work; it is a replica set (change streams need one); the
 * user may list collections, read them and open change streams; the collections exist. It also
 * picks the {@link ServerClock} and whether one stream can watch the whole database.
 */
final class Preflight {
  private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
  private static final int COMMAND_NOT_FOUND = 59;

  /** What the checks found. */
  record Server(ServerClock clock, boolean replicaSet, List<String> collections) {}

  private final MongoConfig config;
  private final MongoClient client;
  private final ServerErrors errors;

  Preflight(MongoConfig config, MongoClient client, ServerErrors errors) {
    this.config = config;
    this.client = client;
    this.errors = errors;
  }

  Server run() {
    BsonDocument hello = call("connect", this::hello);
    if (hello.isString("msg") && hello.getString("msg").getValue().equals("isdbgrid")) {
      throw new ConfigurationException(config.where() + ": " + config.serverName() + " is a mongos router; sharded "
          + "clusters are not supported yet by the MongoDB source; connect to a replica set");
    }
    boolean replicaSet = hello.containsKey("setName") && hello.isDocument("lastWrite");
    List<String> collections = call("list the collections of database '" + config.database() + "'", this::collections);
    if (collections.isEmpty()) {
      throw new ConfigurationException(config.where() + ": database '" + config.database() + "' has no collection "
          + "matching 'collection' " + config.collections() + "; check the names (patterns match whole collection names)");
    }
    call("read collection '" + collections.get(0) + "'", () ->
        client.getDatabase(config.database()).getCollection(collections.get(0), BsonDocument.class).find().limit(1).first());
    call("open a change stream on '" + collections.get(0) + "'", () -> probeChangeStream(collections.get(0)));
    if (!replicaSet) {
      if (collections.size() > 1) {
        throw new ConfigurationException(config.where() + ": " + config.serverName() + " serves change streams but "
            + "reports no replica set (a test double?); only one collection can be captured from it, and "
            + collections.size() + " match: " + collections + ". Narrow 'collection' or use a replica set");
      }
      LOG.warn("{}: {} serves change streams without being a replica set; snapshot watermarks come from the tail "
          + "of local.oplog.rs (best effort, meant for the mongo-java-server test double)", config.where(),
          config.serverName());
    }
    ServerClock clock = replicaSet ? ServerClock.replicaSet(client) : ServerClock.oplogTail(client);
    if (!replicaSet) {
      call("read local.oplog.rs", clock::latest);
    }
    return new Server(clock, replicaSet, collections);
  }

  private BsonDocument hello() {
    MongoDatabase admin = client.getDatabase("admin");
    try {
      return admin.runCommand(new BsonDocument("hello", new BsonInt32(1)), BsonDocument.class);
    } catch (MongoCommandException e) {
      if (e.getErrorCode() != COMMAND_NOT_FOUND) {
        throw e;
      }
      return admin.runCommand(new BsonDocument("isMaster", new BsonInt32(1)), BsonDocument.class); // before 4.4
    }
  }

  private List<String> collections() {
    List<String> names = new ArrayList<>();
    for (BsonDocument c : client.getDatabase(config.database())
        .listCollections(BsonDocument.class).filter(new BsonDocument("type", new org.bson.BsonString("collection")))) {
      String name = c.getString("name").getValue();
      if (config.captures(name)) {
        names.add(name);
      }
    }
    names.sort(null);
    return names;
  }

  private Object probeChangeStream(String collection) {
    try (MongoChangeStreamCursor<?> c = client.getDatabase(config.database()).getCollection(collection).watch().cursor()) {
      return c.getResumeToken();
    }
  }

  private <T> T call(String what, Supplier<T> action) {
    return errors.call(what, action);
  }
}
