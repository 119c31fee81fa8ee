package dev.sluice.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
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

/** Lag as the status reports it: per table once it has changes, and 0 on an idle, caught-up pipeline. */
class LagTest {
  @TempDir Path dir;

  @Test
  void anIdleCaughtUpPipelineReportsNoLagAndTablesWithChangesHaveTheirOwn() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    Workload w = new Workload(db, 1, 0);
    TableSchema a = w.addTable("a", KeyKind.DENSE, 50);
    TableSchema b = w.addTable("b", KeyKind.DENSE, 50);
    MemorySink sink = new MemorySink(false, 1);
    Pipeline p = new Pipeline("lag", new MemorySource(db, 0, true), sink, new FileCheckpointStore(dir, "lag"),
        PipelineOptions.DEFAULTS.withCheckpointInterval(Duration.ofMillis(100)), null).start();
    await().atMost(Duration.ofSeconds(20)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
    assertThat(p.status().lagMillis()).as("no change read from the log yet").isEqualTo(-1);
    db.write(a.id(), Key.of(1000L), (before, seq) -> Row.of(1000L, seq, "new"));
    db.publish();
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.rows(a.id()).containsKey(Key.of(1000L)));
    // Idle afterwards: the lag stays 0 however long ago the last change was made.
    Thread.sleep(300);
    PipelineStatus s = p.status();
    assertThat(s.lagMillis()).isZero();
    assertThat(s.tableLagMillis()).containsOnlyKeys(a.id()).containsEntry(a.id(), 0L);
    assertThat(s.tableLagMillis()).doesNotContainKey(b.id());
    p.stop();
    assertThat(p.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
