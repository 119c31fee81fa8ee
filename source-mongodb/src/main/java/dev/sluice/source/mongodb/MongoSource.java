package dev.sluice.source.mongodb;

import com.mongodb.MongoException;
import com.mongodb.ReadConcern;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.changestream.FullDocument;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.KeySpace;
import dev.sluice.core.source.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

/**
 * A MongoDB database captured through the official driver: one table per captured collection,
 * keyed by {@code _id}; the engine's snapshot reads {@code _id} ranges, the log is one change stream
 * (database-level on a replica set, collection-level on a server that only supports that). See
 * {@link ServerClock} for why the watermarks are sound and {@link DocumentMapper} for the row shape.
 */
public final class MongoSource implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(MongoSource.class);
  private static final BsonDocument BY_ID = new BsonDocument(DocumentMapper.ID, new BsonInt32(1));
  private static final BsonDocument BY_ID_DESC = new BsonDocument(DocumentMapper.ID, new BsonInt32(-1));
  /** How long one getMore waits for new events on a real server; bounds how late an idle poll returns. */
  private static final long AWAIT_MILLIS = 25;

  private final MongoConfig config;
  private final MongoClient client;
  private final ServerErrors errors;
  private Preflight.Server server;
  private Map<String, TableSchema> tables;
  /** latest-offset: where the log was opened; the low watermark of the (empty) snapshot, see {@link #lowWatermark()}. */
  private volatile MongoPosition streamStart;

  public MongoSource(MongoConfig config) {
    this.config = config;
    this.client = MongoClients.create(config.clientSettings());
    this.errors = new ServerErrors(config);
  }

  private synchronized Preflight.Server server() {
    if (server == null) {
      server = new Preflight(config, client, errors).run();
      Map<String, TableSchema> byName = new LinkedHashMap<>();
      for (String c : server.collections()) {
        byName.put(c, config.mapper().schema(TableId.of(config.database(), c)));
      }
      tables = byName;
    }
    return server;
  }

  @Override
  public List<TableSchema> tables() {
    server();
    return List.copyOf(tables.values());
  }

  private MongoCollection<BsonDocument> collection(TableSchema table) {
    MongoCollection<BsonDocument> c = client.getDatabase(config.database())
        .getCollection(table.id().table(), BsonDocument.class);
    // Majority reads see exactly what the replica-set clock's horizon promises (see ServerClock).
    return server().replicaSet() ? c.withReadConcern(ReadConcern.MAJORITY) : c;
  }

  @Override
  public KeySpace keySpace(TableSchema table) {
    if (!config.snapshot()) {
      return KeySpace.EMPTY;
    }
    return call("plan the snapshot of " + table.id(), () -> {
      MongoCollection<BsonDocument> c = collection(table);
      BsonDocument first = c.find().projection(BY_ID).sort(BY_ID).limit(1).first();
      BsonDocument last = c.find().projection(BY_ID).sort(BY_ID_DESC).limit(1).first();
      if (first == null || last == null) {
        return KeySpace.EMPTY;
      }
      return new KeySpace(key(first), key(last), c.estimatedDocumentCount());
    });
  }

  @Override
  public Key chunkBoundary(TableSchema table, Key after, long rows) {
    if (!config.snapshot()) {
      return null;
    }
    long step = config.chunkSize() == null ? rows : config.chunkSize();
    return call("plan the snapshot of " + table.id(), () -> {
      BsonDocument boundary = collection(table).find(IdRanges.filter(bound(after), null)).projection(BY_ID)
          .sort(BY_ID).skip((int) Math.min(Integer.MAX_VALUE, step - 1)).limit(1).first();
      return boundary == null ? null : key(boundary);
    });
  }

  @Override
  public void readChunk(TableSchema table, KeyRange range, Predicate<Row> consumer) {
    if (!config.snapshot()) {
      return; // latest-offset: the snapshot sees nothing, the stream everything from now on
    }
    call("read " + table.id() + " " + range, () -> {
      Bson filter = IdRanges.filter(bound(range.lo()), bound(range.hi()));
      try (MongoCursor<BsonDocument> rows = collection(table).find(filter).sort(BY_ID)
          .batchSize(config.batchSize()).cursor()) {
        while (rows.hasNext()) {
          if (!consumer.test(config.mapper().row(rows.next(), null))) {
            break;
          }
        }
      }
      return null;
    });
  }

  /**
   * The replica set's visible horizon (see {@link ServerClock}). With {@code latest-offset} the
   * snapshot reads nothing, so no change can be "seen by a chunk's read": once the log is open, the
   * low watermark stays where it was opened, and every change the log returns falls inside the
   * (empty) chunk's window and is kept, even one made before the chunk was read.
   */
  @Override
  public Position lowWatermark() {
    MongoPosition start = streamStart;
    if (!config.snapshot() && start != null) {
      return start;
    }
    return call("read the server's commit point", () -> server().clock().visibleHorizon());
  }

  @Override
  public Position highWatermark() {
    return call("read the server's last operation time", () -> server().clock().latest());
  }

  @Override
  public ChangeLog openLog(Position from, Map<String, String> state) {
    Preflight.Server s = server();
    if (!config.snapshot()) {
      streamStart = (MongoPosition) from;
    }
    String only = s.replicaSet() ? null : s.collections().get(0);
    ChangeEvents events = new ChangeEvents(tables, only, config.mapper());
    return new ChangeStreamLog(errors, (MongoPosition) from, (at, afterInvalidate) -> open(only, at,
        afterInvalidate), s.clock(), events::convert, config.batchSize());
  }

  /** A change stream on one collection, or on the database filtered to the captured collections. */
  private MongoChangeStreamCursor<BsonDocument> open(String only, MongoPosition from, boolean afterInvalidate) {
    ChangeStreamIterable<BsonDocument> stream;
    if (only != null) {
      stream = client.getDatabase(config.database()).getCollection(only).watch(List.of(), BsonDocument.class);
    } else {
      BsonArray names = new BsonArray();
      tables.keySet().forEach(n -> names.add(new BsonString(n)));
      BsonDocument match = new BsonDocument("$match", new BsonDocument("$or", new BsonArray(List.of(
          new BsonDocument("ns.coll", new BsonDocument("$in", names)),
          new BsonDocument("operationType", new BsonDocument("$in", new BsonArray(List.of(
              new BsonString("dropDatabase"), new BsonString("invalidate")))))))));
      stream = client.getDatabase(config.database()).watch(List.of(match), BsonDocument.class);
    }
    stream = stream.fullDocument(FullDocument.UPDATE_LOOKUP).batchSize(config.batchSize())
        .maxAwaitTime(AWAIT_MILLIS, TimeUnit.MILLISECONDS);
    BsonDocument token = from.resumeToken();
    if (token == null) {
      stream = stream.startAtOperationTime(from.nextTime());
    } else if (afterInvalidate) {
      stream = stream.startAfter(token);
    } else {
      stream = stream.resumeAfter(token);
    }
    @SuppressWarnings("unchecked") // the raw change document: the same shape the manual documents
    MongoChangeStreamCursor<BsonDocument> cursor =
        (MongoChangeStreamCursor<BsonDocument>) stream.withDocumentClass(BsonDocument.class).cursor();
    return cursor;
  }

  /**
   * {@code scan.startup.mode: timestamp}: the position just before the first cluster time of the
   * given second, so the stream starts with that second's first operation. A time older than the
   * oldest oplog entry is refused when the user may read the oplog; otherwise the change stream's
   * own "history lost" error says it when the stream opens.
   */
  @Override
  public Position startOffset() {
    Long millis = config.startAtMillis();
    if (millis == null) {
      return Source.super.startOffset();
    }
    BsonTimestamp start = new BsonTimestamp((int) (millis / 1000), 0);
    server();
    try {
      BsonDocument oldest = client.getDatabase("local").getCollection("oplog.rs", BsonDocument.class).find()
          .sort(new BsonDocument("$natural", new BsonInt32(1))).projection(new BsonDocument("ts", new BsonInt32(1)))
          .limit(1).first();
      if (oldest != null && oldest.isTimestamp("ts") && oldest.getTimestamp("ts").compareTo(start) > 0) {
        throw new ConfigurationException(config.where() + ": scan.startup.timestamp-millis " + millis + " ("
            + Instant.ofEpochMilli(millis) + ") is older than the oldest operation the oplog still holds ("
            + Instant.ofEpochSecond(Integer.toUnsignedLong(oldest.getTimestamp("ts").getTime()))
            + "); choose a later time, or use scan.startup.mode: initial to copy the collections");
      }
    } catch (MongoException e) {
      LOG.debug("{}: cannot read local.oplog.rs to check the start time ({}); a time the oplog no longer holds will fail when the stream opens",
          config.where(),
          e.getMessage());
    }
    long value = start.getValue();
    return new MongoPosition(value == 0 ? 0 : value - 1, null);
  }

  @Override
  public int comparePositions(Position a, Position b) {
    return ((MongoPosition) a).compareTo((MongoPosition) b);
  }

  @Override
  public Position decodePosition(String encoded) {
    return MongoPosition.decode(encoded);
  }

  @Override
  public Comparator<Key> keyOrder(TableSchema table) {
    return DocumentMapper.keyOrder();
  }

  @Override
  public void close() {
    client.close();
  }

  private Key key(BsonDocument idOnly) {
    return Key.of(config.mapper().idText(idOnly.get(DocumentMapper.ID)));
  }

  private static BsonValue bound(Key key) {
    return key == null ? null : DocumentMapper.parseId((String) key.get(0));
  }

  private <T> T call(String what, Supplier<T> action) {
    return errors.call(what, action);
  }

  @Override
  public String toString() {
    return "MongoSource[" + config + "]";
  }
}
