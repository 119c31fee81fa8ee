package dev.sluice.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.SchemaChangeEvent.Kind;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Each schema.change.behavior policy, on both targets, including a failing DDL that isolates one table. */
class SchemaEvolutionIT {
  private static final TableId T = TableId.of("src", "t");
  private static final Column ID = Column.of("id", LogicalType.INT64, false);
  private static final Column A = Column.of("a", LogicalType.string(10), true);
  private static final Column B = Column.of("b", LogicalType.INT32, false);
  private static final Column C = Column.of("c", LogicalType.STRING, true);

  static TableSchema schema(TableId id, Column... columns) {
    return TableSchema.withPrimaryKey(id, List.of(columns), List.of("id"));
  }

  static SchemaChangeEvent change(Kind kind, TableSchema schema, String column, String newName) {
    return new SchemaChangeEvent(schema.id(), kind, schema, column, newName, null, Events.next());
  }

  /** Every target under evolve and try_evolve, which behave alike while the target takes every DDL. */
  static Stream<Arguments> evolvingPolicies() {
    return Stream.of(TargetDb.Kind.values()).flatMap(k -> Stream.of(Arguments.of(k, "evolve"), Arguments.of(k, "try_evolve")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("evolvingPolicies")
  void evolveAppliesEveryChange(TargetDb.Kind kind, String policy) throws Exception {
    try (TargetDb db = TargetDb.create(kind); JdbcSink sink = db.sink("evolve", Map.of("schema.change.behavior", policy))) {
      TableSchema s1 = schema(T, ID, A, B);
      sink.write(List.of(Events.insert(s1, 1L, "x", 1)));
      TableSchema s2 = schema(T, ID, A, B, C);
      sink.apply(change(Kind.ADD_COLUMN, s2, "c", null));
      sink.write(List.of(Events.insert(s2, 2L, "y", 2, "c2")));
      TableSchema s3 = schema(T, ID, A, Column.of("b", LogicalType.INT64, false), C);
      sink.apply(change(Kind.ALTER_COLUMN_TYPE, s3, "b", null));
      sink.write(List.of(Events.insert(s3, 3L, "z", 5_000_000_000L, "c3")));
      sink.flush();
      assertThat(db.rows("t", s3)).containsValues(Row.of(1L, "x", 1L, null), Row.of(3L, "z", 5_000_000_000L, "c3"));

      TableSchema s4 = schema(T, ID, Column.of("a2", LogicalType.string(10), true), s3.columns().get(2), C);
      sink.apply(change(Kind.RENAME_COLUMN, s4, "a", "a2"));
      TableSchema s5 = schema(T, ID, s4.columns().get(1), s4.columns().get(2));
      sink.apply(change(Kind.DROP_COLUMN, s5, "c", null));
      sink.flush();
      assertThat(db.columns("t")).containsExactly("id", "a2", "b");
      assertThat(db.rows("t", s5)).containsValue(Row.of(2L, "y", 2L));

      sink.apply(change(Kind.TRUNCATE_TABLE, s5, null, null));
      sink.flush();
      assertThat(db.rows("t", s5)).isEmpty();

      sink.write(List.of(Events.insert(s5, 4L, "w", 4L)));
      sink.apply(change(Kind.DROP_TABLE, s5, null, null));
      sink.flush();
      assertThat(db.columns("t")).as("columns of the dropped table").isEmpty();
      // the source makes the table again: so does the sink
      TableSchema s6 = schema(T, ID, C);
      sink.write(List.of(Events.insert(s6, 5L, "again")));
      sink.flush();
      assertThat(db.columns("t")).containsExactly("id", "c");
      assertThat(db.rows("t", s6)).containsOnlyKeys(Key.of(5L));
      assertThat(sink.isolatedTables()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TargetDb.Kind.class, names = "SQLITE", mode = EnumSource.Mode.EXCLUDE)
  void lenientOnlyAddsAndWidensAndKeepsData(TargetDb.Kind kind) throws Exception {
    try (TargetDb db = TargetDb.create(kind); JdbcSink sink = db.sink("lenient", Map.of())) {
      TableSchema s1 = schema(T, ID, A, B);
      sink.write(List.of(Events.insert(s1, 1L, "x", 1)));
      TableSchema s2 = schema(T, ID, A, B, C);
      sink.apply(change(Kind.ADD_COLUMN, s2, "c", null));
      sink.write(List.of(Events.insert(s2, 2L, "y", 2, "c2")));
      // b dropped: kept, made nullable; a renamed to a2: a2 added beside a
      TableSchema s3 = schema(T, ID, A, C);
      sink.apply(change(Kind.DROP_COLUMN, s3, "b", null));
      TableSchema s4 = schema(T, ID, Column.of("a2", LogicalType.string(10), true), C);
      sink.apply(change(Kind.RENAME_COLUMN, s4, "a", "a2"));
      // a2 narrowed: not applied; c widened to... STRING stays; id widened from INT64 is not possible, so widen a2
      TableSchema s5 = schema(T, ID, Column.of("a2", LogicalType.string(5), true), C);
      sink.apply(change(Kind.ALTER_COLUMN_TYPE, s5, "a2", null));
      TableSchema s6 = schema(T, ID, Column.of("a2", LogicalType.string(40), true), C);
      sink.apply(change(Kind.ALTER_COLUMN_TYPE, s6, "a2", null));
      sink.write(List.of(Events.insert(s6, 3L, "a value longer than ten", "c3")));
      sink.apply(change(Kind.TRUNCATE_TABLE, s6, null, null));
      sink.apply(change(Kind.DROP_TABLE, s6, null, null));
      sink.flush();

      assertThat(db.columns("t")).containsExactly("id", "a", "b", "c", "a2");
      assertThat(length(db, "a2")).isEqualTo(40);
      TableSchema all = schema(T, ID, A, Column.of("b", LogicalType.INT32, true), C, s6.columns().get(1));
      assertThat(db.rows("t", all)).hasSize(3).containsValues(Row.of(1L, "x", 1, null, null),
          Row.of(2L, "y", 2, "c2", null), Row.of(3L, null, null, "c3", "a value longer than ten"));
    }
  }

  @ParameterizedTest
  @EnumSource(TargetDb.Kind.class)
  void ignoreLeavesTheTableAndWritesTheColumnsItHas(TargetDb.Kind kind) throws Exception {
    try (TargetDb db = TargetDb.create(kind); JdbcSink sink = db.sink("ignore", Map.of("schema.change.behavior", "ignore"))) {
      TableSchema s1 = schema(T, ID, A, B);
      sink.write(List.of(Events.insert(s1, 1L, "x", 1)));
      TableSchema s2 = schema(T, ID, A, B, C);
      sink.apply(change(Kind.ADD_COLUMN, s2, "c", null));
      sink.write(List.of(Events.insert(s2, 2L, "y", 2, "c2")));
      sink.apply(change(Kind.TRUNCATE_TABLE, s2, null, null));
      sink.flush();
      assertThat(db.columns("t")).containsExactly("id", "a", "b");
      assertThat(db.rows("t", s1)).containsValues(Row.of(1L, "x", 1), Row.of(2L, "y", 2));
    }
  }

  @ParameterizedTest
  @EnumSource(TargetDb.Kind.class)
  void exceptionRefusesAChangeNamingTableAndColumn(TargetDb.Kind kind) throws Exception {
    try (TargetDb db = TargetDb.create(kind);
        JdbcSink sink = db.sink("exc", Map.of("schema.change.behavior", "exception"))) {
      sink.write(List.of(Events.insert(schema(T, ID, A, B), 1L, "x", 1)));
      sink.flush();
      assertThatThrownBy(() -> sink.apply(change(Kind.ADD_COLUMN, schema(T, ID, A, B, C), "c", null)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("src.t").hasMessageContaining("column 'c'").hasMessageContaining("schema.change.behavior");
      assertThatThrownBy(() -> sink.apply(change(Kind.DROP_COLUMN, schema(T, ID, A), "b", null)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("src.t").hasMessageContaining("dropped column 'b'");
      assertThatThrownBy(() -> sink.apply(change(Kind.RENAME_COLUMN, schema(T, ID, Column.of("a2", LogicalType.string(10), true), B),
          "a", "a2"))).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("src.t").hasMessageContaining("renamed column 'a' to 'a2'");
      assertThatThrownBy(() -> sink.apply(change(Kind.ALTER_COLUMN_TYPE, schema(T, ID, A, Column.of("b", LogicalType.INT64, false)),
          "b", null))).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("src.t").hasMessageContaining("changed the type of column 'b'");
      assertThatThrownBy(() -> sink.apply(change(Kind.DROP_TABLE, schema(T, ID, A, B), null, null)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("src.t").hasMessageContaining("drop table");
      assertThat(db.columns("t")).containsExactly("id", "a", "b");
      assertThat(db.rows("t", schema(T, ID, A, B))).containsOnlyKeys(Key.of(1L));
    }
  }

  @ParameterizedTest
  @EnumSource(value = TargetDb.Kind.class, names = "SQLITE", mode = EnumSource.Mode.EXCLUDE)
  void aFailingDdlIsolatesItsTableAndTheOthersGoOn(TargetDb.Kind kind) throws Exception {
    for (String policy : List.of("try_evolve", "lenient")) {
      try (TargetDb db = TargetDb.create(kind)) {
        String user = lockedSetup(db);
        try (JdbcSink sink = TargetDb.sinkWith("iso", db.options(user, user, Map.of("schema.change.behavior", policy)))) {
          TableId open = TableId.of("src", "open");
          TableId locked = TableId.of("src", "locked");
          sink.write(List.of(Events.insert(schema(open, ID, A), 1L, "o1"), Events.insert(schema(locked, ID, A), 1L, "l1")));
          sink.apply(change(Kind.ADD_COLUMN, schema(open, ID, A, C), "c", null));
          sink.apply(change(Kind.ADD_COLUMN, schema(locked, ID, A, C), "c", null));
          sink.write(List.of(Events.insert(schema(open, ID, A, C), 2L, "o2", "c"),
              Events.insert(schema(locked, ID, A, C), 2L, "l2", "c")));
          sink.flush();

          assertThat(sink.isolatedTables()).as(policy).containsOnlyKeys(locked);
          assertThat(sink.isolatedTables().get(locked)).contains("column 'c'");
          assertThat(sink.skippedChanges()).isEqualTo(1);
          assertThat(db.rows("open", schema(open, ID, A, C))).hasSize(2);
          assertThat(db.rows("locked", schema(locked, ID, A))).hasSize(1);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TargetDb.Kind.class, names = "SQLITE", mode = EnumSource.Mode.EXCLUDE)
  void evolveFailsOnADdlTheTargetRefusesNamingTableAndColumn(TargetDb.Kind kind) throws Exception {
    try (TargetDb db = TargetDb.create(kind)) {
      String user = lockedSetup(db);
      try (JdbcSink sink = TargetDb.sinkWith("iso", db.options(user, user, Map.of("schema.change.behavior", "evolve")))) {
        TableId locked = TableId.of("src", "locked");
        sink.write(List.of(Events.insert(schema(locked, ID, A), 1L, "l1")));
        assertThatThrownBy(() -> sink.apply(change(Kind.ADD_COLUMN, schema(locked, ID, A, C), "c", null)))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("locked").hasMessageContaining("column 'c'").hasMessageContaining("privilege");
      }
    }
  }

  /** Tables open and locked, made by the admin; a user may write both but alter only open. */
  static String lockedSetup(TargetDb db) throws Exception {
    String user = db.createUser();
    List<String> ddl = new ArrayList<>();
    for (String t : List.of("open", "locked")) {
      ddl.add("CREATE TABLE " + db.qualified(t) + " (id bigint PRIMARY KEY, a varchar(10))");
    }
    db.exec(ddl.toArray(String[]::new));
    if (db.postgres()) {
      db.grant("SELECT, INSERT, UPDATE, DELETE", "ALL TABLES IN SCHEMA " + db.namespace, user);
      db.exec("ALTER TABLE " + db.qualified("open") + " OWNER TO " + user);
    } else {
      db.grant("SELECT, INSERT, UPDATE, DELETE", db.namespace + ".*", user);
      db.grant("ALTER", db.namespace + ".open", user);
    }
    return user;
  }

  private static long length(TargetDb db, String column) throws Exception {
    try (Connection c = db.admin(); PreparedStatement ps = c.prepareStatement("SELECT character_maximum_length"
        + " FROM information_schema.columns WHERE table_schema = ? AND table_name = 't' AND column_name = ?")) {
      ps.setString(1, db.namespace);
      ps.setString(2, column);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
