package dev.sluice.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every core logical type, at its edges, written and read back through Iceberg's generic reader unchanged. */
class TypeMatrixIT {
  @TempDir
  Path dir;

  static final List<Column> COLUMNS = List.of(
      Column.of("id", LogicalType.INT64, false),
      Column.of("b", LogicalType.BOOLEAN, true),
      Column.of("i8", LogicalType.INT8, true),
      Column.of("i16", LogicalType.INT16, true),
      Column.of("i32", LogicalType.INT32, true),
      Column.of("i64", LogicalType.INT64, true),
      Column.of("d10", LogicalType.decimal(10, 2), true),
      Column.of("d38", LogicalType.decimal(38, 10), true),
      Column.of("u64", LogicalType.decimal(20, 0), true),
      Column.of("dwide", LogicalType.decimal(0, 0), true),
      Column.of("f32", LogicalType.FLOAT32, true),
      Column.of("f64", LogicalType.FLOAT64, true),
      Column.of("s", LogicalType.STRING, true),
      Column.of("s20", LogicalType.string(20), true),
      Column.of("bin", LogicalType.BYTES, true),
      Column.of("js", LogicalType.JSON, true),
      Column.of("u", LogicalType.UUID, true),
      Column.of("e", new LogicalType(LogicalType.Kind.ENUM, 0, 0, null), true),
      Column.of("dt", LogicalType.DATE, true),
      Column.of("t0", LogicalType.time(0), true),
      Column.of("t6", LogicalType.time(6), true),
      Column.of("ts3", LogicalType.timestamp(3), true),
      Column.of("ts6", LogicalType.timestamp(6), true),
      Column.of("tz6", LogicalType.timestampTz(6), true),
      Column.of("ai", LogicalType.arrayOf(LogicalType.INT32), true),
      Column.of("as", LogicalType.arrayOf(LogicalType.STRING), true));
  static final TableSchema TYPES = TableSchema.withPrimaryKey(TableId.of("matrix", "types"), COLUMNS, List.of("id"));

  @Test
  void everyLogicalTypeSurvivesExactly() {
    List<Row> rows = List.of(
        Row.of(1L, true, (int) Byte.MIN_VALUE, (int) Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE,
            new BigDecimal("-99999999.99"), new BigDecimal("-9999999999999999999999999999.9999999999"),
            new BigDecimal("18446744073709551615"), new BigDecimal("123456789012345678901234567890123456789012.5"),
            Float.MIN_VALUE, -Double.MAX_VALUE, "", "twenty chars exactly", new byte[0], "{}",
            new UUID(0, 0), "small", LocalDate.of(1, 1, 1), LocalTime.MIDNIGHT, LocalTime.of(0, 0, 0, 1000),
            LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1_000_000), LocalDateTime.of(1899, 12, 31, 23, 59, 59, 999_999_000),
            Instant.parse("1969-12-31T23:59:59.999999Z"), List.of(), List.of()),
        Row.of(2L, false, (int) Byte.MAX_VALUE, (int) Short.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE,
            new BigDecimal("0.10"), new BigDecimal("0E-10"), new BigDecimal("0"), new BigDecimal("-0.000000000000000000000000000000000000000001"),
            Float.NaN, -0.0d, "ünïcödé ✓ 𝄞", "x", new byte[] {0, -1, 127, -128}, "{\"a\": [1, 2.5, null]}",
            UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), "large", LocalDate.of(2024, 2, 29),
            LocalTime.of(23, 59, 59), LocalTime.of(23, 59, 59, 999_999_000), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_000_000),
            LocalDateTime.of(2038, 1, 19, 3, 14, 8, 123_456_000), Instant.parse("2262-04-11T23:47:16.854775Z"),
            java.util.Arrays.asList(1, null, -3), List.of("a", "", "ü")),
        Row.wrap(new Object[] {3L, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null}));
    Lake lake = new Lake(dir.resolve("wh"));
    IcebergSink sink = lake.sink("types", Map.of());
    CheckpointStore store = sink.atomicCheckpoints().orElseThrow();
    List<ChangeEvent> events = new ArrayList<>();
    events.add(Events.read(TYPES, rows.get(0).values().toArray()));
    events.add(Events.insert(TYPES, rows.get(1).values().toArray()));
    events.add(Events.insert(TYPES, rows.get(2).values().toArray()));
    sink.write(events);
    store.save(Events.checkpoint("types", 1));
    Table table = Lake.table(sink.catalog(), "matrix", "types");
    Map<Key, Row> back = Lake.rows(table, TYPES, null);
    assertThat(back).hasSize(3);
    for (Row r : rows) {
      Row got = back.get(TYPES.keyOf(r));
      for (int i = 0; i < COLUMNS.size(); i++) {
        assertThat(got.get(i)).as("column %s of row %s", COLUMNS.get(i).name(), r.get(0)).isEqualTo(r.get(i));
      }
    }
    assertThat(type(table, "i8")).isEqualTo(Type.TypeID.INTEGER);
    assertThat(type(table, "u64").toString()).isEqualTo("DECIMAL");
    assertThat(table.schema().findField("u64").type().toString()).isEqualTo("decimal(20, 0)");
    assertThat(type(table, "dwide")).isEqualTo(Type.TypeID.STRING);
    assertThat(type(table, "u")).isEqualTo(Type.TypeID.UUID);
    assertThat(table.schema().findField("tz6").type().toString()).isEqualTo("timestamptz");
    assertThat(table.schema().findField("ts6").type().toString()).isEqualTo("timestamp");
    assertThat(table.schema().findField("id").isRequired()).isTrue();
    assertThat(table.schema().identifierFieldNames()).containsExactly("id");
    sink.close();
  }

  private static Type.TypeID type(Table t, String col) {
    return t.schema().findField(col).type().typeId();
  }

  @Test
  void aTypeIcebergCannotHoldExactlyIsRefusedNamingTableAndColumn() {
    Lake lake = new Lake(dir.resolve("wh"));
    TableSchema nanos = TableSchema.withPrimaryKey(TableId.of("matrix", "nanos"),
        List.of(Column.of("id", LogicalType.INT64, false), Column.of("at", LogicalType.timestamp(9), true)), List.of("id"));
    IcebergSink sink = lake.sink("refuse", Map.of());
    assertThatThrownBy(() -> sink.write(List.of(Events.insert(nanos, 1L, LocalDateTime.of(2020, 1, 1, 0, 0)))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("matrix.nanos").hasMessageContaining("'at'")
        .hasMessageContaining("TIMESTAMP(9)");
    sink.close();
    TableSchema wide = TableSchema.withPrimaryKey(TableId.of("matrix", "wide"),
        List.of(Column.of("id", LogicalType.INT64, false), Column.of("amount", LogicalType.decimal(50, 2), true)),
        List.of("id"));
    IcebergSink strict = lake.sink("refuse", Map.of("decimal.overflow", "refuse"));
    assertThatThrownBy(() -> strict.write(List.of(Events.insert(wide, 1L, new BigDecimal("1.00")))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("matrix.wide").hasMessageContaining("'amount'")
        .hasMessageContaining("decimal.overflow");
    strict.close();
  }
}
