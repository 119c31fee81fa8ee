package dev.sluice.sink.kafka;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.util.HashMap;
import java.util.Map;

/**
 * The optional {@code schema} part of a record ({@code debezium-json.schema-include}), in the form
 * Kafka Connect's JsonConverter writes with {@code schemas.enable=true}, so consumers that read that
 * form find the field types they expect. Semantic names are Debezium's for the same encodings
 * ({@code io.debezium.time.IsoDate}, {@code ZonedTimestamp}, {@code MicroTimestamp}, ...). Schemas
 * are built once per table schema and cached (one entry per table; a schema change replaces it).
 */
final class ConnectSchemas {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final SinkSettings settings;
  private final Map<TableId, Pair> cache = new HashMap<>();

  private record Pair(TableSchema schema, ObjectNode key, ObjectNode envelope) {}

  ConnectSchemas(SinkSettings settings) {
    this.settings = settings;
  }

  ObjectNode keySchema(TableSchema table) {
    return pair(table).key();
  }

  ObjectNode envelopeSchema(TableSchema table) {
    return pair(table).envelope();
  }

  private Pair pair(TableSchema table) {
    Pair p = cache.get(table.id());
    if (p == null || p.schema() != table && !p.schema().equals(table)) {
      p = new Pair(table, key(table), envelope(table));
      cache.put(table.id(), p);
    }
    return p;
  }

  private String baseName(TableSchema table) {
    return settings.serverName() + "." + table.id();
  }

  private ObjectNode key(TableSchema table) {
    ObjectNode s = struct(baseName(table) + ".Key", false);
    ArrayNode fields = (ArrayNode) s.get("fields");
    for (String k : table.keyColumns()) {
      Column c = table.columns().get(table.columnIndex(k));
      fields.add(field(c.name(), c.type(), false));
    }
    return s;
  }

  private ObjectNode envelope(TableSchema table) {
    ObjectNode s = struct(baseName(table) + ".Envelope", false);
    s.put("version", 1);
    ArrayNode fields = (ArrayNode) s.get("fields");
    fields.add(row(table, "before"));
    fields.add(row(table, "after"));
    fields.add(source());
    fields.add(primitive("string", false).put("field", "op"));
    fields.add(primitive("int64", true).put("field", "ts_ms"));
    ObjectNode tx = struct("event.block", true);
    tx.put("version", 1).put("field", "transaction");
    ((ArrayNode) tx.get("fields")).add(primitive("string", false).put("field", "id"))
        .add(primitive("int64", false).put("field", "total_order"))
        .add(primitive("int64", false).put("field", "data_collection_order"));
    fields.add(tx);
    return s;
  }

  private ObjectNode row(TableSchema table, String name) {
    ObjectNode s = struct(baseName(table) + ".Value", true);
    ArrayNode fields = (ArrayNode) s.get("fields");
    for (Column c : table.columns()) {
      fields.add(field(c.name(), c.type(), c.nullable()));
    }
    return s.put("field", name);
  }

  private static ObjectNode source() {
    ObjectNode s = struct("dev.sluice.Source", false);
    ArrayNode f = (ArrayNode) s.get("fields");
    f.add(primitive("string", false).put("field", "version"));
    f.add(primitive("string", false).put("field", "connector"));
    f.add(primitive("string", false).put("field", "name"));
    f.add(primitive("int64", false).put("field", "ts_ms"));
    f.add(primitive("string", true).put("field", "snapshot"));
    f.add(primitive("string", true).put("field", "db"));
    f.add(primitive("string", true).put("field", "schema"));
    f.add(primitive("string", false).put("field", "table"));
    f.add(primitive("string", true).put("field", "position"));
    f.add(primitive("string", true).put("field", "txId"));
    return s.put("field", "source");
  }

  private ObjectNode field(String name, LogicalType type, boolean optional) {
    return type(type, optional).put("field", name);
  }

  /** The Connect schema of one logical type, as the value encoding of {@link JsonValues} matches it. */
  ObjectNode type(LogicalType t, boolean optional) {
    return switch (t.kind()) {
      case BOOLEAN -> primitive("boolean", optional);
      case INT8 -> primitive("int8", optional);
      case INT16 -> primitive("int16", optional);
      case INT32 -> primitive("int32", optional);
      case INT64 -> primitive("int64", optional);
      case FLOAT32 -> primitive("float", optional);
      case FLOAT64 -> primitive("double", optional);
      case STRING -> primitive("string", optional);
      case ENUM -> named("string", optional, "io.debezium.data.Enum");
      case JSON -> named("string", optional, "io.debezium.data.Json");
      case UUID -> named("string", optional, "io.debezium.data.Uuid");
      case BYTES -> primitive("bytes", optional);
      case DECIMAL -> decimal(t, optional);
      case DATE -> named("string", optional, "io.debezium.time.IsoDate");
      case TIME -> named("string", optional, "io.debezium.time.IsoTime");
      case TIMESTAMP -> settings.epochMicros() ? named("int64", optional, "io.debezium.time.MicroTimestamp")
          : named("string", optional, "io.debezium.time.IsoTimestamp");
      case TIMESTAMP_TZ -> settings.epochMicros() ? named("int64", optional, "io.debezium.time.MicroTimestamp")
          : named("string", optional, "io.debezium.time.ZonedTimestamp");
      case ARRAY -> {
        ObjectNode a = JSON.objectNode().put("type", "array");
        a.set("items", type(t.element(), true));
        yield a.put("optional", optional);
      }
    };
  }

  private ObjectNode decimal(LogicalType t, boolean optional) {
    if (!settings.decimalAsNumber()) {
      return primitive("string", optional);
    }
    // JsonConverter with decimal.format=NUMERIC writes Connect's Decimal as a JSON number under this schema.
    ObjectNode d = named("bytes", optional, "org.apache.kafka.connect.data.Decimal").put("version", 1);
    ObjectNode params = d.putObject("parameters").put("scale", Integer.toString(t.scale()));
    if (t.precision() > 0) {
      params.put("connect.decimal.precision", Integer.toString(t.precision()));
    }
    return d;
  }

  private static ObjectNode struct(String name, boolean optional) {
    ObjectNode s = JSON.objectNode().put("type", "struct");
    s.putArray("fields");
    return s.put("optional", optional).put("name", name);
  }

  private static ObjectNode primitive(String type, boolean optional) {
    return JSON.objectNode().put("type", type).put("optional", optional);
  }

  private static ObjectNode named(String type, boolean optional, String name) {
    return primitive(type, optional).put("name", name);
  }
}
