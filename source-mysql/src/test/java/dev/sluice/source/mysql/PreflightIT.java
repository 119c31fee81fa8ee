package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each setting that cannot work is refused before anything runs, with a message naming it and the fix. */
class PreflightIT {

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void unreachableHostNamesHostAndPort(String server) throws Exception {
    try (Db db = Db.on(server)) {
      assertThatThrownBy(() -> db.source(Map.of("hostname", "127.0.0.1", "port", "1", "connect.timeout", "1s")))
          .isInstanceOf(ConnectionException.class)
          .hasMessageContaining("cannot reach the server at 127.0.0.1:1")
          .hasMessageContaining("hostname and port");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void badPasswordIsAConfigurationError(String server) throws Exception {
    try (Db db = Db.on(server)) {
      assertThatThrownBy(() -> db.source(Map.of("password", "not-the-password", "connect.timeout", "2s")))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("access denied for user '" + db.endpoint.user() + "'")
          .hasMessageContaining("username and password")
          .hasMessageNotContaining("not-the-password");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void missingReplicationGrantsAreNamed(String server) throws Exception {
    try (Db db = Db.on(server)) {
      String user = "srcmysql_u" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
      db.sql("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw-" + user + "'",
          "GRANT SELECT ON *.* TO '" + user + "'@'%'");
      try {
        assertThatThrownBy(() -> db.source(Map.of("username", user, "password", "pw-" + user)))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("lacks REPLICATION SLAVE, REPLICATION CLIENT")
            .hasMessageContaining("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + user + "'");
      } finally {
        db.sql("DROP USER '" + user + "'@'%'");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void selectAndTheTwoReplicationGrantsAreEnough(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t (id INT PRIMARY KEY, v INT)", "INSERT INTO $db.t VALUES (1, 1), (2, 2)");
      String user = "srcmysql_m" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
      db.sql("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw-" + user + "'",
          "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + user + "'@'%'");
      try (MySqlSource source = db.source(Map.of("username", user, "password", "pw-" + user))) {
        CollectingSink sink = new CollectingSink();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("srcmysql-grants");
        dev.sluice.core.runtime.Pipeline p = SourceFixtures.pipeline("grants", source, sink, dir, 2, 1);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
            .until(() -> sink.rows(db.table("t")).size() == 2);
        db.sql("INSERT INTO $db.t VALUES (3, 3)");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
            .until(() -> sink.rows(db.table("t")).size() == 3);
        p.stop();
        assertThat(p.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      } finally {
        db.sql("DROP USER '" + user + "'@'%'");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void patternMatchingNoTableIsRefused(String server) throws Exception {
    try (Db db = Db.on(server)) {
      assertThatThrownBy(() -> db.source(Map.of("tables", db.name + "\\.nothing_here")))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("option 'tables'")
          .hasMessageContaining("matches no table");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void tablesThatCannotBeCapturedAreNamed(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.geo (id INT PRIMARY KEY, g GEOMETRY)");
      assertThatThrownBy(() -> db.source(Map.of("tables", db.name + "\\.geo")))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining(db.name + ".geo.g")
          .hasMessageContaining("spatial");
      // A language-tailored collation (contractions, such as Swedish "aa"), not reproduced.
      String tailored = db.mariadb ? "utf8mb4_swedish_ci" : "utf8mb4_sv_0900_ai_ci";
      db.sql("CREATE TABLE $db.ci (k VARCHAR(10) COLLATE " + tailored + " PRIMARY KEY)");
      assertThatThrownBy(() -> db.source(Map.of("tables", db.name + "\\.ci")))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining(db.name + ".ci")
          .hasMessageContaining("key column k").hasMessageContaining(tailored);
      // No primary key and no chunk key column: captured without a key, for the engine to read whole
      // (at-least-once) or refuse by name (exactly-once; KeylessTableIT).
      db.sql("CREATE TABLE $db.nokey (a INT, b INT)");
      try (MySqlSource source = db.source(Map.of("tables", db.name + "\\.nokey"))) {
        assertThat(source.tables()).singleElement().satisfies(t -> assertThat(t.hasKey()).isFalse());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void resumingFromAPurgedBinlogNamesTheWayOut(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t (id INT PRIMARY KEY)");
      try (MySqlSource source = db.source()) {
        assertThatThrownBy(() -> source.openLog(BinlogPosition.mark("binlog.000000", 4, null), Map.of()))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("the server has purged")
            .hasMessageContaining("scan.startup.mode=initial");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void theServerFlavourIsDetected(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t (id INT PRIMARY KEY)");
      try (MySqlSource source = db.source()) {
        assertThat(source.isMariaDb()).isEqualTo(server.equals("mariadb"));
      }
    }
  }
}
