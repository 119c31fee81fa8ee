package dev.sluice.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How changes land: collapsed per key, key changes, soft deletes, metadata columns, renamed tables. */
class WritesIT {
  private static final TableSchema ITEMS = TableSchema.withPrimaryKey(TableId.of("shop", "items"),
      List.of(Column.of("id", LogicalType.INT64, false), Column.of("name", LogicalType.STRING, true)), List.of("id"));

  @ParameterizedTest
  @EnumSource(TargetDb.Kind.class)
  void manyChangesOfOneKeyInOneBatchEndAsTheLast(TargetDb.Kind kind) throws Exception {
    try (TargetDb db = TargetDb.create(kind); JdbcSink sink = db.sink("collapse", Map.of("table.name.pattern", "${catalog}_${table}"))) {
      sink.write(List.of(
          Events.insert(ITEMS, 1L, "a"), Events.update(ITEMS, Row.of(1L, "a"), 1L, "b"), Events.delete(ITEMS, 1L, "b"),
          Events.insert(ITEMS, 1L, "c"),
          Events.insert(ITEMS, 2L, "x"), Events.delete(ITEMS, 2L, "x"),
          Events.insert(ITEMS, 3L, "k"), Events.update(ITEMS, Row.of(3L, "k"), 4L, "moved"),
          Events.insert(ITEMS, 3L, "back")));
      sink.flush();
      assertThat(db.rows("shop_items", ITEMS).values()).containsExactlyInAnyOrder(
          Row.of(1L, "c"), Row.of(3L, "back"), Row.of(4L, "moved"));
    }
  }

  @ParameterizedTest
  @EnumSource(TargetDb.Kind.class)
  void softDeleteKeepsTheRowFlaggedAndMetadataColumnsAreFilled(TargetDb.Kind kind) throws Exception {
    try (TargetDb db = TargetDb.create(kind); JdbcSink sink = db.sink("soft",
        Map.of("delete.mode", "soft", "metadata.columns", "source_table,op,source_ts"))) {
      sink.write(List.of(Events.insert(ITEMS, 1L, "a"), Events.insert(ITEMS, 2L, "b")));
      sink.flush();
      sink.write(List.of(Events.delete(ITEMS, 1L, "a")));
      sink.flush();
      assertThat(db.columns("items")).containsExactly("id", "name", "__source_table", "__op", "__source_ts",
          "__deleted", "__deleted_at");
      try (Connection c = db.admin(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT id, name, __source_table, __op, __source_ts IS NOT NULL, __deleted, __deleted_at IS NOT NULL FROM "
              + db.qualified("items") + " ORDER BY id")) {
        assertThat(rs.next()).isTrue();
        assertThat(List.of(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
            rs.getBoolean(6), rs.getBoolean(7))).containsExactly(1L, "a", "shop.items", "d", true, true, true);
        assertThat(rs.next()).isTrue();
        assertThat(List.of(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(6),
            rs.getBoolean(7))).containsExactly(2L, "b", "shop.items", "c", false, false);
      }
      // a re-inserted key comes back to life
      sink.write(List.of(Events.insert(ITEMS, 1L, "again")));
      sink.flush();
      try (Connection c = db.admin(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT name, __deleted, __deleted_at FROM " + db.qualified("items") + " WHERE id = 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("again");
        assertThat(rs.getBoolean(2)).isFalse();
        assertThat(rs.getObject(3)).isNull();
      }
    }
  }
}
