package dev.sluice.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;

/** Clear refusals before anything runs, on the real server (whose settings are never changed). */
class PreflightIT {

  @Test
  void badPasswordIsRefusedWithoutEchoingIt() throws Exception {
    try (Db db = new Db()) {
      db.sql("CREATE TABLE t (id int PRIMARY KEY)");
      assertThatThrownBy(() -> db.source(Map.of("password", "wrong-pw-123", "connect.timeout", "2s"))).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("access denied").hasMessageNotContaining("wrong-pw-123");
    }
  }

  @Test
  void noMatchingTableAndNoKeyAreRefusedByName() throws Exception {
    try (Db db = new Db()) {
      db.sql("CREATE TABLE nokey (a int, b text)");
      assertThatThrownBy(() -> db.source(Map.of("tables", "public\\.missing"))).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("public\\.missing");
      // No key and the default replica identity: its updates and deletes would carry no row.
      assertThatThrownBy(() -> db.source()).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("public.nokey").hasMessageContaining("REPLICA IDENTITY FULL")
          .hasMessageContaining("scan.incremental.snapshot.chunk.key-column");
      db.source(Map.of("scan.incremental.snapshot.chunk.key-column", "a")).close();
      // With REPLICA IDENTITY FULL it is captured without a key, for the engine to read whole.
      db.sql("ALTER TABLE nokey REPLICA IDENTITY FULL");
      try (PostgresSource source = db.source()) {
        assertThat(source.tables()).singleElement().satisfies(t -> assertThat(t.hasKey()).isFalse());
      }
    }
  }

  @Test
  void userWithoutReplicationIsRefused() throws Exception {
    try (Db db = new Db()) {
      String role = db.name + "_norepl";
      try (Connection c = db.endpoint.connectAsAdmin(); Statement s = c.createStatement()) {
        s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'pw' NOREPLICATION");
      }
      try {
        db.sql("CREATE TABLE t (id int PRIMARY KEY)", "GRANT SELECT ON t TO " + role);
        assertThatThrownBy(() -> db.source(Map.of("username", role, "password", "pw", "connect.timeout", "2s")))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("REPLICATION").hasMessageContaining(role);
      } finally {
        try (Connection c = db.endpoint.connectAsAdmin(); Statement s = c.createStatement()) {
          s.execute("DROP DATABASE IF EXISTS " + db.name + " WITH (FORCE)");
          s.execute("DROP ROLE " + role);
        }
      }
    }
  }

  @Test
  void slotAndPublicationAreCreatedOnceReusedAndKept() throws Exception {
    try (Db db = new Db()) {
      db.sql("CREATE TABLE a (id int PRIMARY KEY)", "CREATE TABLE b (id int PRIMARY KEY)",
          "CREATE TABLE other (id int PRIMARY KEY)");
      Map<String, String> o = Map.of("tables", "public\\.(a|b)", "slot.name", "srcpg_slot_test");
      db.source(o).close();
      db.source(o).close();
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'srcpg_slot_test'")) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(1);
        }
        try (ResultSet rs = s.executeQuery("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM "
            + "pg_publication_tables WHERE pubname = 'srcpg_slot_test'")) {
          rs.next();
          assertThat(rs.getString(1)).as("limited to the captured tables").isEqualTo("a,b");
        }
      }
    }
  }

  @Test
  void slotInUseByAnotherClientIsRefused() throws Exception {
    try (Db db = new Db()) {
      db.sql("CREATE TABLE t (id int PRIMARY KEY)");
      db.source(Map.of("slot.name", "srcpg_busy")).close();
      Properties props = new Properties();
      props.setProperty("user", db.endpoint.user());
      props.setProperty("password", db.endpoint.password());
      props.setProperty("replication", "database");
      props.setProperty("assumeMinServerVersion", "10");
      props.setProperty("preferQueryMode", "simple");
      // Another client streaming from the slot holds it.
      try (Connection other = DriverManager.getConnection(db.url(), props);
          PGReplicationStream stream = other.unwrap(PGConnection.class).getReplicationAPI().replicationStream()
              .logical().withSlotName("srcpg_busy").withSlotOption("proto_version", 1)
              .withSlotOption("publication_names", "srcpg_busy").start()) {
        assertThat(stream.isClosed()).isFalse();
        assertThatThrownBy(() -> db.source(Map.of("slot.name", "srcpg_busy"))).isInstanceOf(ConnectionException.class)
            .hasMessageContaining("srcpg_busy").hasMessageContaining("in use");
      }
    }
  }
}
