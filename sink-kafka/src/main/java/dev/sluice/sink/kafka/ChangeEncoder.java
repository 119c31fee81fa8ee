package dev.sluice.sink.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.SluiceException.InternalException;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;

/**
 * Turns a row change into the bytes of a Kafka record: the key is a JSON object of the key columns;
 * the value is Debezium's envelope ({@code before}, {@code after}, {@code source}, {@code op},
 * {@code ts_ms}, {@code transaction}) or, for {@code value.format=json}, the row with {@code __op},
 * {@code __table} and {@code __ts_ms} after its columns. With {@code debezium-json.schema-include}
 * key and value are wrapped as {@code {"schema": ..., "payload": ...}}. Used by one thread.
 */
final class ChangeEncoder {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();
  /** The Sluice version in {@code source.version}; the jar's, or "dev" when run from classes. */
  static final String VERSION = versionOf(ChangeEncoder.class);

  private final SinkSettings settings;
  private final JsonValues values;
  private final ConnectSchemas schemas;
  private final Clock clock;

  ChangeEncoder(SinkSettings settings, Clock clock) {
    this.settings = settings;
    this.values = new JsonValues(settings.decimalAsNumber(), settings.epochMicros());
    this.schemas = new ConnectSchemas(settings);
    this.clock = clock;
  }

  /** The key, {@code null} for a table without key columns. */
  byte[] key(ChangeEvent e) {
    TableSchema t = e.schema();
    if (!t.hasKey()) {
      return null;
    }
    Row row = e.op() == Op.DELETE ? e.before() : e.after();
    return json(g -> {
      boolean wrap = settings.debeziumEnvelope() && settings.schemaInclude();
      if (wrap) {
        g.writeStartObject();
        g.writeFieldName("schema");
        g.writeTree(schemas.keySchema(t));
        g.writeFieldName("payload");
      }
      g.writeStartObject();
      for (String k : t.keyColumns()) {
        writeColumn(g, t, t.columnIndex(k), row);
      }
      g.writeEndObject();
      if (wrap) {
        g.writeEndObject();
      }
    });
  }

  byte[] value(ChangeEvent e) {
    return json(g -> {
      if (settings.debeziumEnvelope()) {
        writeEnvelope(g, e);
      } else {
        writeFlat(g, e);
      }
    });
  }

  private void writeEnvelope(JsonGenerator g, ChangeEvent e) throws IOException {
    TableSchema t = e.schema();
    boolean wrap = settings.schemaInclude();
    if (wrap) {
      g.writeStartObject();
      g.writeFieldName("schema");
      g.writeTree(schemas.envelopeSchema(t));
      g.writeFieldName("payload");
    }
    g.writeStartObject();
    g.writeFieldName("before");
    writeRow(g, t, e.op() == Op.READ || e.op() == Op.INSERT ? null : e.before());
    g.writeFieldName("after");
    writeRow(g, t, e.op() == Op.DELETE ? null : e.after());
    g.writeFieldName("source");
    writeSource(g, settings, t.id(), e.position(), sourceMillis(e), e.op() == Op.READ ? "true" : "false",
        e.transactionId());
    g.writeStringField("op", e.op().code());
    g.writeNumberField("ts_ms", clock.millis());
    g.writeNullField("transaction");
    g.writeEndObject();
    if (wrap) {
      g.writeEndObject();
    }
  }

  /** The record of a truncate on the table's topic: Debezium's {@code op: "t"}, or {@code __op: "t"}. */
  byte[] truncate(SchemaChangeEvent change) {
    long now = clock.millis();
    return json(g -> {
      g.writeStartObject();
      if (settings.debeziumEnvelope()) {
        g.writeNullField("before");
        g.writeNullField("after");
        g.writeFieldName("source");
        writeSource(g, settings, change.table(), change.position(), now, "false", null);
        g.writeStringField("op", "t");
        g.writeNumberField("ts_ms", now);
        g.writeNullField("transaction");
      } else {
        g.writeStringField("__op", "t");
        g.writeStringField("__table", change.table().toString());
        g.writeNumberField("__ts_ms", now);
      }
      g.writeEndObject();
    });
  }

  private void writeFlat(JsonGenerator g, ChangeEvent e) throws IOException {
    TableSchema t = e.schema();
    Row row = e.op() == Op.DELETE ? e.before() : e.after();
    g.writeStartObject();
    for (int i = 0; i < t.columns().size(); i++) {
      writeColumn(g, t, i, row);
    }
    g.writeStringField("__op", e.op().code());
    g.writeStringField("__table", t.id().toString());
    g.writeNumberField("__ts_ms", sourceMillis(e));
    g.writeEndObject();
  }

  /** The source's commit time; for snapshot rows, which have none, the time they are written. */
  private long sourceMillis(ChangeEvent e) {
    Instant t = e.sourceTime();
    return t == null ? clock.millis() : t.toEpochMilli();
  }

  private void writeRow(JsonGenerator g, TableSchema t, Row row) throws IOException {
    if (row == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    for (int i = 0; i < t.columns().size(); i++) {
      writeColumn(g, t, i, row);
    }
    g.writeEndObject();
  }

  private void writeColumn(JsonGenerator g, TableSchema t, int i, Row row) throws IOException {
    Column c = t.columns().get(i);
    if (row.size() != t.columns().size()) {
      throw new DataException("table " + t.id() + ": a row has " + row.size() + " values for " + t.columns().size()
          + " columns; the source's schema and rows disagree (was a schema change missed?)");
    }
    g.writeFieldName(c.name());
    Object v = row.get(i);
    try {
      values.write(g, c.type(), v);
    } catch (ClassCastException ex) {
      throw new DataException("table " + t.id() + " column " + c.name() + ": a value of Java type "
          + v.getClass().getName() + " is not the representation of " + c.type()
          + " (see LogicalType); this is a bug in the source connector", ex);
    }
  }

  /** The {@code source} block, shared by row changes and schema changes. */
  static void writeSource(JsonGenerator g, SinkSettings s, TableId table, Position position, long tsMillis,
      String snapshot, String txId) throws IOException {
    g.writeStartObject();
    g.writeStringField("version", VERSION);
    g.writeStringField("connector", "sluice");
    g.writeStringField("name", s.serverName());
    g.writeNumberField("ts_ms", tsMillis);
    g.writeStringField("snapshot", snapshot);
    g.writeStringField("db", table.catalog());
    g.writeStringField("schema", table.schema());
    g.writeStringField("table", table.table());
    g.writeStringField("position", position == null ? null : position.encode());
    g.writeStringField("txId", txId);
    g.writeEndObject();
  }

  /** Writes what {@code body} generates to bytes. */
  static byte[] json(JsonBody body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return out.toByteArray();
  }

  /** A piece of JSON writing that may throw what the generator throws. */
  interface JsonBody {
    void write(JsonGenerator g) throws IOException;
  }

  private static String versionOf(Class<?> c) {
    String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** A hash of the whole row, for partitioning rows of tables without key. */
  static int rowHash(ChangeEvent e) {
    Row row = e.op() == Op.DELETE ? e.before() : e.after();
    if (row == null) {
      throw new InternalException("event " + e.op() + " on " + e.table() + " has no row");
    }
    // Row's hash is a deep hash of its values: stable across runs, so one row always lands alike.
    return row.hashCode();
  }
}
