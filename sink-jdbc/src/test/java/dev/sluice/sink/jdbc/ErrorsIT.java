package dev.sluice.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The errors an operator meets first: a target that is down, a refused privilege, a value too big. */
class ErrorsIT {
  private static final TableSchema NAMES = TableSchema.withPrimaryKey(TableId.of("src", "names"),
      List.of(Column.of("id", LogicalType.INT64, false), Column.of("name", LogicalType.STRING, true),
          Column.of("n", LogicalType.INT32, true)), List.of("id"));

  @ParameterizedTest
  @ValueSource(strings = {"jdbc:postgresql://127.0.0.1:1/nowhere", "jdbc:mysql://127.0.0.1:1/nowhere",
      "jdbc:mariadb://127.0.0.1:1/nowhere"})
  void anUnreachableTargetIsARetriableErrorWithinTheConnectTimeout(String url) {
    Map<String, String> o = new HashMap<>();
    o.put("url", url);
    o.put("username", "someone");
    o.put("password", "s3cret-pw");
    o.put("connect.timeout", "1s");
    long start = System.nanoTime();
    try (JdbcSink sink = TargetDb.sinkWith("down", o)) {
      assertThatThrownBy(() -> sink.write(List.of(Events.insert(NAMES, 1L, "a", 1))))
          .isInstanceOf(ConnectionException.class)
          .hasMessageContaining(url).hasMessageContaining("someone").hasMessageNotContaining("s3cret-pw");
      assertThat(sink.toString()).doesNotContain("s3cret-pw");
    }
    assertThat((System.nanoTime() - start) / 1_000_000).as("ms until reported").isLessThan(5_000);
  }

  @Test
  void aSourceTableWithoutAKeyIsRefusedByNameWhetherTheTargetTableExistsOrNot() throws Exception {
    TableSchema keyless = new TableSchema(TableId.of("src", "no_key"), List.of(Column.of("a", LogicalType.INT64, true),
        Column.of("b", LogicalType.STRING, true)), List.of(), false);
    try (TargetDb db = TargetDb.create(TargetDb.Kind.SQLITE)) {
      for (boolean exists : new boolean[] {false, true}) {
        if (exists) {
          db.exec("CREATE TABLE " + db.qualified("no_key") + " (a INTEGER, b TEXT)");
        }
        try (JdbcSink sink = db.sink("keyless", Map.of())) {
          assertThatThrownBy(() -> sink.write(List.of(Events.insert(keyless, 1L, "x"))))
              .as("target table exists: %s", exists).isInstanceOf(DataException.class)
              .hasMessageContaining("src.no_key").hasMessageContaining("no primary key")
              .hasMessageContaining("scan.incremental.snapshot.chunk.key-column");
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TargetDb.Kind.class, names = "SQLITE", mode = EnumSource.Mode.EXCLUDE)
  void aRefusedCreateOrAlterTableNamesTheTableAndThePrivilegeToGrant(TargetDb.Kind kind) throws Exception {
    try (TargetDb db = TargetDb.create(kind)) {
      String user = db.createUser();
      db.grant("SELECT, INSERT, UPDATE, DELETE", db.postgres() ? "ALL TABLES IN SCHEMA " + db.namespace : db.namespace + ".*",
          user); // may write, may not create
      try (JdbcSink sink = TargetDb.sinkWith("denied", db.options(user, user, Map.of("schema.change.behavior", "evolve")))) {
        assertThatThrownBy(() -> sink.write(List.of(Events.insert(NAMES, 1L, "a", 1))))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("names").hasMessageContaining("create table").hasMessageContaining("privilege")
            .hasMessageContaining(db.postgres() ? "grant the sink's user CREATE on schema " + db.namespace
                : "grant the sink's user CREATE on database " + db.namespace);
      }
      try (JdbcSink sink = TargetDb.sinkWith("denied", db.options(user, user, Map.of()))) {
        sink.write(List.of(Events.insert(NAMES, 1L, "a", 1)));
        sink.flush();
        assertThat(sink.isolatedTables()).containsOnlyKeys(NAMES.id());
        assertThat(sink.isolatedTables().get(NAMES.id())).contains("grant the sink's user CREATE on");
      }
      // The table made by another user: the sink's user may write it but not alter it.
      try (JdbcSink admin = db.sink("admin", Map.of())) {
        admin.write(List.of(Events.insert(NAMES, 1L, "a", 1)));
        admin.flush();
      }
      db.grant("SELECT, INSERT, UPDATE, DELETE", db.postgres() ? "ALL TABLES IN SCHEMA " + db.namespace : db.namespace + ".*",
          user);
      TableSchema wider = TableSchema.withPrimaryKey(NAMES.id(), List.of(NAMES.columns().get(0), NAMES.columns().get(1),
          NAMES.columns().get(2), Column.of("extra", LogicalType.INT32, true)), List.of("id"));
      try (JdbcSink sink = TargetDb.sinkWith("denied", db.options(user, user, Map.of("schema.change.behavior", "evolve")))) {
        assertThatThrownBy(() -> sink.write(List.of(Events.insert(wider, 2L, "b", 2, 2))))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("names").hasMessageContaining("add column of column 'extra'")
            .hasMessageContaining(db.postgres() ? "grant the sink's user ownership of table \"" + db.namespace + "\".\"names\""
                : "grant the sink's user ALTER on table `" + db.namespace + "`.`names`");
      }
    }
  }

  @Test
  void aLostConnectionIsRetriableAndTheSinkReconnectsForTheReplay() throws Exception {
    try (TargetDb db = TargetDb.create(TargetDb.Kind.POSTGRES);
        JdbcSink sink = db.sink("lost", Map.of("jdbc.properties.ApplicationName", db.namespace))) {
      sink.write(List.of(Events.insert(NAMES, 1L, "a", 1)));
      sink.flush();
      sink.write(List.of(Events.insert(NAMES, 2L, "b", 2)));
      db.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + db.namespace + "'");
      assertThatThrownBy(sink::flush).isInstanceOf(ConnectionException.class).hasMessageContaining("resumes");
      // the pipeline replays from its checkpoint: the same change again, on a new connection
      sink.write(List.of(Events.insert(NAMES, 2L, "b", 2)));
      sink.flush();
      assertThat(db.rows("names", NAMES)).hasSize(2);
    }
  }

  @Test
  void aRefusedLoginIsAConfigurationErrorNotARetry() throws Exception {
    try (TargetDb db = TargetDb.create(TargetDb.Kind.POSTGRES);
        JdbcSink sink = TargetDb.sinkWith("login", db.options(db.endpoint.adminUser(), "wrong-pw", Map.of("connect.timeout", "1s")))) {
      assertThatThrownBy(() -> sink.write(List.of(Events.insert(NAMES, 1L, "a", 1))))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("password").hasMessageNotContaining("wrong-pw");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TargetDb.Kind.class, names = "SQLITE", mode = EnumSource.Mode.EXCLUDE)
  void aValueTheColumnCannotHoldNamesTableColumnAndKey(TargetDb.Kind kind) throws Exception {
    try (TargetDb db = TargetDb.create(kind)) {
      db.exec("CREATE TABLE " + db.qualified("names") + " (id bigint PRIMARY KEY, name varchar(3), n smallint)");
      try (JdbcSink sink = db.sink("toolong", Map.of())) {
        sink.write(List.of(Events.insert(NAMES, 1L, "abc", 1), Events.insert(NAMES, 42L, "abcdef", 2),
            Events.insert(NAMES, 3L, "x", 3)));
        assertThatThrownBy(sink::flush).isInstanceOf(DataException.class)
            .hasMessageContaining("names").hasMessageContaining("column 'name'").hasMessageContaining("key 42");
        sink.write(List.of(Events.insert(NAMES, 7L, "ok", 100_000)));
        assertThatThrownBy(sink::flush).isInstanceOf(DataException.class)
            .hasMessageContaining("column 'n'").hasMessageContaining("key 7");
        // the sink is usable again once the pipeline resumes
        sink.write(List.of(Events.insert(NAMES, 8L, "ok", 8)));
        sink.flush();
        assertThat(db.rows("names", NAMES)).hasSize(1);
      }
    }
  }
}
