package dev.sluice.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.LogicalType.Kind;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChangeEncoderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Position POS = () -> "binlog.000003:4711";
  private static final Instant COMMIT = Instant.parse("2025-12-31T23:59:58.250Z");

  /** A table with a column of every logical type; key (id, region). */
  static final TableSchema ALL_TYPES = TableSchema.withPrimaryKey(TableId.of("shop", "everything"), List.of(
      Column.of("id", LogicalType.INT64, false),
      Column.of("region", LogicalType.string(8), false),
      Column.of("flag", LogicalType.BOOLEAN, true),
      Column.of("tiny", LogicalType.INT8, true),
      Column.of("small", LogicalType.INT16, true),
      Column.of("num", LogicalType.INT32, true),
      Column.of("price", LogicalType.decimal(10, 2), true),
      Column.of("ratio", LogicalType.FLOAT32, true),
      Column.of("score", LogicalType.FLOAT64, true),
      Column.of("blob", LogicalType.BYTES, true),
      Column.of("doc", LogicalType.JSON, true),
      Column.of("uid", LogicalType.UUID, true),
      Column.of("color", new LogicalType(Kind.ENUM, 0, 0, null), true),
      Column.of("day", LogicalType.DATE, true),
      Column.of("at", LogicalType.time(3), true),
      Column.of("created", LogicalType.timestamp(6), true),
      Column.of("updated", LogicalType.timestampTz(6), true),
      Column.of("tags", LogicalType.arrayOf(LogicalType.STRING), true)), List.of("id", "region"));

  static Row row(long id, String payloadTag) {
    return Row.of(id, "eu", true, 7, 300, 70000, new BigDecimal("19.90"), 1.5f, 2.25, new byte[] {1, 2, 3},
        "{\"k\":[1,2]}", UUID.fromString("00000000-0000-0001-0000-000000000002"), "red", LocalDate.of(2025, 5, 6),
        LocalTime.of(7, 8, 9, 10_000_000), LocalDateTime.of(2025, 5, 6, 7, 8, 9, 123_456_000),
        Instant.parse("2025-05-06T07:08:09.654321Z"), List.of("a", payloadTag));
  }

  private static JsonNode parse(byte[] bytes) throws IOException {
    return MAPPER.readTree(bytes);
  }

  private static ChangeEncoder encoder(String... options) {
    return new ChangeEncoder(Settings.of("p1", options), CLOCK);
  }

  @Test
  void keyIsAJsonObjectOfTheKeyColumnsInKeyOrder() throws IOException {
    ChangeEvent insert = new ChangeEvent(ALL_TYPES, Op.INSERT, null, row(42, "x"), POS, COMMIT, "tx1");
    assertThat(new String(encoder().key(insert), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"id\":42,\"region\":\"eu\"}");
    ChangeEvent delete = new ChangeEvent(ALL_TYPES, Op.DELETE, row(43, "x"), null, POS, COMMIT, "tx2");
    assertThat(parse(encoder().key(delete)).get("id").asLong()).isEqualTo(43);
  }

  @Test
  void updateIsDebeziumsEnvelopeFieldByField() throws IOException {
    ChangeEvent update = new ChangeEvent(ALL_TYPES, Op.UPDATE, row(42, "old"), row(42, "new"), POS, COMMIT, "tx9");
    JsonNode v = parse(encoder().value(update));
    assertThat(v.fieldNames()).toIterable().containsExactly("before", "after", "source", "op", "ts_ms", "transaction");
    assertThat(v.get("op").asText()).isEqualTo("u");
    assertThat(v.get("ts_ms").asLong()).isEqualTo(CLOCK.millis());
    assertThat(v.get("transaction").isNull()).isTrue();
    assertThat(v.at("/before/tags/1").asText()).isEqualTo("old");
    JsonNode after = v.get("after");
    assertThat(after.fieldNames()).toIterable().hasSize(ALL_TYPES.columns().size());
    assertThat(after.get("id").isIntegralNumber()).isTrue();
    assertThat(after.get("flag").asBoolean()).isTrue();
    assertThat(after.get("tiny").asInt()).isEqualTo(7);
    assertThat(after.get("small").asInt()).isEqualTo(300);
    assertThat(after.get("num").asInt()).isEqualTo(70000);
    assertThat(after.get("price").asText()).isEqualTo("19.90");
    assertThat(after.get("price").isTextual()).isTrue();
    assertThat(after.get("ratio").asDouble()).isEqualTo(1.5);
    assertThat(after.get("score").asDouble()).isEqualTo(2.25);
    assertThat(after.get("blob").asText()).isEqualTo("AQID");
    assertThat(after.get("doc").asText()).isEqualTo("{\"k\":[1,2]}");
    assertThat(after.get("uid").asText()).isEqualTo("00000000-0000-0001-0000-000000000002");
    assertThat(after.get("color").asText()).isEqualTo("red");
    assertThat(after.get("day").asText()).isEqualTo("2025-05-06");
    assertThat(after.get("at").asText()).isEqualTo("07:08:09.01");
    assertThat(after.get("created").asText()).isEqualTo("2025-05-06T07:08:09.123456");
    assertThat(after.get("updated").asText()).isEqualTo("2025-05-06T07:08:09.654321Z");
    assertThat(after.at("/tags/1").asText()).isEqualTo("new");
    JsonNode source = v.get("source");
    assertThat(source.get("connector").asText()).isEqualTo("sluice");
    assertThat(source.get("name").asText()).isEqualTo("p1");
    assertThat(source.get("version").asText()).isNotEmpty();
    assertThat(source.get("ts_ms").asLong()).isEqualTo(COMMIT.toEpochMilli());
    assertThat(source.get("snapshot").asText()).isEqualTo("false");
    assertThat(source.get("db").asText()).isEqualTo("shop");
    assertThat(source.get("schema").isNull()).isTrue();
    assertThat(source.get("table").asText()).isEqualTo("everything");
    assertThat(source.get("position").asText()).isEqualTo("binlog.000003:4711");
    assertThat(source.get("txId").asText()).isEqualTo("tx9");
  }

  @Test
  void opCodesAndWhichSideIsNull() throws IOException {
    ChangeEncoder enc = encoder("topic.prefix", "prod");
    JsonNode read = parse(enc.value(ChangeEvent.read(ALL_TYPES, row(1, "r"), POS)));
    assertThat(read.get("op").asText()).isEqualTo("r");
    assertThat(read.get("before").isNull()).isTrue();
    assertThat(read.at("/source/snapshot").asText()).isEqualTo("true");
    assertThat(read.at("/source/name").asText()).isEqualTo("prod");
    assertThat(read.at("/source/ts_ms").asLong()).as("snapshot rows: time of writing").isEqualTo(CLOCK.millis());
    JsonNode insert = parse(enc.value(new ChangeEvent(ALL_TYPES, Op.INSERT, null, row(1, "c"), POS, COMMIT, null)));
    assertThat(insert.get("op").asText()).isEqualTo("c");
    assertThat(insert.get("before").isNull()).isTrue();
    JsonNode delete = parse(enc.value(new ChangeEvent(ALL_TYPES, Op.DELETE, row(1, "d"), null, POS, COMMIT, null)));
    assertThat(delete.get("op").asText()).isEqualTo("d");
    assertThat(delete.get("after").isNull()).isTrue();
    assertThat(delete.at("/before/id").asLong()).isEqualTo(1);
    // An update whose source logs no before image.
    JsonNode update = parse(enc.value(new ChangeEvent(ALL_TYPES, Op.UPDATE, null, row(1, "u"), POS, COMMIT, null)));
    assertThat(update.get("before").isNull()).isTrue();
  }

  @Test
  void flatJsonIsTheRowWithMetadataColumns() throws IOException {
    ChangeEncoder enc = encoder("value.format", "json", "decimal.format", "number", "timestamp.format", "epoch-micros");
    JsonNode v = parse(enc.value(new ChangeEvent(ALL_TYPES, Op.DELETE, row(5, "d"), null, POS, COMMIT, null)));
    assertThat(v.get("id").asLong()).isEqualTo(5);
    assertThat(v.get("price").isNumber()).isTrue();
    assertThat(v.get("price").decimalValue()).isEqualByComparingTo("19.90");
    assertThat(v.get("created").asLong()).isEqualTo(1746515289123456L);
    assertThat(v.get("__op").asText()).isEqualTo("d");
    assertThat(v.get("__table").asText()).isEqualTo("shop.everything");
    assertThat(v.get("__ts_ms").asLong()).isEqualTo(COMMIT.toEpochMilli());
    assertThat(v.fieldNames()).toIterable().hasSize(ALL_TYPES.columns().size() + 3);
  }

  @Test
  void schemaIncludeWrapsKeyAndValueAsConnectJson() throws IOException {
    ChangeEncoder enc = encoder("debezium-json.schema-include", "true", "decimal.format", "number");
    ChangeEvent insert = new ChangeEvent(ALL_TYPES, Op.INSERT, null, row(42, "x"), POS, COMMIT, "tx1");
    JsonNode key = parse(enc.key(insert));
    assertThat(key.at("/payload/id").asLong()).isEqualTo(42);
    assertThat(key.at("/schema/type").asText()).isEqualTo("struct");
    assertThat(key.at("/schema/name").asText()).isEqualTo("p1.shop.everything.Key");
    assertThat(key.at("/schema/fields/0/field").asText()).isEqualTo("id");
    assertThat(key.at("/schema/fields/0/type").asText()).isEqualTo("int64");

    JsonNode v = parse(enc.value(insert));
    assertThat(v.at("/payload/op").asText()).isEqualTo("c");
    JsonNode schema = v.get("schema");
    assertThat(schema.get("name").asText()).isEqualTo("p1.shop.everything.Envelope");
    List<String> envelopeFields = new ArrayList<>();
    schema.get("fields").forEach(f -> envelopeFields.add(f.get("field").asText()));
    assertThat(envelopeFields).containsExactly("before", "after", "source", "op", "ts_ms", "transaction");
    JsonNode after = schema.at("/fields/1");
    assertThat(after.get("optional").asBoolean()).isTrue();
    // Every column has a field schema, in column order, typed as its value is encoded.
    List<String> types = new ArrayList<>();
    after.get("fields").forEach(f -> types.add(f.get("field").asText() + ":" + f.get("type").asText()
        + (f.has("name") ? ":" + f.get("name").asText() : "")));
    assertThat(types).containsExactly("id:int64", "region:string", "flag:boolean", "tiny:int8", "small:int16",
        "num:int32", "price:bytes:org.apache.kafka.connect.data.Decimal", "ratio:float", "score:double",
        "blob:bytes", "doc:string:io.debezium.data.Json", "uid:string:io.debezium.data.Uuid",
        "color:string:io.debezium.data.Enum", "day:string:io.debezium.time.IsoDate",
        "at:string:io.debezium.time.IsoTime", "created:string:io.debezium.time.IsoTimestamp",
        "updated:string:io.debezium.time.ZonedTimestamp", "tags:array");
    assertThat(after.at("/fields/6/parameters/scale").asText()).isEqualTo("2");
    assertThat(after.at("/fields/17/items/type").asText()).isEqualTo("string");
  }

  @Test
  void aValueOfTheWrongJavaTypeNamesTableAndColumn() {
    Row bad = Row.of(1L, "eu", "not a boolean", null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
    ChangeEvent e = new ChangeEvent(ALL_TYPES, Op.INSERT, null, bad, POS, COMMIT, null);
    assertThatThrownBy(() -> encoder().value(e)).isInstanceOf(DataException.class)
        .hasMessageContaining("shop.everything").hasMessageContaining("column flag").hasMessageContaining("BOOLEAN");
  }

  @Test
  void aRecordThatFailedHalfWayLeavesNothingInTheNextOne() throws IOException {
    ChangeEncoder encoder = encoder();
    ChangeEvent good = new ChangeEvent(ALL_TYPES, Op.INSERT, null, row(7, "x"), POS, COMMIT, "tx1");
    byte[] alone = encoder().value(good);
    Row bad = Row.of(1L, "eu", true, 7, 300, 70000, "not a decimal", null, null, null, null, null, null, null,
        null, null, null, null);
    assertThatThrownBy(() -> encoder.value(new ChangeEvent(ALL_TYPES, Op.INSERT, null, bad, POS, COMMIT, null)))
        .isInstanceOf(DataException.class).hasMessageContaining("column price");
    assertThat(encoder.value(good)).isEqualTo(alone);
    assertThat(encoder.value(good)).isEqualTo(alone);
    assertThat(parse(encoder.key(good)).get("id").asLong()).isEqualTo(7);
  }

  @Test
  void schemaChangeNamesTableKindAndColumns() throws IOException {
    SchemaChangeEncoder enc = new SchemaChangeEncoder(Settings.of("p1"), CLOCK);
    SchemaChangeEvent add = new SchemaChangeEvent(ALL_TYPES.id(), SchemaChangeEvent.Kind.ADD_COLUMN, ALL_TYPES,
        "tags", null, "ALTER TABLE everything ADD tags JSON", POS);
    JsonNode v = parse(enc.value(add));
    assertThat(v.get("kind").asText()).isEqualTo("ADD_COLUMN");
    assertThat(v.get("column").asText()).isEqualTo("tags");
    assertThat(v.get("databaseName").asText()).isEqualTo("shop");
    assertThat(v.get("ddl").asText()).startsWith("ALTER TABLE");
    assertThat(v.at("/source/position").asText()).isEqualTo("binlog.000003:4711");
    assertThat(v.at("/tableChanges/0/type").asText()).isEqualTo("ALTER");
    assertThat(v.at("/tableChanges/0/table/primaryKeyColumnNames/1").asText()).isEqualTo("region");
    assertThat(v.at("/tableChanges/0/table/columns/6/typeName").asText()).isEqualTo("DECIMAL(10,2)");
    assertThat(parse(enc.key(add)).get("table").asText()).isEqualTo("everything");
    JsonNode drop = parse(enc.value(new SchemaChangeEvent(ALL_TYPES.id(), SchemaChangeEvent.Kind.DROP_TABLE, null,
        null, null, null, POS)));
    assertThat(drop.at("/tableChanges/0/type").asText()).isEqualTo("DROP");
    assertThat(drop.at("/tableChanges/0/table").isNull()).isTrue();
  }
}
