package dev.sluice.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupModeTest {
  @TempDir Path dir;

  private Pipeline start(MemoryDatabase db, MemorySink sink, StartupMode mode) {
    return start(new MemorySource(db, 0, true), sink, new FileCheckpointStore(dir, "m"), mode);
  }

  private Pipeline start(MemorySource source, MemorySink sink, CheckpointStore store, StartupMode mode) {
    // A short checkpoint interval: the tests that wait for a checkpoint do not wait long.
    return new Pipeline("m", source, sink, store,
        PipelineOptions.DEFAULTS.withStartup(mode).withCheckpointInterval(Duration.ofMillis(200)), null).start();
  }

  private static void insert(MemoryDatabase db, TableSchema t, long key) {
    db.write(t.id(), Key.of(key), (before, seq) -> Row.of(key, seq, "new"));
    db.publish();
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

  @Test
  void sourceOffsetStreamsWhatFollowsTheSourcesOffsetAndARestartResumesFromTheCheckpoint() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    TableSchema t = new Workload(db, 1, 0).addTable("t", KeyKind.DENSE, 100);
    insert(db, t, 5000);
    long offset = db.logEnd();
    insert(db, t, 5001);
    insert(db, t, 5002);
    List<String> saved = new CopyOnWriteArrayList<>();
    FileCheckpointStore files = new FileCheckpointStore(dir, "m");
    CheckpointStore recording = new CheckpointStore() {
      @Override
      public Optional<Checkpoint> load() {
        return files.load();
      }

      @Override
      public void save(Checkpoint cp) {
        saved.add(cp.position());
        files.save(cp);
      }
    };
    MemorySink sink = new MemorySink(false, 1);
    Pipeline p = start(new MemorySource(db, 0, true).startingAfter(offset), sink, recording, StartupMode.SOURCE_OFFSET);
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.rows(t.id()).size() == 2);
    assertThat(saved.get(0)).isEqualTo(Long.toString(offset));
    insert(db, t, 5003);
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.rows(t.id()).size() == 3);
    assertThat(sink.rows(t.id())).containsOnlyKeys(Key.of(5001L), Key.of(5002L), Key.of(5003L));
    p.stop();
    assertThat(p.await(10, TimeUnit.SECONDS)).isTrue();

    insert(db, t, 5004);
    MemorySink second = new MemorySink(false, 1);
    // Configured to start at the very beginning now: the checkpoint wins.
    Pipeline again = start(new MemorySource(db, 0, true).startingAfter(0), second, recording, StartupMode.SOURCE_OFFSET);
    await().atMost(Duration.ofSeconds(10)).until(() -> second.rows(t.id()).size() == 1);
    insert(db, t, 5005);
    await().atMost(Duration.ofSeconds(10)).until(() -> second.rows(t.id()).size() == 2);
    assertThat(second.rows(t.id())).containsOnlyKeys(Key.of(5004L), Key.of(5005L));
    again.stop();
    assertThat(again.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(again.failure()).isEmpty();
  }

  @Test
  void sourceOffsetFailsClearlyWhenTheSourceNamesNoOffset() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    new Workload(db, 1, 0).addTable("t", KeyKind.DENSE, 10);
    Pipeline p = start(db, new MemorySink(false, 1), StartupMode.SOURCE_OFFSET);
    assertThat(p.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.failure()).get().asInstanceOf(InstanceOfAssertFactories.THROWABLE)
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("has no option naming a start offset");
  }
}
