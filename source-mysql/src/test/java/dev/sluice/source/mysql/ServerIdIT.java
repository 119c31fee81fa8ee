package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A second pipeline with a server id already in use is refused with the option named, and the
 * first one keeps streaming; the id is free again once the first stops.
 */
class ServerIdIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void aServerIdInUseIsRefused(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t (id INT PRIMARY KEY)", "INSERT INTO $db.t VALUES (1)");
      Map<String, String> id = Map.of("server-id", Integer.toString(900_000 + ThreadLocalRandom.current().nextInt(100_000)));
      CollectingSink sink = new CollectingSink();
      try (MySqlSource first = db.source(id); MySqlSource second = db.source(id)) {
        Pipeline a = SourceFixtures.pipeline("sid-a", first, sink, dir, 1, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> a.status().state() == PipelineStatus.State.STREAMING);
        Pipeline b = SourceFixtures.pipeline("sid-b", second, new CollectingSink(), dir, 1, 10);
        assertThat(b.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(b.failure()).get().isInstanceOf(ConfigurationException.class)
            .extracting(Throwable::getMessage).asString()
            .contains("option 'server-id'", "server id " + id.get("server-id") + " is already used by another Sluice binlog reader",
                "different server-id");
        db.sql("INSERT INTO $db.t VALUES (2)");
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.rows(db.table("t")).size() == 2);
        assertThat(a.status().state()).isEqualTo(PipelineStatus.State.STREAMING);
        a.stop();
        assertThat(a.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(a.failure()).isEmpty();
      }
      try (MySqlSource again = db.source(id)) {
        Pipeline c = SourceFixtures.pipeline("sid-a", again, sink, dir, 1, 10);
        db.sql("INSERT INTO $db.t VALUES (3)");
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.rows(db.table("t")).size() == 3);
        c.stop();
        assertThat(c.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(c.failure()).as("the id is free once its reader stopped").isEmpty();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void theServersOwnIdIsRefused(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t (id INT PRIMARY KEY)");
      long own;
      try (Connection c = db.endpoint.connectAsAdmin(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT @@GLOBAL.server_id")) {
        rs.next();
        own = rs.getLong(1);
      }
      try (MySqlSource source = db.source(Map.of("server-id", Long.toString(own)))) {
        Pipeline p = SourceFixtures.pipeline("sid-own", source, new CollectingSink(), dir, 1, 10);
        assertThat(p.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).get().isInstanceOf(ConfigurationException.class)
            .extracting(Throwable::getMessage).asString()
            .contains("option 'server-id'", "server id " + own + " is already used by the server itself");
      }
    }
  }
}
