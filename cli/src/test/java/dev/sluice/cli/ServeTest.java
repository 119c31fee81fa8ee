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

  /** A test database of one table and a sink, registered under {@code name} for the memory connectors. */
  private static Workload served(String name, MemoryDatabase db, MemorySink sink, long seed, int rows) {
    Workload w = new Workload(db, seed, 10);
    w.addTable("t", KeyKind.SPARSE, rows);
    MemoryConnectors.DATABASES.put(name, db);
    MemoryConnectors.SINKS.put(name, sink);
    return w;
  }

  /** A daemon over the test's directory with the token {@code t0ken} and quick retries. */
  private Daemon daemon(int attempts) throws Exception {
    return new Daemon(dir, "127.0.0.1", 0, "t0ken", new RetryPolicy(attempts, Duration.ofMillis(10),
        Duration.ofMillis(50)));
  }

  @Test
  void aFailingPipelineDoesNotStopTheOtherAndTheApiShowsBothWithoutSecrets() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    MemorySink sink = new MemorySink(false, 1);
    Workload w = served("served", db, sink, 5, 1000);
    pipelineFile("good", "served", "fine-password");
    pipelineFile("bad", "served", "wrong");

    try (Daemon d = daemon(2)) {
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
      // The table had changes from the log (written during the snapshot): it has a lag of its own,
      // and, the pipeline being idle and caught up, the pipeline's lag comes back to 0.
      assertThat(good.get("tables").get(0).get("lagMillis").isNumber()).isTrue();
      JsonNode table = good.get("tables").get(0);
      assertThat(table.get("phase").asText()).isEqualTo("streaming");
      assertThat(table.get("chunksTotal").asLong()).isEqualTo(table.get("chunksDone").asLong()).isPositive();
      assertThat(table.get("chunksTotalEstimated").asBoolean()).isFalse();
      assertThat(good.get("rowsPerSecond").isNumber()).isTrue();
      assertThat(table.get("eventsPerSecond").isNumber()).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(call(port, "GET", "/pipelines/good", "t0ken")
          .body()).get("lagMillis").asLong() == 0);

      String metrics = call(port, "GET", "/metrics", "t0ken").body();
      assertThat(metrics).contains("sluice_events_written_total{pipeline=\"good\"}")
          .contains("sluice_snapshot_rows_read{pipeline=\"good\",table=\"testdb.t\"}")
          .contains("sluice_table_lag_seconds{pipeline=\"good\",table=\"testdb.t\"}")
          .contains("sluice_events_per_second{pipeline=\"good\"}")
          .contains("sluice_table_events_per_second{pipeline=\"good\",table=\"testdb.t\"}")
          .contains("sluice_snapshot_chunks_all{pipeline=\"good\",table=\"testdb.t\"}")
          .contains("sluice_snapshot_chunks_all_estimated{pipeline=\"good\",table=\"testdb.t\"} 0.0")
          .contains("sluice_table_phase{phase=\"streaming\",pipeline=\"good\",table=\"testdb.t\"} 1.0")
          .contains("sluice_table_phase{phase=\"planning\",pipeline=\"good\",table=\"testdb.t\"} 0.0");

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

  /** The endpoints the status page adds: its files, a pipeline's history, masked file and recent log. */
  @Test
  void thePageItsHistoryMaskedFileAndLogLines() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    MemorySink sink = new MemorySink(false, 1);
    served("paged", db, sink, 7, 500);
    pipelineFile("shown", "paged", "very-secret-pw");
    pipelineFile("broken", "paged", "wrong");

    try (Daemon d = daemon(1)) {
      int port = d.port();
      TableId t = TableId.of("testdb", "t");
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.rows(t).equals(db.latestRows(t)));

      // The page's own files need no token: they hold no data, and the page asks for the token.
      HttpResponse<String> page = call(port, "GET", "/", null);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'self'");
      assertThat(page.body()).contains("/ui/app.js").contains("/ui/style.css").doesNotContain("http");
      // Nothing fetched from elsewhere (the SVG namespace is a name, not an address).
      assertThat(call(port, "GET", "/ui/app.js", null).body().replace("http://www.w3.org/2000/svg", ""))
          .contains("/pipelines/").doesNotContain("http://").doesNotContain("https://");
      assertThat(call(port, "GET", "/ui/style.css", null).statusCode()).isEqualTo(200);
      assertThat(call(port, "GET", "/ui/other.js", null).statusCode()).isEqualTo(401);
      assertThat(call(port, "GET", "/ui/other.js", "t0ken").statusCode()).isEqualTo(404);

      for (String data : new String[] {"history", "config", "logs"}) {
        assertThat(call(port, "GET", "/pipelines/shown/" + data, null).statusCode()).isEqualTo(401);
        assertThat(call(port, "GET", "/pipelines/shown/" + data, "wrong-token").statusCode()).isEqualTo(401);
      }

      JsonNode config = JSON.readTree(call(port, "GET", "/pipelines/shown/config", "t0ken").body());
      assertThat(config.get("yaml").asText()).contains("  password: ******\n").contains("  type: memory\n")
          .contains("  name: shown\n").doesNotContain("very-secret-pw");
      assertThat(call(port, "GET", "/pipelines/broken/config", "t0ken").body()).contains("password: ******")
          .doesNotContain("wrong\\n");

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode history = JSON.readTree(call(port, "GET", "/pipelines/shown/history", "t0ken").body());
        assertThat(history.get("intervalMillis").asInt()).isEqualTo(1000);
        assertThat(history.get("points").size()).isGreaterThanOrEqualTo(2);
        JsonNode last = history.get("points").get(history.get("points").size() - 1);
        assertThat(last.get("rowsPerSecond").isNumber()).isTrue();
        assertThat(last.get("time").asText()).endsWith("Z");
      });
      // A failed pipeline has points too, without a rate: the chart shows a gap, not a zero.
      JsonNode brokenHistory = JSON.readTree(call(port, "GET", "/pipelines/broken/history", "t0ken").body());
      assertThat(brokenHistory.get("points").get(0).get("rowsPerSecond").isNull()).isTrue();
      assertThat(JSON.readTree(call(port, "GET", "/pipelines/shown", "t0ken").body()).get("rowsPerSecond").isNumber()).isTrue();
      assertThat(JSON.readTree(call(port, "GET", "/pipelines/shown", "t0ken").body()).get("tables").get(0)
          .has("estimatedRows")).isTrue();

      JsonNode logs = JSON.readTree(call(port, "GET", "/pipelines/shown/logs?lines=50", "t0ken").body());
      assertThat(logs.get("lines").size()).isBetween(1, 50);
      logs.get("lines").forEach(l -> assertThat(l.asText()).contains("pipeline=shown"));
      assertThat(logs.toString()).contains("snapshot finished").doesNotContain("very-secret-pw");
      JsonNode brokenLogs = JSON.readTree(call(port, "GET", "/pipelines/broken/logs", "t0ken").body());
      assertThat(brokenLogs.toString()).contains("access denied");

      HttpResponse<String> badLines = call(port, "GET", "/pipelines/shown/logs?lines=many", "t0ken");
      assertThat(badLines.statusCode()).isEqualTo(409);
      assertThat(badLines.body()).contains("lines must be a number from 1 to 200, not 'many'");
      assertThat(call(port, "GET", "/pipelines/shown/nothing", "t0ken").statusCode()).isEqualTo(404);
      assertThat(call(port, "GET", "/pipelines/nope/history", "t0ken").statusCode()).isEqualTo(404);
    }
  }

  /**
   * Adding a table through the API: refusals (token, pipeline, name, unknown or captured table, a
   * source without a tables option) change nothing; an added table is copied and streamed, kept
   * across a restart of the daemon without the file being edited, and can be taken out again.
   */
  @Test
  void aTableAddedThroughTheApiIsCopiedKeptAcrossRestartsAndRemovable() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    MemorySink sink = new MemorySink(false, 1);
    Workload w = served("adding", db, sink, 11, 300);
    w.addTable("u", KeyKind.SPARSE, 200);
    MemoryConnectors.SINKS.put("adding-whole", new MemorySink(false, 1));
    String file = """
        source:
          type: memory
          database: adding
          tables: testdb\\.t
        sink:
          type: memory
          sink: adding
        pipeline:
          name: adder
        sluice:
          checkpoint.dir: %s
          checkpoint.interval: 50ms
        """.formatted(dir.resolve("cp"));
    Files.writeString(dir.resolve("adder.yaml"), file);
    Files.writeString(dir.resolve("whole.yaml"), """
        source:
          type: memory-whole
          database: adding
        sink:
          type: memory
          sink: adding-whole
        pipeline:
          name: whole
        sluice:
          checkpoint.dir: %s
        """.formatted(dir.resolve("cp")));
    TableId t = TableId.of("testdb", "t");
    TableId u = TableId.of("testdb", "u");
    Path state = dir.resolve("cp").resolve("adder.tables.json");

    try (Daemon d = daemon(1)) {
      int port = d.port();
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.rows(t).equals(db.latestRows(t)));
      assertThat(sink.rows(u)).isEmpty();

      assertThat(call(port, "POST", "/pipelines/adder/tables/testdb.u", null).statusCode()).isEqualTo(401);
      assertThat(call(port, "POST", "/pipelines/adder/tables/testdb.u", "wrong").statusCode()).isEqualTo(401);
      assertThat(call(port, "POST", "/pipelines/nope/tables/testdb.u", "t0ken").statusCode()).isEqualTo(404);
      HttpResponse<String> badName = call(port, "POST", "/pipelines/adder/tables/testdb", "t0ken");
      assertThat(badName.statusCode()).isEqualTo(400);
      assertThat(badName.body()).contains("'testdb' is not a table name");
      assertThat(call(port, "POST", "/pipelines/adder/tables/testdb..u", "t0ken").statusCode()).isEqualTo(400);
      HttpResponse<String> missing = call(port, "POST", "/pipelines/adder/tables/testdb.nothing", "t0ken");
      assertThat(missing.statusCode()).as(missing.body()).isEqualTo(422);
      assertThat(missing.body()).contains("the source has no table testdb.nothing");
      assertThat(state).doesNotExist();
      HttpResponse<String> captured = call(port, "POST", "/pipelines/adder/tables/testdb.t", "t0ken");
      assertThat(captured.statusCode()).isEqualTo(409);
      assertThat(captured.body()).contains("already captures table testdb.t");
      HttpResponse<String> whole = call(port, "POST", "/pipelines/whole/tables/testdb.u", "t0ken");
      assertThat(whole.statusCode()).isEqualTo(409);
      assertThat(whole.body()).contains("without a 'tables' option");
      // A refused name restarted nothing for good: the pipeline streams on, nothing was kept.
      await().atMost(Duration.ofSeconds(10)).until(() ->
          JSON.readTree(call(port, "GET", "/pipelines/adder", "t0ken").body()).get("state").asText().equals("streaming"));

      w.start(1, 500);
      HttpResponse<String> added = call(port, "POST", "/pipelines/adder/tables/testdb.u", "t0ken");
      assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
      assertThat(JSON.readTree(added.body()).get("added").asText()).isEqualTo("testdb.u");
      assertThat(JSON.readTree(added.body()).get("addedTables").toString()).isEqualTo("[\"testdb.u\"]");
      Thread.sleep(200); // writes to both tables while u is snapshotted
      w.stop();
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.rows(u).equals(db.latestRows(u))
          && sink.rows(t).equals(db.latestRows(t)));
      assertThat(call(port, "POST", "/pipelines/adder/tables/testdb.u", "t0ken").body())
          .contains("already captures table testdb.u");
      assertThat(Files.readString(dir.resolve("adder.yaml"))).isEqualTo(file);
    }

    try (Daemon d = daemon(1)) {
      int port = d.port();
      JsonNode again = JSON.readTree(call(port, "GET", "/pipelines/adder", "t0ken").body());
      assertThat(again.get("addedTables").toString()).isEqualTo("[\"testdb.u\"]");
      await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(call(port, "GET", "/pipelines/adder",
          "t0ken").body()).get("tables").size() == 2);
      w.start(1, 500);
      Thread.sleep(200);
      w.stop();
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.rows(u).equals(db.latestRows(u))
          && sink.rows(t).equals(db.latestRows(t)));

      HttpResponse<String> removed = call(port, "DELETE", "/pipelines/adder/tables/testdb.u", "t0ken");
      assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
      assertThat(JSON.readTree(removed.body()).get("addedTables").size()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(call(port, "GET", "/pipelines/adder",
          "t0ken").body()).get("tables").size() == 1);
      HttpResponse<String> notAdded = call(port, "DELETE", "/pipelines/adder/tables/testdb.t", "t0ken");
      assertThat(notAdded.statusCode()).isEqualTo(404);
      assertThat(notAdded.body()).contains("has no added table testdb.t");
    }
  }
}
