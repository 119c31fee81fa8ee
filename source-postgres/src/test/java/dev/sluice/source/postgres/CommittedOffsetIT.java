package dev.sluice.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException.ConfigurationException;
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
 * {@code scan.startup.mode committed-offset}: a pipeline without a checkpoint starts from what the
 * replication slot has confirmed, with no snapshot; a missing slot is refused by name, not created.
 */
class CommittedOffsetIT {
  @TempDir Path first;
  @TempDir Path second;

  @Test
  void startsFromTheSlotsConfirmedPositionWithoutASnapshot() throws Exception {
    try (Db db = new Db()) {
      db.sql("CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t SELECT g, 'x' FROM generate_series(1, 20) g");
      CollectingSink earlier = new CollectingSink();
      try (PostgresSource source = db.source(Map.of("scan.startup.mode", "latest-offset"))) {
        Pipeline p = SourceFixtures.pipeline("earlier", source, earlier, first, 1, 10, StartupMode.LATEST_OFFSET);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING
            || p.failure().isPresent());
        db.sql("INSERT INTO t VALUES (100, 'seen by the earlier reader')");
        await().atMost(Duration.ofSeconds(30)).until(() -> earlier.rows(db.table("t")).containsKey(Key.of(100)));
        long now = db.lsn("SELECT pg_current_wal_lsn()::text");
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.compareUnsigned(db.confirmedLsn(), now) >= 0);
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
      db.sql("INSERT INTO t VALUES (101, 'after the slot''s position')", "UPDATE t SET v = 'changed' WHERE id = 1");

      // A new pipeline (no checkpoint) on the same slot.
      CollectingSink sink = new CollectingSink();
      try (PostgresSource source = db.restartedSource(Map.of("scan.startup.mode", "committed-offset"))) {
        Pipeline p = SourceFixtures.pipeline("resumed", source, sink, second, 1, 10, StartupMode.SOURCE_OFFSET);
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.rows(db.table("t")).size() == 2 || p.failure().isPresent());
        assertThat(p.failure()).isEmpty();
        db.sql("INSERT INTO t VALUES (102, 'live')");
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.rows(db.table("t")).containsKey(Key.of(102)));
        assertThat(sink.rows(db.table("t")).keySet()).containsExactly(Key.of(1), Key.of(101), Key.of(102));
        assertThat(sink.rows(db.table("t")).get(Key.of(1)).get(1)).isEqualTo("changed");
        assertThat(sink.reads()).as("no snapshot").isZero();
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }

  @Test
  void aMissingSlotIsRefusedNamingTheOptionAndNotCreated() throws Exception {
    try (Db db = new Db()) {
      db.sql("CREATE TABLE t (id int PRIMARY KEY, v text)");
      assertThatThrownBy(() -> db.source(Map.of("scan.startup.mode", "committed-offset")).close())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("committed-offset").hasMessageContaining("no such slot").hasMessageContaining("slot.name");
      try (Connection c = db.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE database = current_database()")) {
        rs.next();
        assertThat(rs.getInt(1)).as("slots of the database").isZero();
      }
    }
  }
}
