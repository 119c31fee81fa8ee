package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.checkpoint.TableProgress;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.core.source.KeyRange;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Restarts in the middle of a snapshot, after a crash and after a clean stop: the chunks the
 * checkpoint records as finished are never read again (every chunk range read after the restart is
 * recorded and compared with the checkpoint loaded before it, in the table's key order: integer,
 * binary string, and a string in the server's default collation), and nothing is lost.
 */
class SnapshotRestartIT {
  private static final String ID = "snaprestart";
  private static final int ROWS = 2000;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void finishedChunksAreNotReadAgain(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.num (id INT PRIMARY KEY, v VARCHAR(20))",
          "CREATE TABLE $db.str (k VARCHAR(20) COLLATE utf8mb4_bin PRIMARY KEY, v VARCHAR(20))",
          // The server's default collation: case- and accent-insensitive.
          "CREATE TABLE $db.ci (k VARCHAR(20) PRIMARY KEY, v VARCHAR(20)) CHARACTER SET utf8mb4");
      db.fill("num", ROWS, Integer::toString);
      db.fill("str", ROWS, i -> "'k" + i + "'");
      db.fill("ci", ROWS, i -> "'" + (i % 3 == 0 ? "Ké" : i % 3 == 1 ? "kE" : "ke") + i + "'");
      FileCheckpointStore store = new FileCheckpointStore(dir, ID);
      CollectingSink sink = new CollectingSink();

      // 1. A crash after a few chunks have finished.
      Checkpoint first;
      try (MySqlSource mysql = db.source()) {
        RecordingSource source = new RecordingSource(mysql, 8);
        Pipeline p = SourceFixtures.pipeline(ID, source, sink, dir, 2, 50);
        await().atMost(Duration.ofSeconds(60)).until(() -> store.load().map(c -> !finishedRanges(c).isEmpty()).orElse(false));
        p.kill();
        first = store.load().orElseThrow();
        assertThat(finishedRanges(first)).as("ranges finished before the crash").isNotEmpty();
        assertThat(first.tables().values()).as("the snapshot was unfinished at the crash")
            .anyMatch(t -> t.phase() == TableProgress.Phase.SNAPSHOT);
      }
      db.sql("UPDATE $db.num SET v = 'down' WHERE id IN (1, 2, 1500)", "DELETE FROM $db.num WHERE id = 3",
          "UPDATE $db.str SET v = 'down' WHERE k = 'k1'", "INSERT INTO $db.num VALUES (5000, 'tail')",
          "UPDATE $db.ci SET v = 'down' WHERE k = 'KE1'", "UPDATE $db.ci SET k = 'KÉ1999' WHERE k = 'ke1999'");

      // 2. A clean stop, again with the snapshot unfinished.
      Checkpoint second;
      try (MySqlSource mysql = db.source()) {
        RecordingSource source = new RecordingSource(mysql, 6);
        Pipeline p = SourceFixtures.pipeline(ID, source, sink, dir, 2, 50);
        List<KeyRange> before = finishedRanges(first);
        await().atMost(Duration.ofSeconds(60)).until(() -> source.reads().size() >= 6
            && !finishedRanges(store.load().orElseThrow()).equals(before));
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
        assertNoneReadAgain(source, first);
        second = store.load().orElseThrow();
        assertThat(second.tables().values()).as("the snapshot was unfinished at the stop")
            .anyMatch(t -> t.phase() == TableProgress.Phase.SNAPSHOT);
      }
      db.sql("UPDATE $db.num SET v = 'down2' WHERE id IN (1, 4)", "DELETE FROM $db.str WHERE k = 'k2'",
          "DELETE FROM $db.ci WHERE k = 'KÉ3'", "UPDATE $db.ci SET k = 'ké1998' WHERE k = 'KE1998'");

      // 3. The rest of the snapshot, then the log.
      try (MySqlSource mysql = db.source()) {
        RecordingSource source = new RecordingSource(mysql, Integer.MAX_VALUE);
        Pipeline p = SourceFixtures.pipeline(ID, source, sink, dir, 2, 50);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        for (String table : List.of("num", "str", "ci")) {
          TableId t = db.table(table);
          await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
              assertThat(SourceFixtures.differences(sink.rows(t), SourceFixtures.contents(mysql, t))).as(table).isEmpty());
        }
        assertNoneReadAgain(source, second);
        assertThat(source.reads()).as("the last run reads the unfinished part").isNotEmpty();
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }

  private static List<KeyRange> finishedRanges(Checkpoint c) {
    List<KeyRange> out = new ArrayList<>();
    c.tables().values().forEach(t -> out.addAll(t.finished()));
    return out;
  }

  private static void assertNoneReadAgain(RecordingSource source, Checkpoint before) {
    for (RecordingSource.Read read : source.reads()) {
      TableSchema schema = source.tables().stream().filter(t -> t.id().equals(read.table())).findFirst().orElseThrow();
      TableProgress progress = before.progress(read.table());
      assertThat(progress.phase()).as("%s read again after its snapshot finished", read.table())
          .isEqualTo(TableProgress.Phase.SNAPSHOT);
      for (KeyRange done : progress.finished()) {
        assertThat(read.range().overlaps(done, source.keyOrder(schema)))
            .as("%s chunk %s read again, though %s was finished", read.table(), read.range(), done).isFalse();
      }
    }
  }
}
