package dev.sluice.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.LogicalType.Kind;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.testing.TypeMatrix;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every core logical type, at its edges, written and read back through Iceberg's generic reader unchanged. */
class TypeMatrixIT {
  @TempDir
  Path dir;

  static final TableSchema TYPES = TypeMatrix.schema(TableId.of("matrix", "types"));
  /** What only Iceberg's mapping meets: a decimal wider than 38 digits (kept as text), NaN and -0.0, before 1970. */
  static final TableSchema EXTRAS = TableSchema.withPrimaryKey(TableId.of("matrix", "extras"), List.of(
      Column.of("id", LogicalType.INT64, false),
      Column.of("d10", LogicalType.decimal(10, 2), true),
      Column.of("dwide", LogicalType.decimal(0, 0), true),
      Column.of("f32", LogicalType.FLOAT32, true),
      Column.of("f64", LogicalType.FLOAT64, true),
      Column.of("dt", LogicalType.DATE, true),
      Column.of("ts6", LogicalType.timestamp(6), true),
      Column.of("tz6", LogicalType.timestampTz(6), true),
      Column.of("ai", LogicalType.arrayOf(LogicalType.INT32), true)), List.of("id"));

  @Test
  void everyLogicalTypeSurvivesExactly() {
    Set<Kind> covered = EnumSet.noneOf(Kind.class);
    TYPES.columns().forEach(c -> covered.add(c.type().kind()));
    assertThat(covered).as("the matrix covers every logical type").isEqualTo(EnumSet.allOf(Kind.class));
    List<Row> extras = List.of(
        Row.of(1L, new BigDecimal("-99999999.99"), new BigDecimal("123456789012345678901234567890123456789012.5"),
            Float.NaN, -0.0d, LocalDate.of(1, 1, 1), LocalDateTime.of(1899, 12, 31, 23, 59, 59, 999_999_000),
            Instant.parse("1969-12-31T23:59:59.999999Z"), java.util.Arrays.asList(1, null, -3)),
        Row.of(2L, new BigDecimal("0.10"), new BigDecimal("-0.000000000000000000000000000000000000000001"),
            Float.MIN_VALUE, -Double.MAX_VALUE, LocalDate.of(2024, 2, 29), LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1000),
            Instant.parse("2262-04-11T23:47:16.854775Z"), List.of()));
    Lake lake = new Lake(dir.resolve("wh"));
    IcebergSink sink = lake.sink("types", Map.of());
    CheckpointStore store = sink.atomicCheckpoints().orElseThrow();
    List<ChangeEvent> events = new ArrayList<>();
    List<Row> rows = TypeMatrix.rows();
    events.add(Events.read(TYPES, rows.get(0).values().toArray())); // a snapshot row and changes alike
    events.add(Events.insert(TYPES, rows.get(1).values().toArray()));
    events.add(Events.insert(TYPES, rows.get(2).values().toArray()));
    extras.forEach(r -> events.add(Events.insert(EXTRAS, r.values().toArray())));
    sink.write(events);
    store.save(Events.checkpoint("types", 1));
    Table table = Lake.table(sink.catalog(), "matrix", "types");
    for (TableSchema s : List.of(TYPES, EXTRAS)) {
      Map<Key, Row> back = Lake.rows(Lake.table(sink.catalog(), "matrix", s.id().table()), s, null);
      List<Row> expected = s == TYPES ? rows : extras;
      assertThat(back).hasSize(expected.size());
      for (Row r : expected) {
        Row got = back.get(s.keyOf(r));
        for (int i = 0; i < s.columns().size(); i++) {
          assertThat(got.get(i)).as("%s column %s of row %s", s.id(), s.columns().get(i).name(), r.get(0))
              .isEqualTo(r.get(i));
        }
      }
    }
    assertThat(type(table, "i8")).isEqualTo(Type.TypeID.INTEGER);
    assertThat(table.schema().findField("ubig").type().toString()).isEqualTo("decimal(20, 0)");
    assertThat(type(table, "u")).isEqualTo(Type.TypeID.UUID);
    assertThat(table.schema().findField("tz").type().toString()).isEqualTo("timestamptz");
    assertThat(table.schema().findField("ts6").type().toString()).isEqualTo("timestamp");
    assertThat(table.schema().findField("id").isRequired()).isTrue();
    assertThat(table.schema().identifierFieldNames()).containsExactly("id");
    assertThat(type(Lake.table(sink.catalog(), "matrix", "extras"), "dwide")).isEqualTo(Type.TypeID.STRING);
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
