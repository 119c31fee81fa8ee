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

class StartupModeTest {
  @TempDir Path dir;

  private Pipeline start(MemoryDatabase db, MemorySink sink, StartupMode mode) {
    return new Pipeline("m", new MemorySource(db, 0, true), sink, new FileCheckpointStore(dir, "m"),
        PipelineOptions.DEFAULTS.withStartup(mode), null).start();
  }

  @Test
  void snapshotOnlyCopiesTheTableAndStopsCleanly() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    TableSchema t = new Workload(db, 1, 0).addTable("t", KeyKind.SPARSE, 3000);
    MemorySink sink = new MemorySink(false, 1);
    Pipeline p = start(db, sink, StartupMode.SNAPSHOT_ONLY);
    assertThat(p.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.failure()).isEmpty();
    assertThat(sink.rows(t.id())).isEqualTo(db.latestRows(t.id()));
    assertThat(new FileCheckpointStore(dir, "m").load().orElseThrow().progress(t.id()).phase())
        .isEqualTo(dev.sluice.core.checkpoint.TableProgress.Phase.STREAMING);
  }

  @Test
  void latestOffsetSkipsTheSnapshotAndFollowsNewChanges() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    TableSchema t = new Workload(db, 1, 0).addTable("t", KeyKind.DENSE, 100);
    MemorySink sink = new MemorySink(false, 1);
    Pipeline p = start(db, sink, StartupMode.LATEST_OFFSET);
    await().until(() -> p.status().state() == PipelineStatus.State.STREAMING);
    db.write(t.id(), Key.of(5000L), (before, seq) -> Row.of(5000L, seq, "new"));
    db.publish();
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.rows(t.id()).size() == 1);
    assertThat(sink.rows(t.id())).containsOnlyKeys(Key.of(5000L));
    p.stop();
    assertThat(p.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
