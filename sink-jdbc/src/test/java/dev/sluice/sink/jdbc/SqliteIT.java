package dev.sluice.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.SchemaChangeEvent.Kind;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What only the SQLite target does: the text it keeps for values SQLite has no exact type for (read
 * here with plain SQL, as any SQLite tool would), and the schema changes it cannot make in place.
 */
class SqliteIT {
  private static final TableId T = TableId.of("src", "t");
  private static final Column ID = Column.of("id", LogicalType.INT64, false);
  private static final Column A = Column.of("a", LogicalType.string(10), true);
  private static final Column B = Column.of("b", LogicalType.INT32, false);

  private static TableSchema schema(TableId id, Column... columns) {
    return TableSchema.withPrimaryKey(id, List.of(columns), List.of("id"));
  }

  private static SchemaChangeEvent change(Kind kind, TableSchema schema, String column) {
    return new SchemaChangeEvent(schema.id(), kind, schema, column, null, null, Events.next());
  }

  @Test
  void valuesWithoutAnExactSqliteTypeAreKeptAsExactText() throws Exception {
    TableSchema s = schema(TableId.of("src", "v"), ID,
        Column.of("dec", LogicalType.decimal(30, 9), true),
        Column.of("ts", LogicalType.timestamp(6), true),
        Column.of("tz", LogicalType.timestampTz(3), true),
        Column.of("t", LogicalType.time(3), true),
        Column.of("d", LogicalType.DATE, true),
        Column.of("ok", LogicalType.BOOLEAN, true),
        Column.of("u", LogicalType.UUID, true),
        Column.of("f", LogicalType.FLOAT64, true),
        Column.of("arr", LogicalType.arrayOf(LogicalType.DATE), true));
    try (TargetDb db = TargetDb.create(TargetDb.Kind.SQLITE); JdbcSink sink = db.sink("text", Map.of())) {
      sink.write(List.of(
          Events.insert(s, 1L, new BigDecimal("123456789012345678901.123456780"), LocalDateTime.of(2024, 2, 29, 13, 5, 0),
              Instant.parse("2024-02-29T23:59:59.5Z"), LocalTime.of(7, 0), LocalDate.of(2024, 2, 29), true,
              UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"), Double.NaN, List.of(LocalDate.of(2024, 1, 1))),
          Events.insert(s, 2L, new BigDecimal("-0.000000001"), null, null, null, null, false, null,
              Double.NEGATIVE_INFINITY, List.of())));
      sink.flush();
      try (Connection c = db.admin(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT dec, typeof(dec), ts, tz, t, d, ok, u, f, typeof(f), arr,"
              + " datetime(ts), strftime('%s', tz) FROM v ORDER BY id")) {
        assertThat(rs.next()).isTrue();
        List<Object> first = new ArrayList<>();
        for (int i = 1; i <= 13; i++) {
          first.add(rs.getString(i));
        }
        assertThat(first).containsExactly("123456789012345678901.123456780", "text", "2024-02-29T13:05:00.000000",
            "2024-02-29T23:59:59.500Z", "07:00:00.000", "2024-02-29", "1", "0f8fad5b-d9cb-469f-a165-70867728950e",
            "NaN", "text", "[\"2024-01-01\"]", "2024-02-29 13:05:00", "1709251199");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("-0.000000001");
        assertThat(rs.getString(7)).isEqualTo("0");
        assertThat(rs.getDouble(9)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(rs.getString(10)).isEqualTo("real");
      }
    }
  }

  @Test
  void updatesAndDeletesFindTheirRowByKey() throws Exception {
    TableSchema s = schema(T, ID, A);
    try (TargetDb db = TargetDb.create(TargetDb.Kind.SQLITE); JdbcSink sink = db.sink("writes", Map.of())) {
      sink.write(List.of(Events.insert(s, 1L, "a"), Events.insert(s, 2L, "b"), Events.insert(s, 3L, "c")));
      sink.flush();
      sink.write(List.of(Events.update(s, Row.of(1L, "a"), 1L, "a2"), Events.delete(s, 2L, "b")));
      sink.flush();
      assertThat(db.rows("t", s).values()).containsExactlyInAnyOrder(Row.of(1L, "a2"), Row.of(3L, "c"));
    }
  }

  @Test
  void underLenientADroppedNotNullColumnIsolatesTheTableNamingWhy() throws Exception {
    TableId other = TableId.of("src", "other");
    try (TargetDb db = TargetDb.create(TargetDb.Kind.SQLITE); JdbcSink sink = db.sink("lenient", Map.of())) {
      sink.write(List.of(Events.insert(schema(T, ID, A, B), 1L, "x", 1), Events.insert(schema(other, ID, A), 1L, "o")));
      sink.flush();
      // A type change that keeps the storage class (INTEGER) needs nothing: applied as a no-op.
      TableSchema wider = schema(T, ID, A, Column.of("b", LogicalType.INT64, false));
      sink.apply(change(Kind.ALTER_COLUMN_TYPE, wider, "b"));
      sink.write(List.of(Events.insert(wider, 2L, "y", 5_000_000_000L)));
      sink.flush();
      assertThat(sink.isolatedTables()).isEmpty();
      assertThat(db.rows("t", wider)).containsValue(Row.of(2L, "y", 5_000_000_000L));

      sink.apply(change(Kind.DROP_COLUMN, schema(T, ID, A), "b"));
      assertThat(sink.isolatedTables()).containsOnlyKeys(T);
      assertThat(sink.isolatedTables().get(T)).contains("column 'b'").contains("NOT NULL");
      assertThat(sink.stoppedTables()).as("what the pipeline's status shows").isEqualTo(sink.isolatedTables());
      sink.write(List.of(Events.insert(schema(T, ID, A), 3L, "z"), Events.insert(schema(other, ID, A), 2L, "p")));
      sink.flush();
      assertThat(sink.skippedChanges()).isEqualTo(1);
      assertThat(db.rows("other", schema(other, ID, A))).hasSize(2);
    }
  }

  @Test
  void underEvolveATypeChangeSqliteCannotMakeFailsNamingTableAndColumn() throws Exception {
    try (TargetDb db = TargetDb.create(TargetDb.Kind.SQLITE);
        JdbcSink sink = db.sink("evolve", Map.of("schema.change.behavior", "evolve"))) {
      sink.write(List.of(Events.insert(schema(T, ID, A, B), 1L, "x", 1)));
      sink.flush();
      TableSchema changed = schema(T, ID, A, Column.of("b", LogicalType.decimal(10, 2), false));
      assertThatThrownBy(() -> sink.apply(change(Kind.ALTER_COLUMN_TYPE, changed, "b")))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("src.t").hasMessageContaining("column 'b'").hasMessageContaining("from INTEGER to TEXT");
      assertThat(db.rows("t", schema(T, ID, A, B))).containsValue(Row.of(1L, "x", 1));
    }
  }

  @Test
  void aValueTheTableRefusesNamesTableColumnAndKey() throws Exception {
    try (TargetDb db = TargetDb.create(TargetDb.Kind.SQLITE); JdbcSink sink = db.sink("refused", Map.of())) {
      sink.write(List.of(Events.insert(schema(T, ID, A, B), 1L, "x", 1)));
      sink.flush();
      // b is NOT NULL in the target; a source that sends NULL for it is refused, naming the row.
      sink.write(List.of(Events.insert(schema(T, ID, A, B), 2L, "y", 2), Events.insert(schema(T, ID, A, B), 3L, "z", null)));
      assertThatThrownBy(sink::flush).isInstanceOf(DataException.class)
          .hasMessageContaining("src.t").hasMessageContaining("column 'b'").hasMessageContaining("3");
      assertThat(db.rows("t", schema(T, ID, A, B))).containsOnlyKeys(Key.of(1L));
    }
  }

  @Test
  void exactlyOnceKeepsTheCheckpointInTheSameFile() throws Exception {
    try (TargetDb db = TargetDb.create(TargetDb.Kind.SQLITE); JdbcSink sink = db.sink("eo", Map.of())) {
      var store = sink.atomicCheckpoints().orElseThrow();
      assertThat(store.load()).isEmpty();
      sink.write(List.of(Events.insert(schema(T, ID, A), 1L, "x")));
      store.save(new dev.sluice.core.checkpoint.Checkpoint("eo", "42", Map.of(), Map.of(), Instant.parse("2024-01-01T00:00:00Z")));
      assertThat(store.load()).hasValueSatisfying(cp -> assertThat(cp.position()).isEqualTo("42"));
      assertThat(db.rows("t", schema(T, ID, A))).hasSize(1);
    }
  }
}
