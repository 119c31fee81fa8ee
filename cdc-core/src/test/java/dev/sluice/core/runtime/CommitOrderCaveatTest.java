package dev.sluice.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySink;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change that is in the log but not yet visible to a new read when the snapshot starts. A low
 * watermark taken from the log's end (a status query) is past it: the SELECT misses the change and
 * the log reader skips it, so it is lost. The visible horizon keeps it.
 */
class CommitOrderCaveatTest {
  @TempDir Path dir;

  private Row runWithAChangeLoggedButNotVisible(boolean honestLowWatermark) throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    TableSchema t = new Workload(db, 7, 0).addTable("t", KeyKind.DENSE, 100);
    Key key = Key.of(50L);
    // Logged, not yet published: a transaction between its log write and its commit.
    db.write(t.id(), key, (before, seq) -> Row.of(50L, seq, "changed"));
    MemorySink sink = new MemorySink(false, 1);
    Pipeline p = new Pipeline("caveat", new MemorySource(db, 0, honestLowWatermark), sink,
        new FileCheckpointStore(dir.resolve("honest-" + honestLowWatermark), "caveat"),
        PipelineOptions.DEFAULTS.withSnapshot(SnapshotOptions.of(2, 10)).withCheckpointInterval(Duration.ofMillis(10)),
        null).start();
    // The commit completes a moment later.
    TimeUnit.MILLISECONDS.sleep(200);
    db.publish();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(sink.rows(t.id())).as("%s", p).hasSize(100);
      assertThat(p.status().state()).as("%s", p).isEqualTo(PipelineStatus.State.STREAMING);
    });
    p.stop();
    assertThat(p.await(10, TimeUnit.SECONDS)).isTrue();
    return sink.rows(t.id()).get(key);
  }

  @Test
  void theVisibleHorizonKeepsAChangeThatIsLoggedBeforeItIsVisible() throws Exception {
    assertThat(runWithAChangeLoggedButNotVisible(true).get(2)).isEqualTo("changed");
  }

  @Test
  void aStatusQueryWatermarkLosesIt() throws Exception {
    // Documents why Source.lowWatermark must be the visible horizon, not the log's end.
    assertThat(runWithAChangeLoggedButNotVisible(false).get(2)).isNotEqualTo("changed");
  }
}
