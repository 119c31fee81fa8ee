package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-over under load: writers change rows everywhere (tail inserts, deletes in chunks being
 * read) during the parallel snapshot, while the pipeline is down between a crash and its restart,
 * and after; once caught up, the sink equals every table row for row.
 */
class ConcurrentWritesIT {
  @TempDir Path dir;

  private static final Map<String, String> OPTIONS = Map.of("scan.incremental.snapshot.chunk.key-column", "id");

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void sinkEqualsSourceAfterConcurrentWrites(String server) throws Exception {
    long seed = ThreadLocalRandom.current().nextLong();
    try (Db db = Db.on(server); Workload w = new Workload(db, seed)) {
      w.create(2500);
      try (MySqlSource source = db.source(OPTIONS)) {
        CollectingSink sink = new CollectingSink();
        w.start(2);
        Pipeline p = SourceFixtures.pipeline("cw", source, sink, dir, 4, 150);
        await().atMost(Duration.ofSeconds(90)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        long after = w.writes.get() + 300;
        await().atMost(Duration.ofSeconds(30)).until(() -> w.writes.get() > after);
        w.stop();
        assertCaughtUp(db, source, sink);
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void nothingIsLostAcrossACrashAndACleanStop(String server) throws Exception {
    long seed = ThreadLocalRandom.current().nextLong();
    try (Db db = Db.on(server); Workload w = new Workload(db, seed)) {
      w.create(2500);
      CollectingSink sink = new CollectingSink();
      w.start(2);
      // Crash mid-snapshot, keep writing while down, restart.
      try (MySqlSource source = db.source(OPTIONS)) {
        Pipeline p = SourceFixtures.pipeline("rs", source, sink, dir, 4, 100);
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.reads() > 1500);
        p.kill();
      }
      long down = w.writes.get() + 100;
      await().atMost(Duration.ofSeconds(30)).until(() -> w.writes.get() > down);
      try (MySqlSource source = db.source(OPTIONS)) {
        Pipeline p = SourceFixtures.pipeline("rs", source, sink, dir, 4, 100);
        await().atMost(Duration.ofSeconds(90)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
      long stopped = w.writes.get() + 100;
      await().atMost(Duration.ofSeconds(30)).until(() -> w.writes.get() > stopped);
      try (MySqlSource source = db.source(OPTIONS)) {
        long readsBefore = sink.reads();
        Pipeline p = SourceFixtures.pipeline("rs", source, sink, dir, 4, 100);
        long more = w.writes.get() + 200;
        await().atMost(Duration.ofSeconds(30)).until(() -> w.writes.get() > more);
        w.stop();
        assertCaughtUp(db, source, sink);
        assertThat(sink.reads()).as("a finished snapshot is not read again").isEqualTo(readsBefore);
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }

  static void assertCaughtUp(Db db, MySqlSource source, CollectingSink sink) {
    for (String table : Workload.TABLES) {
      TableId t = db.table(table);
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(SourceFixtures.differences(sink.rows(t), SourceFixtures.contents(source, t))).as(table).isEmpty());
    }
  }
}
