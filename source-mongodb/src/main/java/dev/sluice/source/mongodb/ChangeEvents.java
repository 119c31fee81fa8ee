package dev.sluice.source.mongodb;

import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Converts change-stream event documents, in the shape the MongoDB manual documents them, into core
 * events. Only the captured collections' events come out; a stream's own bookkeeping (invalidate)
 * is reported to the caller.
 *
 * <ul>
 *   <li>insert: INSERT of {@code fullDocument};
 *   <li>update: UPDATE to {@code fullDocument} as the server looked it up ({@code updateLookup}: the
 *       document as it is when the event is read, so possibly later than this change; the later
 *       changes follow in the stream, so the final state is right). Without a {@code fullDocument}
 *       the document was deleted meanwhile and its delete event follows, so nothing is emitted;
 *   <li>replace: UPDATE to the new document;
 *   <li>delete: DELETE of {@code documentKey._id} (change streams carry no before image);
 *   <li>drop, rename (of the source collection), dropDatabase: DROP_TABLE;
 *   <li>invalidate: no event; {@link Converted#invalidate()} tells the log to start again after it.
 * </ul>
 */
final class ChangeEvents {
  private final Map<String, TableSchema> tables;
  private final String streamCollection;
  private final DocumentMapper mapper;

  /**
   * @param tables the captured collections' schemas by collection name
   * @param streamCollection the collection a collection-level stream watches (its events may lack
   *     {@code ns}), or {@code null} for a database-level stream
   */
  ChangeEvents(Map<String, TableSchema> tables, String streamCollection, DocumentMapper mapper) {
    this.tables = Map.copyOf(tables);
    this.streamCollection = streamCollection;
    this.mapper = mapper;
  }

  /** One event's outcome: zero or more core events at {@code position}. */
  record Converted(List<Event> events, MongoPosition position, boolean invalidate) {}

  Converted convert(BsonDocument change) {
    MongoPosition position = position(change);
    String op = change.getString("operationType").getValue();
    if (op.equals("invalidate")) {
      return new Converted(List.of(), position, true);
    }
    if (op.equals("dropDatabase")) {
      List<Event> drops = new ArrayList<>();
      tables.values().forEach(t -> drops.add(drop(t, position)));
      return new Converted(drops, position, false);
    }
    TableSchema table = tables.get(collection(change));
    if (table == null) {
      return new Converted(List.of(), position, false);
    }
    Event event = switch (op) {
      case "insert" -> write(table, Op.INSERT, change, position);
      case "update", "replace" -> write(table, Op.UPDATE, change, position);
      case "delete" -> new ChangeEvent(table, Op.DELETE, mapper.keyRow(id(change, table)), null, position,
          sourceTime(change), transactionId(change));
      case "drop", "rename" -> drop(table, position);
      default -> null; // DDL of other kinds (createIndexes, modify, ...): no data change
    };
    return new Converted(event == null ? List.of() : List.of(event), position, false);
  }

  private ChangeEvent write(TableSchema table, Op op, BsonDocument change, MongoPosition position) {
    BsonValue full = change.get("fullDocument");
    if (full == null || full.isNull()) {
      if (op == Op.INSERT) {
        throw new DataException("insert event at " + position + " on " + table.id() + " has no fullDocument");
      }
      return null; // deleted before the lookup; its delete event comes later in the stream
    }
    return new ChangeEvent(table, op, null, mapper.row(full.asDocument(), documentKeyId(change)), position,
        sourceTime(change), transactionId(change));
  }

  private String collection(BsonDocument change) {
    BsonDocument ns = change.getDocument("ns", null);
    if (ns != null && ns.containsKey("coll")) {
      return ns.getString("coll").getValue();
    }
    return streamCollection;
  }

  private static MongoPosition position(BsonDocument change) {
    BsonDocument token = change.getDocument("_id", null);
    if (token == null || !token.isString("_data") || !change.isTimestamp("clusterTime")) {
      throw new DataException("change event without a resume token (_id._data) and clusterTime: "
          + change.getString("operationType", null) + "; MongoDB 4.2 or newer is needed");
    }
    return new MongoPosition(change.getTimestamp("clusterTime").getValue(), token.getString("_data").getValue());
  }

  private static BsonValue documentKeyId(BsonDocument change) {
    BsonDocument key = change.getDocument("documentKey", null);
    return key == null ? null : key.get(DocumentMapper.ID);
  }

  private static BsonValue id(BsonDocument change, TableSchema table) {
    BsonValue id = documentKeyId(change);
    if (id == null) {
      throw new DataException(change.getString("operationType").getValue() + " event on " + table.id()
          + " has no documentKey._id");
    }
    return id;
  }

  private static SchemaChangeEvent drop(TableSchema table, MongoPosition position) {
    return new SchemaChangeEvent(table.id(), SchemaChangeEvent.Kind.DROP_TABLE, null, null, null, null, position);
  }

  /** {@code wallTime} (MongoDB 6.0+), else the cluster time's seconds. */
  private static Instant sourceTime(BsonDocument change) {
    if (change.isDateTime("wallTime")) {
      return Instant.ofEpochMilli(change.getDateTime("wallTime").getValue());
    }
    return Instant.ofEpochSecond(change.getTimestamp("clusterTime").getTime() & 0xffffffffL);
  }

  /** {@code lsid.id:txnNumber} for an event of a multi-document transaction. */
  private static String transactionId(BsonDocument change) {
    if (!change.containsKey("txnNumber") || !change.isDocument("lsid")) {
      return null;
    }
    BsonValue session = change.getDocument("lsid").get("id");
    String sessionText = session != null && session.isBinary() && session.asBinary().getType() == 4
        ? session.asBinary().asUuid().toString() : String.valueOf(session);
    return sessionText + ":" + change.getNumber("txnNumber").longValue();
  }
}
