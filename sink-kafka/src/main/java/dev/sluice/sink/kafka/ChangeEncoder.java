package dev.sluice.sink.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
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
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a row change into the bytes of a Kafka record: the key is a JSON object of the key columns;
 * the value is Debezium's envelope ({@code before}, {@code after}, {@code source}, {@code op},
 * {@code ts_ms}, {@code transaction}) or, for {@code value.format=json}, the row with {@code __op},
 * {@code __table} and {@code __ts_ms} after its columns. With {@code debezium-json.schema-include}
 * key and value are wrapped as {@code {"schema": ..., "payload": ...}}. Used by one thread.
 *
 * <p>This is the per-record hot path, so an encoder keeps one JSON generator over one reusable
 * buffer for all its records (creating and closing a generator per record cost about a fifth of
 * the encoding), and writes names and per-table constants from pre-quoted strings.
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
  private final ByteArrayBuilder buffer = new ByteArrayBuilder(512);
  /** Writes every record into {@link #buffer}; dropped (and made again) after any failure. */
  private JsonGenerator generator;
  /** Pre-quoted names and constants of each table's current schema: one entry per table. */
  private final Map<TableId, Names> names = new HashMap<>();
  private final SerializedString serverName;
  /** The last position encoded: a snapshot chunk's rows and a transaction's changes share one. */
  private Position lastPosition;
  private String lastEncoded;

  ChangeEncoder(SinkSettings settings, Clock clock) {
    this.settings = settings;
    this.values = new JsonValues(settings.decimalAsNumber(), settings.epochMicros());
    this.schemas = new ConnectSchemas(settings);
    this.clock = clock;
    this.serverName = quoted(settings.serverName());
  }

  /** A table schema's column names and source-block constants, quoted once. */
  private record Names(TableSchema schema, SerializableString[] columns, SerializableString db,
      SerializableString schemaName, SerializableString table) {}

  private static final SerializableString BEFORE = new SerializedString("before");
  private static final SerializableString AFTER = new SerializedString("after");
  private static final SerializableString SOURCE = new SerializedString("source");
  private static final SerializableString OP = new SerializedString("op");
  private static final SerializableString TS_MS = new SerializedString("ts_ms");
  private static final SerializableString TRANSACTION = new SerializedString("transaction");
  private static final SerializableString F_VERSION = new SerializedString("version");
  private static final SerializableString F_CONNECTOR = new SerializedString("connector");
  private static final SerializableString F_NAME = new SerializedString("name");
  private static final SerializableString F_SNAPSHOT = new SerializedString("snapshot");
  private static final SerializableString F_DB = new SerializedString("db");
  private static final SerializableString F_SCHEMA = new SerializedString("schema");
  private static final SerializableString F_TABLE = new SerializedString("table");
  private static final SerializableString F_POSITION = new SerializedString("position");
  private static final SerializableString F_TX_ID = new SerializedString("txId");
  private static final SerializableString V_VERSION = new SerializedString(VERSION);
  private static final SerializableString V_SLUICE = new SerializedString("sluice");
  private static final SerializableString V_TRUE = new SerializedString("true");
  private static final SerializableString V_FALSE = new SerializedString("false");

  private static SerializedString quoted(String s) {
    return s == null ? null : new SerializedString(s);
  }

  private Names names(TableSchema t) {
    Names n = names.get(t.id());
    if (n == null || n.schema != t && !n.schema.equals(t)) {
      SerializableString[] columns = new SerializableString[t.columns().size()];
      for (int i = 0; i < columns.length; i++) {
        columns[i] = new SerializedString(t.columns().get(i).name());
      }
      n = new Names(t, columns, quoted(t.id().catalog()), quoted(t.id().schema()), quoted(t.id().table()));
      names.put(t.id(), n);
    }
    return n;
  }

  /** The key, {@code null} for a table without key columns. */
  byte[] key(ChangeEvent e) {
    TableSchema t = e.schema();
    if (!t.hasKey()) {
      return null;
    }
    Row row = e.op() == Op.DELETE ? e.before() : e.after();
    Names n = names(t);
    return encode(g -> {
      boolean wrap = settings.debeziumEnvelope() && settings.schemaInclude();
      if (wrap) {
        g.writeStartObject();
        g.writeFieldName("schema");
        g.writeTree(schemas.keySchema(t));
        g.writeFieldName("payload");
      }
      g.writeStartObject();
      for (String k : t.keyColumns()) {
        writeColumn(g, t, n, t.columnIndex(k), row);
      }
      g.writeEndObject();
      if (wrap) {
        g.writeEndObject();
      }
    });
  }

  byte[] value(ChangeEvent e) {
    return encode(g -> {
      if (settings.debeziumEnvelope()) {
        writeEnvelope(g, e);
      } else {
        writeFlat(g, e);
      }
    });
  }

  private void writeEnvelope(JsonGenerator g, ChangeEvent e) throws IOException {
    TableSchema t = e.schema();
    Names n = names(t);
    boolean wrap = settings.schemaInclude();
    if (wrap) {
      g.writeStartObject();
      g.writeFieldName("schema");
      g.writeTree(schemas.envelopeSchema(t));
      g.writeFieldName("payload");
    }
    g.writeStartObject();
    g.writeFieldName(BEFORE);
    writeRow(g, t, n, e.op() == Op.READ || e.op() == Op.INSERT ? null : e.before());
    g.writeFieldName(AFTER);
    writeRow(g, t, n, e.op() == Op.DELETE ? null : e.after());
    g.writeFieldName(SOURCE);
    writeSource(g, n, e);
    g.writeFieldName(OP);
    g.writeString(e.op().code());
    g.writeFieldName(TS_MS);
    g.writeNumber(clock.millis());
    g.writeFieldName(TRANSACTION);
    g.writeNull();
    g.writeEndObject();
    if (wrap) {
      g.writeEndObject();
    }
  }

  /** The record of a truncate on the table's topic: Debezium's {@code op: "t"}, or {@code __op: "t"}. */
  byte[] truncate(SchemaChangeEvent change) {
    long now = clock.millis();
    return encode(g -> {
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
    Names n = names(t);
    Row row = e.op() == Op.DELETE ? e.before() : e.after();
    g.writeStartObject();
    for (int i = 0; i < t.columns().size(); i++) {
      writeColumn(g, t, n, i, row);
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

  private void writeRow(JsonGenerator g, TableSchema t, Names n, Row row) throws IOException {
    if (row == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    for (int i = 0; i < t.columns().size(); i++) {
      writeColumn(g, t, n, i, row);
    }
    g.writeEndObject();
  }

  private void writeColumn(JsonGenerator g, TableSchema t, Names n, int i, Row row) throws IOException {
    Column c = t.columns().get(i);
    if (row.size() != t.columns().size()) {
      throw new DataException("table " + t.id() + ": a row has " + row.size() + " values for " + t.columns().size()
          + " columns; the source's schema and rows disagree (was a schema change missed?)");
    }
    g.writeFieldName(n.columns[i]);
    Object v = row.get(i);
    try {
      values.write(g, c.type(), v);
    } catch (ClassCastException ex) {
      throw new DataException("table " + t.id() + " column " + c.name() + ": a value of Java type "
          + v.getClass().getName() + " is not the representation of " + c.type()
          + " (see LogicalType); this is a bug in the source connector", ex);
    }
  }

  /** A row change's {@code source} block: {@link #writeSource(JsonGenerator, SinkSettings, TableId, Position, long, String, String)} from pre-quoted parts. */
  private void writeSource(JsonGenerator g, Names n, ChangeEvent e) throws IOException {
    g.writeStartObject();
    g.writeFieldName(F_VERSION);
    g.writeString(V_VERSION);
    g.writeFieldName(F_CONNECTOR);
    g.writeString(V_SLUICE);
    writeQuoted(g, F_NAME, serverName);
    g.writeFieldName(TS_MS);
    g.writeNumber(sourceMillis(e));
    g.writeFieldName(F_SNAPSHOT);
    g.writeString(e.op() == Op.READ ? V_TRUE : V_FALSE);
    writeQuoted(g, F_DB, n.db);
    writeQuoted(g, F_SCHEMA, n.schemaName);
    writeQuoted(g, F_TABLE, n.table);
    g.writeFieldName(F_POSITION);
    g.writeString(encoded(e.position()));
    g.writeFieldName(F_TX_ID);
    g.writeString(e.transactionId());
    g.writeEndObject();
  }

  private static void writeQuoted(JsonGenerator g, SerializableString name, SerializableString value)
      throws IOException {
    g.writeFieldName(name);
    if (value == null) {
      g.writeNull();
    } else {
      g.writeString(value);
    }
  }

  private String encoded(Position p) {
    if (p == null) {
      return null;
    }
    if (p != lastPosition) {
      lastEncoded = p.encode();
      lastPosition = p;
    }
    return lastEncoded;
  }

  /**
   * Writes what {@code body} generates to bytes, through the encoder's one generator: each record
   * is a root-level value, written without separator, flushed into the buffer and taken out.
   */
  private byte[] encode(JsonBody body) {
    try {
      if (generator == null) {
        buffer.reset();
        generator = FACTORY.createGenerator(buffer);
        generator.setRootValueSeparator(null);
      }
      body.write(generator);
      generator.flush();
      byte[] bytes = buffer.toByteArray();
      buffer.reset();
      return bytes;
    } catch (IOException e) {
      generator = null;
      throw new UncheckedIOException("writing JSON to memory failed", e);
    } catch (RuntimeException e) {
      // Half a record may sit in the generator: start the next record on a fresh one.
      generator = null;
      throw e;
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
