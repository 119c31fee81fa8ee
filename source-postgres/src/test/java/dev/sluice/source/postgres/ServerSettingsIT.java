package dev.sluice.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.option.Options;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server settings the shared test server never has: each test starts a PostgreSQL of its own
 * (embedded, from jars) with the setting under test, and asserts the source's message names it.
 */
class ServerSettingsIT {
  @TempDir Path dir;

  private static EmbeddedPostgres start(Map<String, String> settings) throws Exception {
    EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on");
    settings.forEach(b::setServerConfig);
    return b.start();
  }

  private static PostgresSource source(EmbeddedPostgres pg, String slot) {
    Map<String, String> o = new HashMap<>();
    o.put("hostname", "localhost");
    o.put("port", Integer.toString(pg.getPort()));
    o.put("username", "postgres");
    o.put("password", "not-checked");
    o.put("database-name", "postgres");
    o.put("tables", "public\\..*");
    o.put("slot.name", slot);
    return (PostgresSource) new PostgresSourceFactory().create(Options.parse("private server", PostgresOptions.ALL, o));
  }

  private static void sql(EmbeddedPostgres pg, String... statements) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      for (String st : statements) {
        s.execute(st);
      }
    }
  }

  private static String slotStatus(EmbeddedPostgres pg, String slot) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT wal_status FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Test
  void walLevelBelowLogicalIsRefusedWithTheFix() throws Exception {
    try (EmbeddedPostgres pg = start(Map.of("wal_level", "replica"))) {
      sql(pg, "CREATE TABLE t (id int PRIMARY KEY)");
      assertThatThrownBy(() -> source(pg, "sluice_wal_level").close()).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("wal_level=replica").hasMessageContaining("needs wal_level=logical");
    }
  }

  @Test
  void noFreeReplicationSlotIsRefusedWithTheFix() throws Exception {
    try (EmbeddedPostgres pg = start(Map.of("wal_level", "logical", "max_replication_slots", "1"))) {
      sql(pg, "CREATE TABLE t (id int PRIMARY KEY)",
          "SELECT pg_create_logical_replication_slot('someone_else', 'pgoutput')");
      assertThatThrownBy(() -> source(pg, "sluice_no_room").close()).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("max_replication_slots").hasMessageContaining("drop an unused slot or raise");
    }
  }

  /**
   * A slot whose WAL the server removed (max_slot_wal_keep_size) cannot resume: the source refuses
   * with the way to snapshot anew instead of streaming from a gap.
   */
  @Test
  void aSlotThatLostItsWalIsRefusedWithTheReSnapshotFix() throws Exception {
    try (EmbeddedPostgres pg = start(Map.of("wal_level", "logical", "max_slot_wal_keep_size", "1MB",
        "wal_keep_size", "0", "min_wal_size", "32MB", "max_wal_size", "64MB"))) {
      sql(pg, "CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t SELECT g, 'x' FROM generate_series(1, 100) g");
      CollectingSink sink = new CollectingSink();
      try (PostgresSource source = source(pg, "sluice_lost")) {
        Pipeline p = SourceFixtures.pipeline("lost", source, sink, dir, 1, 50);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING
            || p.failure().isPresent());
        assertThat(p.failure()).isEmpty();
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
      }
      // Move the WAL on by whole segments and checkpoint until the server gives up the slot's WAL.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        sql(pg, "INSERT INTO t SELECT g, repeat('y', 200) FROM generate_series(1000000 + (random() * 1e6)::int, "
            + "1000000 + (random() * 1e6)::int + 2000) g ON CONFLICT DO NOTHING", "SELECT pg_switch_wal()", "CHECKPOINT");
        return "lost".equals(slotStatus(pg, "sluice_lost"));
      });
      assertThatThrownBy(() -> source(pg, "sluice_lost").close()).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("has lost WAL it needs").hasMessageContaining("max_slot_wal_keep_size")
          .hasMessageContaining("scan.startup.mode=initial");
    }
  }
}
