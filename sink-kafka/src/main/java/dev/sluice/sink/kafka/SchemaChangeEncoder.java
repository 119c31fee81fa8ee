package dev.sluice.sink.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.io.IOException;
import java.time.Clock;

/**
 * The record of a schema change on the schema-change topic. Its shape borrows the fields of
 * Debezium's schema change topic that a consumer needs ({@code databaseName}, {@code schemaName},
 * {@code ddl}, {@code tableChanges} with type CREATE, ALTER or DROP and the table's columns and key)
 * and adds Sluice's precise {@code kind} with the column concerned. The key names the table.
 */
final class SchemaChangeEncoder {
  private final SinkSettings settings;
  private final Clock clock;

  SchemaChangeEncoder(SinkSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  byte[] key(SchemaChangeEvent change) {
    TableId t = change.table();
    return ChangeEncoder.json(g -> {
      g.writeStartObject();
      g.writeStringField("db", t.catalog());
      g.writeStringField("schema", t.schema());
      g.writeStringField("table", t.table());
      g.writeEndObject();
    });
  }

  byte[] value(SchemaChangeEvent change) {
    long now = clock.millis();
    return ChangeEncoder.json(g -> {
      g.writeStartObject();
      g.writeFieldName("source");
      ChangeEncoder.writeSource(g, settings, change.table(), change.position(), now, "false", null);
      g.writeNumberField("ts_ms", now);
      g.writeStringField("databaseName", change.table().catalog());
      g.writeStringField("schemaName", change.table().schema());
      g.writeStringField("ddl", change.ddl());
      g.writeStringField("kind", change.kind().name());
      g.writeStringField("column", change.column());
      g.writeStringField("newColumnName", change.newColumnName());
      g.writeArrayFieldStart("tableChanges");
      if (change.kind() != SchemaChangeEvent.Kind.TRUNCATE_TABLE) {
        writeTableChange(g, change);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  private static void writeTableChange(JsonGenerator g, SchemaChangeEvent change) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", switch (change.kind()) {
      case CREATE_TABLE -> "CREATE";
      case DROP_TABLE -> "DROP";
      default -> "ALTER";
    });
    g.writeStringField("id", change.table().toString());
    TableSchema schema = change.schema();
    if (schema == null) {
      g.writeNullField("table");
    } else {
      g.writeObjectFieldStart("table");
      g.writeArrayFieldStart("primaryKeyColumnNames");
      for (String k : schema.hasPrimaryKey() ? schema.keyColumns() : java.util.List.<String>of()) {
        g.writeString(k);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("columns");
      int position = 1;
      for (Column c : schema.columns()) {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeStringField("typeName", c.type().toString());
        g.writeStringField("sourceType", c.sourceType());
        g.writeNumberField("position", position++);
        g.writeBooleanField("optional", c.nullable());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndObject();
  }
}
