package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An ADD COLUMN on a captured table while its chunks are being read stops the pipeline with an
 * error naming the table and the way out, rather than delivering rows in the old shape after the
 * schema change; the way out (a fresh snapshot) then yields the table as it is.
 */
class SnapshotDdlIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void addColumnDuringTheSnapshotStopsWithAClearError(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t (id INT PRIMARY KEY, v VARCHAR(20))");
      db.fill("t", 2000, Integer::toString);
      TableId t = db.table("t");
      FileCheckpointStore store = new FileCheckpointStore(dir, "ddl");
      try (MySqlSource mysql = db.source()) {
        RecordingSource source = new RecordingSource(mysql, 4);
        Pipeline p = SourceFixtures.pipeline("ddl", source, new CollectingSink(), dir, 2, 50);
        await().atMost(Duration.ofSeconds(60)).until(() ->
            store.load().map(c -> !c.progress(t).finished().isEmpty()).orElse(false));
        db.sql("ALTER TABLE $db.t ADD COLUMN c INT NOT NULL DEFAULT 7", "UPDATE $db.t SET c = 8 WHERE id = 1999");
        source.open(1000);
        assertThat(p.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).get().isInstanceOf(DataException.class)
            .extracting(Throwable::getMessage).asString()
            .contains("table " + t + " changed (DDL) while its snapshot was being read",
                "Delete the pipeline's checkpoint", "scan.startup.mode=initial");
      }
      // The way out: a fresh snapshot of the new definition.
      Files.delete(store.file());
      CollectingSink sink = new CollectingSink();
      try (MySqlSource mysql = db.source()) {
        assertThat(mysql.tables().get(0).columns()).hasSize(3);
        Pipeline p = SourceFixtures.pipeline("ddl", mysql, sink, dir, 2, 50);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(SourceFixtures.differences(sink.rows(t), SourceFixtures.contents(mysql, t))).isEmpty());
        assertThat(sink.rows(t)).hasSize(2000);
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }
}
