package dev.sluice.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.Key;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.core.runtime.StartupMode;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slot across a pipeline's life: confirmed forward while the database is idle, reused after a
 * clean stop (changes made while down arrive, the snapshot is not read again), and a resume refused
 * with the way out when the slot was dropped.
 */
class SlotIT {
  @TempDir Path dir;

  @Test
  void slotIsConfirmedWhileIdleReusedAfterAStopAndItsLossIsRefused() throws Exception {
    try (Db db = new Db()) {
      db.sql("CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t SELECT g, 'x' FROM generate_series(1, 20) g");
      CollectingSink sink = new CollectingSink();
      try (PostgresSource source = db.source()) {
        Pipeline p = SourceFixtures.pipeline("slot", source, sink, dir, 1, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING
            || p.failure().isPresent());
        db.sql("INSERT INTO t VALUES (50, 'streamed')");
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.rows(db.table("t")).containsKey(Key.of(50)));
        long now = db.lsn("SELECT pg_current_wal_lsn()::text");
        // Nothing is written to the captured table: the slot still moves past the WAL of now.
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.compareUnsigned(db.confirmedLsn(), now) >= 0);
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
      db.sql("INSERT INTO t VALUES (100, 'while down')", "UPDATE t SET v = 'changed' WHERE id = 1",
          "DELETE FROM t WHERE id = 2");
      try (PostgresSource source = db.restartedSource(Map.of())) {
        Pipeline p = SourceFixtures.pipeline("slot", source, sink, dir, 1, 10);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(SourceFixtures.differences(sink.rows(db.table("t")), SourceFixtures.contents(source, db.table("t")))).isEmpty());
        assertThat(sink.reads()).as("the snapshot is not read again").isEqualTo(20);
        assertThat(sink.rows(db.table("t")).get(Key.of(100)).get(1)).isEqualTo("while down");
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
      try (Connection c = db.endpoint.connectAsAdmin(); Statement s = c.createStatement()) {
        s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + db.name + "'");
      }
      try (PostgresSource source = db.restartedSource(Map.of())) {
        Pipeline p = SourceFixtures.pipeline("slot", source, sink, dir, 1, 10);
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).get().asString().contains("did not exist").contains("scan.startup.mode=initial");
      }
    }
  }

  @Test
  void latestOffsetStreamsOnlyWhatChangesAfterTheStart() throws Exception {
    try (Db db = new Db()) {
      db.sql("CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t SELECT g, 'x' FROM generate_series(1, 20) g");
      CollectingSink sink = new CollectingSink();
      try (PostgresSource source = db.source(Map.of("scan.startup.mode", "latest-offset"))) {
        Pipeline p = SourceFixtures.pipeline("latest", source, sink, dir, 1, 10, StartupMode.LATEST_OFFSET);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING
            || p.failure().isPresent());
        db.sql("INSERT INTO t VALUES (100, 'new')", "UPDATE t SET v = 'changed' WHERE id = 1");
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.rows(db.table("t")).size() == 2);
        assertThat(sink.reads()).isZero();
        assertThat(sink.rows(db.table("t")).keySet()).containsExactly(Key.of(1), Key.of(100));
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }
}
