package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * Adding tables to a running MySQL-to-PostgreSQL pipeline under {@code sluice serve}: a table created
 * while it streams that the file's pattern does not match, added through
 * {@code POST /pipelines/{name}/tables/{db.table}} without editing the file; then a table created
 * while it streams, and a table that existed but was not captured until the pattern is widened in
 * the file, both snapshotted after {@code POST /pipelines/{name}/restart}. Each restarts only that
 * pipeline from its checkpoint; the table already copied keeps streaming. (The MySQL source fixes
 * its table list when it starts, so a new table waits for that restart.)
 */
class AddTableIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path work;

  @Test
  void tablesAddedThroughTheApiOrByRestartAreCopiedWhileTheOthersStream() throws Exception {
    long seed = System.nanoTime();
    String db = "e2e_add_" + Long.toHexString(seed).substring(0, 8);
    JdbcEndpoint mysql = TestServers.mysql();
    JdbcEndpoint pg = TestServers.postgres();
    try (Connection m = mysql.connectAsAdmin(); Statement s = m.createStatement();
        Connection p = pg.connectAsAdmin(); Statement ps = p.createStatement()) {
      s.execute("CREATE DATABASE " + db);
      s.execute("CREATE TABLE " + db + ".a (id INT PRIMARY KEY, v VARCHAR(20))");
      s.execute("CREATE TABLE " + db + ".zz_later (id INT PRIMARY KEY, v VARCHAR(20))");
      s.execute("INSERT INTO " + db + ".a VALUES (1, 'a1'), (2, 'a2')");
      s.execute("INSERT INTO " + db + ".zz_later VALUES (1, 'z1'), (2, 'z2'), (3, 'z3')");
      ps.execute("CREATE SCHEMA " + db);
    }
    Path dir = Files.createDirectories(work.resolve("pipelines"));
    Path file = new ServePipelineFile(mysql, mysql.user(), mysql.password(), db + "\\.[a-y].*",
        9000 + (int) (seed & 0xff), pg, db, work.resolve("checkpoints")).checkpointInterval("500ms").write(dir, "add");
    String yaml = Files.readString(file);
    try (SluiceProcess serve = SluiceProcess.start(work, Map.of(), "serve", "--pipelines", dir.toString(), "--port", "0")) {
      int port = serve.restPort();
      await().atMost(Duration.ofSeconds(60)).until(() -> count(pg, db, "a") == 2);

      // A table created while streaming that the file's pattern does not match, added through the
      // API: copied, then streamed, while the other table keeps streaming; the file stays as written.
      try (Connection m = mysql.connectAsAdmin(); Statement s = m.createStatement()) {
        s.execute("CREATE TABLE " + db + ".zz_api (id INT PRIMARY KEY, v VARCHAR(20))");
        s.execute("INSERT INTO " + db + ".zz_api VALUES (1, 'x1'), (2, 'x2'), (3, 'x3')");
      }
      HttpResponse<String> refused = post(port, "/pipelines/add/tables/" + db + ".zz_none");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
      assertThat(refused.body()).contains("the source has no table " + db + ".zz_none");
      HttpResponse<String> added = post(port, "/pipelines/add/tables/" + db + ".zz_api");
      assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
      assertThat(JSON.readTree(added.body()).get("addedTables").toString()).isEqualTo("[\"" + db + ".zz_api\"]");
      try (Connection m = mysql.connectAsAdmin(); Statement s = m.createStatement()) {
        s.execute("INSERT INTO " + db + ".a VALUES (10, 'a10')");
        s.execute("INSERT INTO " + db + ".zz_api VALUES (4, 'x4')");
      }
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(count(pg, db, "zz_api")).as("%s", serve.output()).isEqualTo(4);
        assertThat(count(pg, db, "a")).isEqualTo(3);
      });
      assertThat(count(pg, db, "zz_later")).isEqualTo(-1);
      assertThat(post(port, "/pipelines/add/tables/" + db + ".zz_api").body()).contains("already captures table");
      assertThat(Files.readString(file)).isEqualTo(yaml);

      // A table created while streaming, matching the pattern.
      try (Connection m = mysql.connectAsAdmin(); Statement s = m.createStatement()) {
        s.execute("CREATE TABLE " + db + ".b (id INT PRIMARY KEY, v VARCHAR(20))");
        s.execute("INSERT INTO " + db + ".b VALUES (1, 'b1'), (2, 'b2')");
        s.execute("INSERT INTO " + db + ".a VALUES (3, 'a3')");
      }
      // Widen the pattern to a table that existed all along, and restart only this pipeline.
      Files.writeString(file, yaml.replace("\\.[a-y].*", "\\..*"));
      HttpResponse<String> r = post(port, "/pipelines/add/restart");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(count(pg, db, "zz_later")).as("%s", serve.output()).isEqualTo(3);
        assertThat(count(pg, db, "b")).isEqualTo(2);
        assertThat(count(pg, db, "a")).isEqualTo(4);
        assertThat(count(pg, db, "zz_api")).isEqualTo(4);
      });
      assertThat(JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/pipelines/add")).build(), HttpResponse.BodyHandlers.ofString())
          .body()).get("error").isNull()).isTrue();
      assertThat(serve.terminate()).isZero();
    } finally {
      try (Connection m = mysql.connectAsAdmin(); Statement s = m.createStatement();
          Connection p = pg.connectAsAdmin(); Statement ps = p.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db);
        ps.execute("DROP SCHEMA IF EXISTS " + db + " CASCADE");
      }
    }
  }

  /**
   * A PostgreSQL source: a table named {@code schema.table} is added through the API while the
   * pipeline streams (the source asked with the pipeline stopped, as its slot admits one reader;
   * the table joins the publication), copied, then streamed.
   */
  @Test
  void aPostgresTableIsAddedBySchemaAndName() throws Exception {
    long seed = System.nanoTime();
    String schema = "e2e_addpg_" + Long.toHexString(seed).substring(0, 8);
    String slot = "sluice_" + schema;
    JdbcEndpoint pg = TestServers.postgres();
    try (Connection p = pg.connectAsAdmin(); Statement ps = p.createStatement()) {
      ps.execute("CREATE SCHEMA " + schema);
      ps.execute("CREATE SCHEMA " + schema + "_out");
      ps.execute("CREATE TABLE " + schema + ".a (id INT PRIMARY KEY, v VARCHAR(20))");
      ps.execute("INSERT INTO " + schema + ".a VALUES (1, 'a1'), (2, 'a2')");
    }
    Path dir = Files.createDirectories(work.resolve("pg-pipelines"));
    Files.writeString(dir.resolve("addpg.yaml"), """
        source:
          type: postgres
          hostname: %s
          port: %d
          username: %s
          password: %s
          database-name: %s
          tables: %s\\.a
          slot.name: %s
        sink:
          type: jdbc
          url: %s
          username: %s
          password: %s
          target.schema: %s_out
        pipeline:
          name: addpg
        sluice:
          checkpoint.dir: %s
          checkpoint.interval: 500ms
        """.formatted(pg.host(), pg.port(), pg.adminUser(), pg.adminPassword(), pg.database(), schema, slot,
        pg.jdbcUrl(), pg.adminUser(), pg.adminPassword(), schema, work.resolve("pg-checkpoints")));
    try (SluiceProcess serve = SluiceProcess.start(work, Map.of(), "serve", "--pipelines", dir.toString(), "--port", "0")) {
      int port = serve.restPort();
      await().atMost(Duration.ofSeconds(60)).until(() -> count(pg, schema + "_out", "a") == 2);
      try (Connection p = pg.connectAsAdmin(); Statement ps = p.createStatement()) {
        ps.execute("CREATE TABLE " + schema + ".later (id INT PRIMARY KEY, v VARCHAR(20))");
        ps.execute("INSERT INTO " + schema + ".later VALUES (1, 'l1'), (2, 'l2'), (3, 'l3')");
      }
      HttpResponse<String> added = post(port, "/pipelines/addpg/tables/" + schema + ".later");
      assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
      assertThat(JSON.readTree(added.body()).get("added").asText()).isEqualTo(pg.database() + "." + schema + ".later");
      try (Connection p = pg.connectAsAdmin(); Statement ps = p.createStatement()) {
        ps.execute("INSERT INTO " + schema + ".later VALUES (4, 'l4')");
        ps.execute("INSERT INTO " + schema + ".a VALUES (3, 'a3')");
      }
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(count(pg, schema + "_out", "later")).as("%s", serve.output()).isEqualTo(4);
        assertThat(count(pg, schema + "_out", "a")).isEqualTo(3);
      });
      assertThat(post(port, "/pipelines/addpg/tables/" + pg.database() + "." + schema + ".later").body())
          .contains("already captures table " + pg.database() + "." + schema + ".later");
      assertThat(serve.terminate()).isZero();
    } finally {
      try (Connection p = pg.connectAsAdmin(); Statement ps = p.createStatement()) {
        ps.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot
            + "' AND NOT active");
        ps.execute("DROP PUBLICATION IF EXISTS " + slot);
        ps.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        ps.execute("DROP SCHEMA IF EXISTS " + schema + "_out CASCADE");
      }
    }
  }

  private static HttpResponse<String> post(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long count(JdbcEndpoint pg, String schema, String table) throws Exception {
    try (Connection c = pg.connectAsAdmin(); Statement s = c.createStatement()) {
      ResultSet exists = s.executeQuery("SELECT 1 FROM information_schema.tables WHERE table_schema = '" + schema
          + "' AND table_name = '" + table + "'");
      if (!exists.next()) {
        return -1;
      }
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + schema + "." + table)) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
