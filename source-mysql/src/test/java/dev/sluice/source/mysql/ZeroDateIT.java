package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zero dates read alike on both paths: the epoch in NOT NULL columns (what Debezium gives from the
 * binlog, so the snapshot follows it) and null in nullable ones.
 */
class ZeroDateIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void zeroDatesAreTheSameOnBothPaths(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.z (id INT PRIMARY KEY, d DATE NOT NULL, dt DATETIME(6) NOT NULL, "
          + "ts TIMESTAMP(6) NOT NULL DEFAULT '2000-01-01 00:00:00', dn DATE NULL, dtn DATETIME NULL)");
      try (Connection c = db.admin(); Statement s = c.createStatement()) {
        s.execute("SET SESSION sql_mode = ''");
        s.execute("INSERT INTO z VALUES (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00', "
            + "'0000-00-00 00:00:00')");
      }
      TableId t = db.table("z");
      try (MySqlSource source = db.source()) {
        CollectingSink sink = new CollectingSink();
        Pipeline p = Db.pipeline("zero", source, sink, dir, 1, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        try (Connection c = db.admin(); Statement s = c.createStatement()) {
          s.execute("SET SESSION sql_mode = ''");
          s.execute("INSERT INTO z SELECT 2, d, dt, ts, dn, dtn FROM z");
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(p.failure()).isEmpty();
          assertThat(sink.rows(t)).as("%s", p.status()).hasSize(2);
        });
        Map<Key, Row> rows = sink.rows(t);
        Row expected = Row.of(LocalDate.EPOCH, LocalDateTime.of(LocalDate.EPOCH, LocalTime.MIDNIGHT), Instant.EPOCH,
            null, null);
        assertThat(rest(rows.get(Key.of(1)))).as("via the snapshot").isEqualTo(expected);
        assertThat(rest(rows.get(Key.of(2)))).as("via the binlog").isEqualTo(expected);
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  private static Row rest(Row r) {
    assertThat(r).isNotNull();
    return Row.of(r.values().subList(1, r.size()));
  }
}
