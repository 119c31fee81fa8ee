package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/mysql-to-postgres.yaml through the real sluice command, MySQL 8 into
 * PostgreSQL, with writes all along: a SIGTERM and then a SIGKILL during the snapshot, a SIGKILL while
 * streaming, a restart after each; then the target table equals the source row for row.
 */
class MySqlToPostgresIT {
  @TempDir Path work;

  @Test
  void theTargetTableEqualsTheSourceAfterACrashAndACleanStop() throws Exception {
    long seed = System.nanoTime();
    String name = "e2e_pg_" + Long.toHexString(seed).substring(0, 8);
    JdbcEndpoint mysql = TestServers.mysql();
    JdbcEndpoint pg = TestServers.postgres();
    try (Connection c = pg.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    }
    Path example = Path.of("..", "examples", "mysql-to-postgres.yaml").toAbsolutePath().normalize();
    Map<String, String> env = Map.of("MYSQL_HOST", mysql.host(), "MYSQL_PORT", String.valueOf(mysql.port()),
        "MYSQL_USER", mysql.user(), "MYSQL_PASSWORD", mysql.password(), "MYSQL_DATABASE", name,
        "MYSQL_SERVER_ID", String.valueOf(7000 + (seed & 0xfff)), "PG_URL", pg.jdbcUrl(),
        "PG_USER", pg.adminUser(), "PG_PASSWORD", pg.adminPassword(), "PG_SCHEMA", name);
    try (MySqlWorkload w = new MySqlWorkload(mysql, name, seed)) {
      w.create(30_000);
      w.startWriting();
      try (SluiceProcess first = SluiceProcess.start(work, env, "run", example.toString())) {
        first.awaitOutput("snapshot started");
        TimeUnit.MILLISECONDS.sleep(300);
        // a clean stop inside the snapshot
        assertThat(first.terminate()).as("exit code after SIGTERM; output:%n%s", first.output()).isZero();
      }
      try (SluiceProcess second = SluiceProcess.start(work, env, "run", example.toString())) {
        second.awaitOutput("resuming from checkpoint");
        TimeUnit.MILLISECONDS.sleep(300);
        second.kill(); // a crash, most likely still inside the snapshot
      }
      try (SluiceProcess third = SluiceProcess.start(work, env, "run", example.toString())) {
        await().atMost(Duration.ofSeconds(90)).until(() -> targetRows(pg, name).size() > 25_000);
        TimeUnit.SECONDS.sleep(1);
        third.kill(); // a crash while streaming
      }
      try (SluiceProcess fourth = SluiceProcess.start(work, env, "run", example.toString())) {
        TimeUnit.SECONDS.sleep(1);
        w.stopWriting();
        Map<Long, String> expected = w.rows();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
            .untilAsserted(() -> assertThat(targetRows(pg, name)).as("seed %s", seed).isEqualTo(expected));
        assertThat(fourth.terminate()).as("output:%n%s", fourth.output()).isZero();
      }
    } finally {
      try (Connection c = pg.connectAsAdmin(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
      }
    }
  }

  private static Map<Long, String> targetRows(JdbcEndpoint pg, String schema) throws SQLException {
    Map<Long, String> out = new TreeMap<>();
    try (Connection c = pg.connectAsAdmin(); Statement s = c.createStatement()) {
      ResultSet exists = s.executeQuery("SELECT 1 FROM information_schema.tables WHERE table_schema = '" + schema
          + "' AND table_name = 'orders'");
      if (!exists.next()) {
        return out;
      }
      try (ResultSet rs = s.executeQuery("SELECT id, name, qty, version FROM " + schema + ".orders")) {
        while (rs.next()) {
          out.put(rs.getLong(1), rs.getString(2) + "|" + rs.getInt(3) + "|" + rs.getLong(4));
        }
      }
    }
    return out;
  }
}
