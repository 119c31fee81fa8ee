package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice lake} on a PostgreSQL URL, with writes all along: it snapshots one schema of the
 * database (chosen with {@code --tables}, since the test database is shared) through logical
 * replication, is crashed (SIGKILL) while streaming, and the same command again resumes from the
 * checkpoint in the Iceberg tables and is stopped with SIGTERM. Then the table, read with Iceberg's
 * generic reader, equals the source, no id is live twice, and the resumed run took no second
 * snapshot. The slot and publication the command created are dropped after.
 */
class PostgresToIcebergIT {
  @TempDir Path work;

  @Test
  void theLakeOfAPostgresSchemaEqualsItAfterACrashAndAResume() throws Exception {
    long seed = System.nanoTime();
    String schema = "e2e_pgice_" + Long.toHexString(seed).substring(0, 8);
    JdbcEndpoint pg = TestServers.postgres();
    Path warehouse = work.resolve("lake");
    String[] lake = {"lake", "jdbc:postgresql://" + pg.adminUser() + ":" + pg.adminPassword() + "@" + pg.host() + ":"
        + pg.port() + "/" + pg.database(), warehouse.toString(), "--tables", schema + "\\..*",
        "--commit-interval", "1s"};
    try (MySqlWorkload w = new MySqlWorkload(pg, schema, seed, "SCHEMA")) {
      w.create(5_000);
      w.startWriting();
      try (SluiceProcess first = SluiceProcess.start(work, Map.of(), lake)) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          assertThat(first.isAlive()).as("sluice ended early; output:%n%s", first.output()).isTrue();
          assertThat(IcebergTables.rowsOrNone(warehouse, schema)).isGreaterThan(4_000);
        });
        TimeUnit.MILLISECONDS.sleep(1_500);
        first.kill(); // while streaming, changes read since the last commit
        assertThat(first.output()).contains("snapshot started").doesNotContain(pg.adminPassword());
      }
      try (SluiceProcess second = SluiceProcess.start(work, Map.of(), lake)) {
        second.awaitOutput("resuming from checkpoint");
        TimeUnit.SECONDS.sleep(1);
        w.stopWriting();
        Map<Long, String> expected = w.rows();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(
            () -> assertThat(IcebergTables.rows(warehouse, schema)).as("seed %s", seed).isEqualTo(expected));
        assertThat(second.terminate()).as("output:%n%s", second.output()).isZero();
        assertThat(second.output()).doesNotContain("snapshot started");
        assertThat(IcebergTables.rows(warehouse, schema)).isEqualTo(expected);
      }
      assertThat(w.writes()).isPositive();
    } finally {
      String slot = "sluice_lake_" + pg.database();
      try (Connection c = pg.connectAsAdmin(); Statement s = c.createStatement()) {
        s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot
            + "' AND NOT active");
        s.execute("DROP PUBLICATION IF EXISTS " + slot);
      }
    }
  }
}
