package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Supervisor.RetryPolicy;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySink;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private void pipelineFile(String name, String db, String password) throws Exception {
    Files.writeString(dir.resolve(name + ".yaml"), """
        source:
          type: memory
          database: %s
          password: %s
        sink:
          type: memory
          sink: %s
        pipeline:
          name: %s
        sluice:
          checkpoint.dir: %s
          checkpoint.interval: 50ms
        """.formatted(db, password, db, name, dir.resolve("cp")));
  }

  private HttpResponse<String> call(int port, String method, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFailingPipelineDoesNotStopTheOtherAndTheApiShowsBothWithoutSecrets() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    Workload w = new Workload(db, 5, 10);
    w.addTable("t", KeyKind.SPARSE, 1000);
    MemoryConnectors.DATABASES.put("served", db);
    MemorySink sink = new MemorySink(false, 1);
    MemoryConnectors.SINKS.put("served", sink);
    pipelineFile("good", "served", "fine-password");
    pipelineFile("bad", "served", "wrong");

    try (Daemon d = new Daemon(dir, "127.0.0.1", 0, "t0ken", new RetryPolicy(2, Duration.ofMillis(10),
        Duration.ofMillis(50)))) {
      int port = d.port();
      w.start(1, 500);
      Thread.sleep(200); // writes during the snapshot
      w.stop();
      TableId t = TableId.of("testdb", "t");
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.rows(t).equals(db.latestRows(t)));

      assertThat(call(port, "GET", "/health", null).statusCode()).isEqualTo(200);
      assertThat(call(port, "GET", "/pipelines", null).statusCode()).isEqualTo(401);
      HttpResponse<String> list = call(port, "GET", "/pipelines", "t0ken");
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.body()).doesNotContain("wrong").doesNotContain("fine-password");
      JsonNode pipelines = JSON.readTree(list.body());
      assertThat(pipelines).hasSize(2);
      JsonNode bad = pipelines.get(0);
      assertThat(bad.get("name").asText()).isEqualTo("bad");
      assertThat(bad.get("state").asText()).isEqualTo("failed");
      assertThat(bad.get("error").asText()).contains("access denied");
      JsonNode good = pipelines.get(1);
      assertThat(good.get("state").asText()).isEqualTo("streaming");
      assertThat(good.get("eventsWritten").asLong()).isGreaterThanOrEqualTo(1000);

      String metrics = call(port, "GET", "/metrics", "t0ken").body();
      assertThat(metrics).contains("sluice_events_written_total{pipeline=\"good\"}")
          .contains("sluice_snapshot_rows_read{pipeline=\"good\",table=\"testdb.t\"}");

      JsonNode paused = JSON.readTree(call(port, "POST", "/pipelines/good/pause", "t0ken").body());
      assertThat(paused.get("state").asText()).isEqualTo("paused");
      JsonNode resumed = JSON.readTree(call(port, "POST", "/pipelines/good/resume", "t0ken").body());
      assertThat(resumed.get("state").asText()).isNotEqualTo("paused");
      assertThat(call(port, "POST", "/pipelines/nope/pause", "t0ken").statusCode()).isEqualTo(404);

      // Re-read one table: rows deleted meanwhile must go, rows still there come back as READ.
      long before = sink.applied();
      assertThat(call(port, "POST", "/pipelines/good/tables/testdb.t/resnapshot", "t0ken").statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.applied() >= before + db.latestRows(t).size());
      assertThat(sink.rows(t)).isEqualTo(db.latestRows(t));
    }
  }
}
