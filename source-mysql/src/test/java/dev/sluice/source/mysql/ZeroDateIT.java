package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zero dates under each {@code zero-date.handling}: read by the snapshot (row 1) and from the binlog
 * (the same row copied to key 11 while streaming), both equal to the expected row; a real 1970-01-01
 * and real NULLs (row 2, copied to 12) stay what they are. {@code fail} stops on either path, naming
 * table, column and key.
 */
class ZeroDateIT {
  private static final LocalDate EPOCH_DAY = LocalDate.EPOCH;
  private static final LocalDateTime EPOCH_MIDNIGHT = LocalDate.EPOCH.atStartOfDay();
  // Columns: NOT NULL DATE, DATETIME(6), TIMESTAMP(6); nullable TIMESTAMP(3), DATE, DATETIME; NOT NULL DATE and
  // DATETIME(3) holding a zero month or day.
  private static final String TABLE = "CREATE TABLE $db.z (id INT PRIMARY KEY, d DATE NOT NULL, dt DATETIME(6) NOT NULL, "
      + "ts TIMESTAMP(6) NOT NULL DEFAULT '2000-01-01 00:00:00', tsn TIMESTAMP(3) NULL DEFAULT NULL, dn DATE NULL, "
      + "dtn DATETIME NULL, dp DATE NOT NULL, dtp DATETIME(3) NOT NULL)";
  private static final String ZEROS = "'0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', "
      + "'0000-00-00 00:00:00', '0000-00-00', '0000-00-00 00:00:00', '2020-00-15', '2020-05-00 10:00:00'";
  private static final String REAL = "'1970-01-01', '1970-01-01 00:00:00', '2000-01-01 00:00:00', NULL, NULL, NULL, "
      + "'1970-01-01', '1970-01-01 00:00:00'";

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"mysql, null", "mysql, epoch", "mariadb, null", "mariadb, epoch"})
  void snapshotAndBinlogAgreeWithTheOption(String server, String handling) throws Exception {
    Row zeros = Row.of(EPOCH_DAY, EPOCH_MIDNIGHT, Instant.EPOCH, handling.equals("epoch") ? Instant.EPOCH : null,
        null, null, EPOCH_DAY, EPOCH_MIDNIGHT);
    Row real = Row.of(EPOCH_DAY, EPOCH_MIDNIGHT, Instant.parse("2000-01-01T00:00:00Z"), null, null, null, EPOCH_DAY,
        EPOCH_MIDNIGHT);
    try (Db db = Db.on(server)) {
      db.sql(TABLE);
      write(db, "INSERT INTO z VALUES (1, " + ZEROS + "), (2, " + REAL + ")");
      TableId t = db.table("z");
      try (MySqlSource source = db.source(Map.of("zero-date.handling", handling))) {
        CollectingSink sink = new CollectingSink();
        Pipeline p = SourceFixtures.pipeline("zero", source, sink, dir, 1, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        write(db, "INSERT INTO z SELECT id + 10, d, dt, ts, tsn, dn, dtn, dp, dtp FROM z");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(p.failure()).isEmpty();
          assertThat(sink.rows(t)).as("%s", p.status()).hasSize(4);
        });
        Map<Key, Row> rows = sink.rows(t);
        assertThat(rest(rows.get(Key.of(1)))).as("zero dates via the snapshot").isEqualTo(zeros);
        assertThat(rest(rows.get(Key.of(11)))).as("zero dates via the binlog").isEqualTo(zeros);
        assertThat(rest(rows.get(Key.of(2)))).as("epoch and nulls via the snapshot").isEqualTo(real);
        assertThat(rest(rows.get(Key.of(12)))).as("epoch and nulls via the binlog").isEqualTo(real);
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void failStopsOnEitherPathNamingTableColumnAndKey(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql(TABLE);
      write(db, "INSERT INTO z VALUES (2, " + REAL + "), (3, " + ZEROS + ")");
      TableId t = db.table("z");
      try (MySqlSource source = db.source(Map.of("zero-date.handling", "fail"))) {
        Pipeline p = SourceFixtures.pipeline("zerofail", source, new CollectingSink(), dir.resolve("snapshot"), 1, 10);
        assertThat(p.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).get().isInstanceOf(DataException.class).extracting(Throwable::getMessage).asString()
            .contains("zero date in column d of table " + t + ", row with key (id=3)", "zero-date.handling");
      }
      // The real 1970-01-01 and NULLs pass; a zero date from the binlog stops (in NOT NULL DATETIME dt here).
      write(db, "DELETE FROM z WHERE id = 3");
      try (MySqlSource source = db.source(Map.of("zero-date.handling", "fail"))) {
        CollectingSink sink = new CollectingSink();
        Pipeline p = SourceFixtures.pipeline("zerofail", source, sink, dir.resolve("binlog"), 1, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sink.rows(t)).containsOnlyKeys(Key.of(2)));
        write(db, "INSERT INTO z VALUES (13, " + ZEROS.replaceFirst("'0000-00-00'", "'2024-02-29'") + ")");
        assertThat(p.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).get().isInstanceOf(DataException.class).extracting(Throwable::getMessage).asString()
            .contains("zero date in column dt of table " + t + ", row with key (id=13)", "zero-date.handling");
      }
    }
  }

  /** Runs statements in a session that allows zero dates and reads TIMESTAMPs in UTC. */
  private static void write(Db db, String... statements) throws SQLException {
    try (Connection c = db.admin(); Statement s = c.createStatement()) {
      s.execute("SET SESSION sql_mode = '', time_zone = '+00:00'");
      for (String st : statements) {
        s.execute(st);
      }
    }
  }

  private static Row rest(Row r) {
    assertThat(r).isNotNull();
    return Row.of(r.values().subList(1, r.size()));
  }
}
