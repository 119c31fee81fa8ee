package dev.sluice.source.postgres;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-over under load: writers change rows everywhere during the parallel snapshot, while the
 * pipeline is down after a crash mid-snapshot, and after; once caught up, the sink equals every
 * table row for row.
 */
class ConcurrentWritesIT {
  @TempDir Path dir;

  @Test
  void nothingIsLostUnderConcurrentWritesAndACrashMidSnapshot() throws Exception {
    long seed = ThreadLocalRandom.current().nextLong();
    try (Db db = new Db(); Workload w = new Workload(db, seed)) {
      w.create(3000);
      CollectingSink sink = new CollectingSink();
      w.start(2);
      try (PostgresSource source = db.source(Map.of())) {
        Pipeline p = SourceFixtures.pipeline("cw", source, sink, dir, 4, 100);
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.reads() > 1500 || p.failure().isPresent());
        assertThat(p.failure()).isEmpty();
        assertThat(p.status().state()).as("the crash lands mid-snapshot").isNotEqualTo(PipelineStatus.State.STREAMING);
        p.kill();
      }
      long down = w.writes.get() + 200;
      await().atMost(Duration.ofSeconds(30)).until(() -> w.writes.get() > down);
      try (PostgresSource source = db.restartedSource(Map.of())) {
        Pipeline p = SourceFixtures.pipeline("cw", source, sink, dir, 4, 100);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING
            || p.failure().isPresent());
        assertThat(p.failure()).isEmpty();
        long more = w.writes.get() + 300;
        await().atMost(Duration.ofSeconds(30)).until(() -> w.writes.get() > more);
        w.stop();
        for (String table : Workload.TABLES) {
          TableId t = db.table(table);
          await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
              assertThat(SourceFixtures.differences(sink.rows(t), SourceFixtures.contents(source, t))).as(table + " seed " + seed).isEmpty());
        }
        assertThat(sink.changes()).isPositive();
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }
}
