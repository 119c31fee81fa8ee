package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice serve} with two MySQL-to-PostgreSQL pipelines, one with a wrong password: the other
 * keeps syncing, and the API shows the failure without the password.
 */
class ServeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path work;

  private void pipeline(Path dir, String name, JdbcEndpoint mysql, String password, JdbcEndpoint pg, String db,
      int serverId) throws Exception {
    new ServePipelineFile(mysql, mysql.user(), password, db + "\\..*", serverId, pg, db, work.resolve("checkpoints"))
        .write(dir, name);
  }

  @Test
  void oneFailingPipelineLeavesTheOtherSyncingAndShowsItsErrorWithoutThePassword() throws Exception {
    long seed = System.nanoTime();
    String db = "e2e_serve_" + Long.toHexString(seed).substring(0, 8);
    JdbcEndpoint mysql = TestServers.mysql();
    JdbcEndpoint pg = TestServers.postgres();
    try (Connection c = pg.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + db);
    }
    Path dir = Files.createDirectories(work.resolve("pipelines"));
    pipeline(dir, "good", mysql, mysql.password(), pg, db, 8000 + (int) (seed & 0xff));
    pipeline(dir, "bad", mysql, "Wr0ngPassw0rd", pg, db, 8300 + (int) (seed & 0xff));
    try (MySqlWorkload w = new MySqlWorkload(mysql, db, seed);
        SluiceProcess serve = startServe(dir, w)) {
      int port = serve.restPort();
      HttpClient http = HttpClient.newHttpClient();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pipelines")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).doesNotContain("Wr0ngPassw0rd");
        JsonNode list = JSON.readTree(body);
        JsonNode bad = list.get(0);
        assertThat(bad.get("name").asText()).isEqualTo("bad");
        assertThat(bad.get("state").asText()).isIn("failed", "retrying");
        assertThat(bad.get("error").asText()).containsIgnoringCase("access denied");
        assertThat(list.get(1).get("state").asText()).isEqualTo("streaming");
      });
      w.stopWriting();
      Map<Long, String> expected = w.rows();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(count(pg, db)).isEqualTo(expected.size()));
      assertThat(serve.terminate()).isZero();
    } finally {
      try (Connection c = pg.connectAsAdmin(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + db + " CASCADE");
      }
    }
  }

  private SluiceProcess startServe(Path dir, MySqlWorkload w) throws Exception {
    w.create(5_000);
    w.startWriting();
    return SluiceProcess.start(work, Map.of(), "serve", "--pipelines", dir.toString(), "--port", "0");
  }

  private static long count(JdbcEndpoint pg, String schema) throws Exception {
    try (Connection c = pg.connectAsAdmin(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + schema + ".orders")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
