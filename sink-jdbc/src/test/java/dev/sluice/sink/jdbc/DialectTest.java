package dev.sluice.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.event.LogicalType;
import dev.sluice.sink.jdbc.dialect.Dialect;
import dev.sluice.sink.jdbc.dialect.Dialects;
import dev.sluice.sink.jdbc.dialect.ExampleDialect;
import dev.sluice.sink.jdbc.dialect.MySqlDialect;
import dev.sluice.sink.jdbc.dialect.PostgresDialect;
import dev.sluice.sink.jdbc.dialect.SqliteDialect;
import java.util.List;
import org.junit.jupiter.api.Test;

class DialectTest {
  private final Dialect pg = new PostgresDialect();
  private final Dialect my = new MySqlDialect();
  private final Dialect lite = new SqliteDialect();

  @Test
  void aDialectRegisteredAsAServiceIsPickedForTheUrlsItAccepts() {
    assertThat(Dialects.forUrl("jdbc:exampledb://db.example:5432/warehouse")).isInstanceOf(ExampleDialect.class)
        .extracting(Dialect::name).isEqualTo("exampledb");
    assertThat(Dialects.forUrl("jdbc:postgresql://db.example/warehouse")).isInstanceOf(PostgresDialect.class);
    assertThatThrownBy(() -> Dialects.forUrl("jdbc:otherdb://db.example/w?password=s3cret"))
        .hasMessageContaining("jdbc:otherdb://db.example/w").hasMessageNotContaining("s3cret");
  }

  @Test
  void identifiersAreQuotedWithTheirQuoteDoubled() {
    assertThat(pg.quote("Weird\"Name")).isEqualTo("\"Weird\"\"Name\"");
    assertThat(my.quote("we`ird")).isEqualTo("`we``ird`");
    assertThat(pg.qualified("s", "t")).isEqualTo("\"s\".\"t\"");
  }

  @Test
  void postgresUpsertsOnConflictOfTheKey() {
    assertThat(pg.upsert("\"t\"", List.of("id", "a", "b"), List.of("id"), 2)).isEqualTo(
        "INSERT INTO \"t\" (\"id\", \"a\", \"b\") VALUES (?, ?, ?), (?, ?, ?) ON CONFLICT (\"id\") DO UPDATE SET"
            + " \"a\" = EXCLUDED.\"a\", \"b\" = EXCLUDED.\"b\"");
    assertThat(pg.upsert("\"t\"", List.of("id"), List.of("id"), 1)).endsWith("ON CONFLICT (\"id\") DO NOTHING");
  }

  @Test
  void mysqlUpsertsOnDuplicateKey() {
    assertThat(my.upsert("`t`", List.of("id", "a"), List.of("id"), 1)).isEqualTo(
        "INSERT INTO `t` (`id`, `a`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `a` = VALUES(`a`)");
  }

  @Test
  void typesKeepPrecisionAndRefuseWhatTheTargetCannotHold() {
    assertThat(pg.columnType(LogicalType.decimal(20, 0), false)).isEqualTo("numeric(20,0)");
    assertThat(my.columnType(LogicalType.decimal(20, 0), false)).isEqualTo("DECIMAL(20,0)");
    assertThat(pg.columnType(LogicalType.timestampTz(3), false)).isEqualTo("timestamptz(3)");
    assertThat(my.columnType(LogicalType.timestampTz(3), false)).isEqualTo("DATETIME(3)");
    assertThat(pg.columnType(LogicalType.arrayOf(LogicalType.INT64), false)).isEqualTo("bigint[]");
    assertThat(my.columnType(LogicalType.STRING, true)).isEqualTo("VARCHAR(255)");
    assertThat(my.columnType(LogicalType.STRING, false)).isEqualTo("LONGTEXT");
    assertThatThrownBy(() -> pg.columnType(LogicalType.time(9), false)).hasMessageContaining("at most 6");
    assertThatThrownBy(() -> my.columnType(LogicalType.decimal(70, 2), false)).hasMessageContaining("DECIMAL(65,30)");
  }

  @Test
  void theDialectFollowsTheUrl() {
    assertThat(Dialects.forUrl("jdbc:postgresql://h/db")).isInstanceOf(PostgresDialect.class);
    assertThat(Dialects.forUrl("jdbc:mariadb://h/db")).isInstanceOf(MySqlDialect.class);
    assertThat(Dialects.forUrl("jdbc:mysql://h/db")).isInstanceOf(MySqlDialect.class);
    assertThat(Dialects.forUrl("jdbc:sqlite:/tmp/x.db")).isInstanceOf(SqliteDialect.class);
    assertThatThrownBy(() -> Dialects.forUrl("jdbc:h2:mem:x")).hasMessageContaining("jdbc:sqlite:");
  }

  @Test
  void sqliteUpsertsOnConflictAndKeepsExactValuesAsText() {
    assertThat(lite.upsert("\"t\"", List.of("id", "a"), List.of("id"), 2)).isEqualTo(
        "INSERT INTO \"t\" (\"id\", \"a\") VALUES (?, ?), (?, ?) ON CONFLICT (\"id\") DO UPDATE SET \"a\" = EXCLUDED.\"a\"");
    assertThat(lite.columnType(LogicalType.decimal(38, 10), false)).isEqualTo("TEXT");
    assertThat(lite.columnType(LogicalType.timestampTz(9), false)).isEqualTo("TEXT");
    assertThat(lite.columnType(LogicalType.INT32, true)).isEqualTo("INTEGER");
    assertThat(lite.columnType(LogicalType.FLOAT32, false)).isEqualTo("REAL");
    assertThat(lite.columnType(LogicalType.BYTES, true)).isEqualTo("BLOB");
    assertThat(lite.truncate("\"t\"")).isEqualTo("DELETE FROM \"t\"");
  }

  @Test
  void sqliteChangesNoTypeInPlaceButNeedsNoneWithinAStorageClass() {
    assertThat(lite.alterColumnType("\"t\"", "b", "INTEGER", "INTEGER", false)).isNull();
    assertThatThrownBy(() -> lite.alterColumnType("\"t\"", "b", "INTEGER", "TEXT", false))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("from INTEGER to TEXT");
    assertThatThrownBy(() -> lite.dropNotNull("\"t\"", "b", "TEXT")).hasMessageContaining("NOT NULL");
  }
}
