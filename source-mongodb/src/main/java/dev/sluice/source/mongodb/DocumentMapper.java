package dev.sluice.source.mongodb;

import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonParseException;
import org.bson.json.JsonWriterSettings;

/**
 * Turns MongoDB documents into rows. The snapshot and the change stream both go through here, so a
 * document read by a chunk and the same document from the log give equal rows.
 *
 * <p>Every value is written as MongoDB Extended JSON (relaxed or canonical), which keeps ObjectId,
 * Decimal128, dates, binary, nested documents and arrays exact. The key column {@code _id} holds the
 * Extended JSON of the {@code _id} value ({@code {"$oid": "..."}}, {@code "text"}, {@code 42}) as a
 * STRING, so keys survive a checkpoint as plain text; {@link #keyOrder()} orders them as the server
 * sorts {@code _id}.
 */
final class DocumentMapper {
  static final String ID = "_id";
  static final String DOC = "doc";
  private static final String WRAP = "{\"v\": ";

  private final List<String> fields; // empty: the json mapping
  private final JsonWriterSettings json;

  private DocumentMapper(List<String> fields, JsonMode mode) {
    this.fields = List.copyOf(fields);
    this.json = JsonWriterSettings.builder().outputMode(mode).build();
  }

  /** Columns {@code _id} and {@code doc}, the whole document. */
  static DocumentMapper json(JsonMode mode) {
    return new DocumentMapper(List.of(), mode);
  }

  /** Columns {@code _id} and one per named top-level field. */
  static DocumentMapper flatten(List<String> fields, JsonMode mode) {
    if (fields.contains(ID)) {
      throw new IllegalArgumentException("_id is always the key column; leave it out of document.fields");
    }
    return new DocumentMapper(fields, mode);
  }

  TableSchema schema(TableId table) {
    List<Column> columns = new ArrayList<>();
    columns.add(new Column(ID, LogicalType.STRING, false, "_id"));
    if (fields.isEmpty()) {
      columns.add(new Column(DOC, LogicalType.JSON, false, "document"));
    } else {
      for (String f : fields) {
        columns.add(new Column(f, LogicalType.JSON, true, "field"));
      }
    }
    return TableSchema.withPrimaryKey(table, columns, List.of(ID));
  }

  /** The row of a whole document; {@code fallbackId} is used when the document lacks {@code _id}. */
  Row row(BsonDocument doc, BsonValue fallbackId) {
    BsonValue id = doc.containsKey(ID) ? doc.get(ID) : fallbackId;
    if (id == null) {
      throw new DataException("a document has no _id: " + abbreviate(doc.toJson(json)));
    }
    Object[] values = new Object[1 + Math.max(1, fields.size())];
    values[0] = idText(id);
    if (fields.isEmpty()) {
      if (!doc.containsKey(ID)) {
        doc = withId(doc, id);
      }
      values[1] = doc.toJson(json);
    } else {
      for (int i = 0; i < fields.size(); i++) {
        BsonValue v = doc.get(fields.get(i));
        values[i + 1] = v == null ? null : valueText(v);
      }
    }
    return Row.wrap(values);
  }

  /** A row with only the key set: the before image of a delete, which change streams do not carry. */
  Row keyRow(BsonValue id) {
    Object[] values = new Object[1 + Math.max(1, fields.size())];
    values[0] = idText(id);
    return Row.wrap(values);
  }

  /**
   * The key column's text for an {@code _id} value. Deprecated types (symbol, DBPointer) and
   * JavaScript code are refused: the chunk queries select type brackets by {@code $type}, and these
   * have no bracket of their own there.
   */
  String idText(BsonValue id) {
    if (!BsonOrder.isKeyType(id.getBsonType())) {
      throw new DataException("an _id of BSON type " + id.getBsonType() + " is not supported as a key; "
          + "supported: numbers, strings, objects, binary, ObjectId, booleans, dates, timestamps, null, MinKey, MaxKey");
    }
    return valueText(id);
  }

  private String valueText(BsonValue v) {
    String s = new BsonDocument("v", v).toJson(json);
    return s.substring(WRAP.length(), s.length() - 1);
  }

  /** The {@code _id} value a key column's text stands for. */
  static BsonValue parseId(String text) {
    try {
      return BsonDocument.parse(WRAP + text + "}").get("v");
    } catch (JsonParseException e) {
      throw new DataException("not an _id written by the MongoDB source: " + abbreviate(text), e);
    }
  }

  /** Keys ordered as the server sorts {@code _id}. */
  static Comparator<Key> keyOrder() {
    return DocumentMapper::compareKeys;
  }

  private static int compareKeys(Key a, Key b) {
    String x = (String) a.get(0);
    String y = (String) b.get(0);
    if (x.equals(y)) {
      return 0;
    }
    // Fast path for the common ObjectId key: fixed-length lowercase hex orders like its bytes.
    if (x.startsWith("{\"$oid\": \"") && y.startsWith("{\"$oid\": \"") && x.length() == y.length()) {
      return x.compareTo(y);
    }
    return BsonOrder.compare(parseId(x), parseId(y));
  }

  private static BsonDocument withId(BsonDocument doc, BsonValue id) {
    BsonDocument out = new BsonDocument(ID, id);
    out.putAll(doc);
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  @Override
  public String toString() {
    return (fields.isEmpty() ? "json" : "flatten" + fields) + "/" + json.getOutputMode().name().toLowerCase();
  }
}
