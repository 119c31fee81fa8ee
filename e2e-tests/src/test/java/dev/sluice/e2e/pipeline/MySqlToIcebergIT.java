package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MySQL 8 into Iceberg through the real sluice command, with writes all along: {@code sluice lake}
 * on a JDBC URL snapshots the database while it changes and streams, is crashed (SIGKILL) while
 * streaming, and the same pipeline goes on under {@code sluice run examples/mysql-to-iceberg.yaml}
 * (its name and warehouse set to the lake's), which resumes from the checkpoint in the tables and is
 * stopped with SIGTERM. Then the Iceberg table, read with Iceberg's generic reader, equals the
 * source table; no id is live twice; no two snapshots carry the same checkpoint. And {@code sluice
 * lake} on a server that is not there says so and exits 2.
 */
class MySqlToIcebergIT {
  private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

  @TempDir Path work;

  @Test
  void theLakeEqualsTheSourceAfterACrashWhileStreamingWithEachCheckpointCommittedOnce() throws Exception {
    long seed = System.nanoTime();
    String db = "e2e_ice_" + Long.toHexString(seed).substring(0, 8);
    JdbcEndpoint mysql = TestServers.mysql();
    Path warehouse = work.resolve("lake");
    String credentials = mysql.user() + ":" + mysql.password() + "@";
    String[] lake = {"lake", "jdbc:mysql://" + credentials + mysql.host() + ":" + mysql.port() + "/" + db,
        warehouse.toString(), "--commit-interval", COMMIT_INTERVAL.toSeconds() + "s"};
    Path example = Path.of("..", "examples", "mysql-to-iceberg.yaml").toAbsolutePath().normalize();
    Map<String, String> env = Map.of("MYSQL_HOST", mysql.host(), "MYSQL_PORT", String.valueOf(mysql.port()),
        "MYSQL_USER", mysql.user(), "MYSQL_PASSWORD", mysql.password(), "MYSQL_DATABASE", db,
        "MYSQL_SERVER_ID", String.valueOf(8000 + (seed & 0xfff)), "ICEBERG_WAREHOUSE", warehouse.toString(),
        "ICEBERG_COMMIT_INTERVAL", COMMIT_INTERVAL.toSeconds() + "s", "PIPELINE_NAME", "lake-" + db);
    // Beside it all, sluice lake on a port nothing listens on: refused, the fault named, after the
    // source's connect timeout (30 s), so it runs while the rest does.
    int closedPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = free.getLocalPort();
    }
    try (MySqlWorkload w = new MySqlWorkload(mysql, db, seed);
        SluiceProcess unreachable = SluiceProcess.start(work, Map.of(), "lake", "jdbc:mysql://app:pw1234@127.0.0.1:"
            + closedPort + "/shop", work.resolve("unreachable").toString(), "--no-run")) {
      w.create(10_000);
      w.startWriting(); // from before the snapshot to after the crash
      try (SluiceProcess first = SluiceProcess.start(work, Map.of(), lake)) {
        awaitRows(warehouse, db, 7_000, first);
        TimeUnit.MILLISECONDS.sleep(COMMIT_INTERVAL.toMillis() + 500);
        first.kill(); // a crash while streaming, changes read since the last commit
        assertThat(first.output()).contains("wrote the pipeline file").contains("snapshot started")
            .doesNotContain(credentials);
      }
      assertThat(Files.readString(work.resolve("lake-" + db + ".yaml")))
          .contains("password: ${SLUICE_SOURCE_PASSWORD}").doesNotContain(credentials);
      try (SluiceProcess second = SluiceProcess.start(work, env, "run", example.toString())) {
        second.awaitOutput("resuming from checkpoint");
        TimeUnit.SECONDS.sleep(1);
        w.stopWriting();
        Map<Long, String> expected = w.rows();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
            .untilAsserted(() -> assertThat(IcebergTables.rows(warehouse, db)).as("seed %s", seed).isEqualTo(expected));
        assertThat(second.terminate()).as("output:%n%s", second.output()).isZero();
        assertThat(second.output()).doesNotContain("snapshot started");
        // the clean stop committed what was left, nothing more: the table is still the source
        assertThat(IcebergTables.rows(warehouse, db)).isEqualTo(expected);
      }
      assertEachCheckpointCommittedOnce(warehouse, db);
      assertThat(w.writes()).isPositive();

      assertThat(unreachable.waitFor(60)).as(unreachable.output()).isEqualTo(2);
      assertThat(unreachable.output()).contains("source: cannot reach the server at 127.0.0.1:" + closedPort)
          .contains("sluice lake: fix the above").doesNotContain("pw1234");
    }
  }

  private static void awaitRows(Path warehouse, String db, int rows, SluiceProcess process) {
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> !process.isAlive() || IcebergTables.rowsOrNone(warehouse, db) > rows);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("fewer than " + rows + " rows in " + warehouse + " after 60 s (" + IcebergTables.rowsOrNone(warehouse, db)
          + "); output:\n" + process.output(), e);
    }
    assertThat(process.isAlive()).as("sluice ended early; output:%n%s", process.output()).isTrue();
  }

  /**
   * The checkpoint each commit carries in its snapshot summary ({@code sluice.checkpoint}, a number
   * the sink never reuses; a checkpoint's earlier commits mark it {@code sluice.checkpoint.pending}):
   * present, and never the same twice.
   */
  private static void assertEachCheckpointCommittedOnce(Path warehouse, String db) {
    List<Map<String, String>> summaries = IcebergTables.summaries(warehouse, db);
    List<String> checkpoints = new ArrayList<>();
    for (Map<String, String> summary : summaries) {
      if (summary.containsKey("sluice.checkpoint")) {
        checkpoints.add(summary.get("sluice.checkpoint"));
      }
    }
    assertThat(checkpoints).as("checkpoints in the snapshot summaries of %s: %s", warehouse, summaries).isNotEmpty();
    Set<String> seen = new HashSet<>();
    for (String c : checkpoints) {
      assertThat(seen.add(c)).as("checkpoint %s committed twice in %s: %s", c, warehouse, summaries).isTrue();
    }
  }
}
