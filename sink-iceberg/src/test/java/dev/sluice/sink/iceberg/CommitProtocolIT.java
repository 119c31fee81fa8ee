package dev.sluice.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit protocol step by step, driven by hand: what a save commits, and what a cut-short save leaves. */
class CommitProtocolIT {
  static final TableSchema A = TableSchema.withPrimaryKey(TableId.of("shop", "a"),
      List.of(Column.of("id", LogicalType.INT64, false), Column.of("v", LogicalType.STRING, true)), List.of("id"));
  static final TableSchema B = TableSchema.withPrimaryKey(TableId.of("shop", "b"),
      List.of(Column.of("id", LogicalType.INT64, false), Column.of("v", LogicalType.STRING, true)), List.of("id"));

  @TempDir
  Path dir;

  @Test
  void aSaveCutShortIsRolledBackInEveryTable() {
    Lake lake = new Lake(dir.resolve("wh"));
    IcebergSink sink = lake.sink("p", Map.of());
    CheckpointStore store = sink.atomicCheckpoints().orElseThrow();
    assertThat(store.load()).isEmpty();
    sink.write(List.of(Events.read(A, 1L, "a1"), Events.read(A, 2L, "a2"), Events.read(B, 1L, "b1")));
    store.save(Events.checkpoint("p", 10));
    // Changes within one checkpoint: an update of a row the same checkpoint inserted, a delete of a read row.
    sink.write(List.of(Events.insert(A, 3L, "a3"), Events.delete(B, 1L, "b1")));
    sink.write(List.of(Events.update(A, Row.of(3L, "a3"), 3L, "a3'"), Events.update(A, Row.of(1L, "a1"), 1L, "a1'")));
    store.save(Events.checkpoint("p", 20));
    assertThat(rows(sink, A)).containsOnly(Map.entry(Key.of(1L), Row.of(1L, "a1'")), Map.entry(Key.of(2L), Row.of(2L, "a2")),
        Map.entry(Key.of(3L), Row.of(3L, "a3'")));
    assertThat(rows(sink, B)).isEmpty();

    sink.write(List.of(Events.insert(A, 4L, "a4"), Events.insert(B, 5L, "b5")));
    sink.crashAfterCommits(1);
    assertThatThrownBy(() -> store.save(Events.checkpoint("p", 30))).hasMessageContaining("simulated crash");
    sink.close();

    IcebergSink again = lake.sink("p", Map.of());
    Checkpoint cp = again.atomicCheckpoints().orElseThrow().load().orElseThrow();
    assertThat(cp.position()).isEqualTo("20");
    assertThat(rows(again, A)).doesNotContainKey(Key.of(4L)).hasSize(3);
    assertThat(rows(again, B)).isEmpty();
    // Loading again finds the same checkpoint and rolls back nothing more.
    long snapshotA = table(again, A).currentSnapshot().snapshotId();
    assertThat(again.atomicCheckpoints().orElseThrow().load().orElseThrow().position()).isEqualTo("20");
    assertThat(table(again, A).currentSnapshot().snapshotId()).isEqualTo(snapshotA);

    again.write(List.of(Events.insert(A, 4L, "a4"), Events.insert(B, 5L, "b5")));
    again.atomicCheckpoints().orElseThrow().save(Events.checkpoint("p", 30));
    assertThat(rows(again, A)).hasSize(4).containsEntry(Key.of(4L), Row.of(4L, "a4"));
    assertThat(rows(again, B)).containsOnly(Map.entry(Key.of(5L), Row.of(5L, "b5")));
    for (TableSchema t : List.of(A, B)) {
      assertThat(Lake.checkpointIds(table(again, t))).doesNotHaveDuplicates();
    }
    // A save without data still moves the checkpoint, on one table.
    again.atomicCheckpoints().orElseThrow().save(Events.checkpoint("p", 40));
    again.close();
    IcebergSink third = lake.sink("p", Map.of());
    assertThat(third.atomicCheckpoints().orElseThrow().load().orElseThrow().position()).isEqualTo("40");
    Snapshot current = table(third, A).currentSnapshot();
    assertThat(current.summary()).containsEntry("sluice.pipeline", "p").containsKey("sluice.checkpoint");
    third.close();
  }

  @Test
  void aKeyChangedInManyBatchesIsCommittedEarlyWithinItsBoundAndStaysOneRow() {
    Lake lake = new Lake(dir.resolve("hot"));
    IcebergSink sink = lake.sink("hot", Map.of()).maxTrackedKeys(10);
    CheckpointStore store = sink.atomicCheckpoints().orElseThrow();
    store.load();
    sink.write(List.of(Events.insert(A, 1L, "v0")));
    for (int i = 1; i <= 50; i++) {
      sink.write(List.of(Events.update(A, Row.of(1L, "v" + (i - 1)), 1L, "v" + i)));
    }
    store.save(Events.checkpoint("hot", 1));
    List<String> duplicates = new java.util.ArrayList<>();
    assertThat(Lake.rows(table(sink, A), A, duplicates)).containsOnly(Map.entry(Key.of(1L), Row.of(1L, "v50")));
    assertThat(duplicates).isEmpty();
    long pending = 0;
    for (Snapshot s : table(sink, A).snapshots()) {
      if (s.summary().containsKey("sluice.checkpoint.pending")) {
        pending++;
      }
    }
    assertThat(pending).as("early commits of the checkpoint").isGreaterThanOrEqualTo(4);
    assertThat(Lake.checkpointIds(table(sink, A))).containsExactly("1");
    sink.close();
  }

  @Test
  void theHadoopCatalogKeepsRowsAndCheckpointToo() {
    Lake lake = new Lake(dir.resolve("hadoop"));
    IcebergSink sink = lake.sink("h", Map.of("catalog.type", "hadoop"));
    CheckpointStore store = sink.atomicCheckpoints().orElseThrow();
    assertThat(store.load()).isEmpty();
    sink.write(List.of(Events.read(A, 1L, "a1"), Events.insert(A, 2L, "a2")));
    store.save(Events.checkpoint("h", 5));
    sink.write(List.of(Events.update(A, Row.of(2L, "a2"), 2L, "a2'"), Events.delete(A, 1L, "a1")));
    store.save(Events.checkpoint("h", 6));
    sink.close();
    IcebergSink again = lake.sink("h", Map.of("catalog.type", "hadoop"));
    assertThat(again.atomicCheckpoints().orElseThrow().load().orElseThrow().position()).isEqualTo("6");
    assertThat(rows(again, A)).containsOnly(Map.entry(Key.of(2L), Row.of(2L, "a2'")));
    again.close();
  }

  @Test
  void atLeastOnceFlushCommitsAndAReplayLeavesOneRowPerKey() {
    Lake lake = new Lake(dir.resolve("alo"));
    IcebergSink sink = lake.sink("alo", Map.of("sink.delivery-guarantee", "at-least-once"));
    List<dev.sluice.core.event.ChangeEvent> batch = List.of(Events.read(A, 1L, "a1"), Events.read(A, 2L, "a2"),
        Events.update(A, Row.of(1L, "a1"), 1L, "a1'"));
    sink.write(batch);
    sink.flush();
    assertThat(rows(sink, A)).hasSize(2).containsEntry(Key.of(1L), Row.of(1L, "a1'"));
    // The pipeline replays what followed its last checkpoint after a crash: the same rows again.
    sink.write(batch);
    sink.write(List.of(Events.delete(A, 2L, "a2")));
    sink.flush();
    assertThat(rows(sink, A)).containsOnly(Map.entry(Key.of(1L), Row.of(1L, "a1'")));
    assertThat(table(sink, A).currentSnapshot().summary()).containsEntry("sluice.pipeline", "alo")
        .doesNotContainKey("sluice.checkpoint");
    sink.close();
  }

  @Test
  void aSnapshotStartingOverOnATableWithRowsWritesUpsertsNotDuplicates() {
    Lake lake = new Lake(dir.resolve("resnap"));
    IcebergSink sink = lake.sink("r", Map.of());
    CheckpointStore store = sink.atomicCheckpoints().orElseThrow();
    store.load();
    sink.write(List.of(Events.read(A, 1L, "a1"), Events.read(A, 2L, "a2")));
    store.save(new Checkpoint("r", "10", Map.of(A.id(), dev.sluice.core.checkpoint.TableProgress.STREAMING), Map.of(),
        java.time.Instant.now()));
    // A re-snapshot: the checkpoint says the table starts over, and the table holds its rows.
    store.save(new Checkpoint("r", "11", Map.of(A.id(), dev.sluice.core.checkpoint.TableProgress.NOT_STARTED), Map.of(),
        java.time.Instant.now()));
    sink.close();
    IcebergSink again = lake.sink("r", Map.of());
    CheckpointStore store2 = again.atomicCheckpoints().orElseThrow();
    assertThat(store2.load().orElseThrow().position()).isEqualTo("11");
    again.write(List.of(Events.read(A, 1L, "a1 again"), Events.read(A, 2L, "a2 again")));
    store2.save(Events.checkpoint("r", 12));
    List<String> duplicates = new java.util.ArrayList<>();
    assertThat(Lake.rows(table(again, A), A, duplicates)).containsOnly(Map.entry(Key.of(1L), Row.of(1L, "a1 again")),
        Map.entry(Key.of(2L), Row.of(2L, "a2 again")));
    assertThat(duplicates).isEmpty();
    again.close();
  }

  static Table table(IcebergSink sink, TableSchema s) {
    return Lake.table(sink.catalog(), s.id().catalog(), s.id().table());
  }

  static Map<Key, Row> rows(IcebergSink sink, TableSchema s) {
    return Lake.rows(table(sink, s), s, null);
  }
}
