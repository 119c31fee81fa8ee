package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.event.TableId;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotAndStreamIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void snapshotThenStreamEqualsTheTable(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t (id INT PRIMARY KEY, v VARCHAR(40), n BIGINT)");
      try (Connection c = db.admin(); PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
        for (int i = 1; i <= 2000; i++) {
          ps.setInt(1, i);
          ps.setString(2, "row " + i);
          ps.setLong(3, i * 10L);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (MySqlSource source = db.source()) {
        CollectingSink sink = new CollectingSink();
        Pipeline p = SourceFixtures.pipeline("p1", source, sink, dir, 4, 100);
        TableId t = db.table("t");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(sink.rows(t)).hasSize(2000));
        db.sql("INSERT INTO $db.t VALUES (5000, 'new', 1)", "UPDATE $db.t SET v = 'changed' WHERE id = 7",
            "DELETE FROM $db.t WHERE id = 8");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(sink.rows(t)).isEqualTo(SourceFixtures.contents(source, t)));
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void latestOffsetStreamsWhatChangesFromNowOn(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t (id INT PRIMARY KEY, v VARCHAR(40))", "INSERT INTO $db.t VALUES (1, 'before')");
      try (MySqlSource source = db.source(java.util.Map.of("scan.startup.mode", "latest-offset"))) {
        CollectingSink sink = new CollectingSink();
        dev.sluice.core.runtime.PipelineOptions options = new dev.sluice.core.runtime.PipelineOptions(
            dev.sluice.core.snapshot.SnapshotOptions.of(2, 10), 16, Duration.ofMillis(300),
            dev.sluice.core.runtime.Delivery.AT_LEAST_ONCE, dev.sluice.core.runtime.StartupMode.LATEST_OFFSET);
        Pipeline p = new Pipeline("latest", source, sink,
            new dev.sluice.core.checkpoint.FileCheckpointStore(dir, "latest"), options, null).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> p.status().state()
            == dev.sluice.core.runtime.PipelineStatus.State.STREAMING);
        db.sql("INSERT INTO $db.t VALUES (2, 'after')", "UPDATE $db.t SET v = 'changed' WHERE id = 1");
        TableId t = db.table("t");
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.rows(t).size() == 2);
        assertThat(sink.reads()).isZero();
        assertThat(sink.rows(t)).isEqualTo(SourceFixtures.contents(source, t));
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }
}
