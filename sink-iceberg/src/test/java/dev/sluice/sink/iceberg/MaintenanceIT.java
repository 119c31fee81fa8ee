package dev.sluice.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Housekeeping on: after many small commits of upserts and deletes, old snapshots are expired and
 * the small data files and their delete files are compacted away, the rows unchanged and the
 * checkpoint still found.
 */
class MaintenanceIT {
  @TempDir
  Path dir;

  @Test
  void expiresSnapshotsAndCompactsSmallFilesKeepingRowsAndCheckpoint() throws Exception {
    Lake lake = new Lake(dir.resolve("wh"));
    IcebergSink sink = lake.sink("m", Map.of("maintenance.expire-snapshots.older-than", "1ms",
        "maintenance.compact.interval", "1ms"));
    CheckpointStore store = sink.atomicCheckpoints().orElseThrow();
    Map<Key, Row> expected = new HashMap<>();
    for (int round = 0; round < 8; round++) {
      List<ChangeEvent> events = new ArrayList<>();
      for (long id = 0; id < 50; id++) {
        if ((id + round) % 7 == 0 && expected.containsKey(Key.of(id))) {
          events.add(Events.delete(CommitProtocolIT.A, expected.remove(Key.of(id)).values().toArray()));
        } else {
          Row r = Row.of(id, "v" + round);
          events.add(Events.insert(CommitProtocolIT.A, r.values().toArray()));
          expected.put(Key.of(id), r);
        }
      }
      sink.write(events);
      store.save(Events.checkpoint("m", 100 + round));
      Thread.sleep(5);
    }
    Table table = CommitProtocolIT.table(sink, CommitProtocolIT.A);
    table.refresh();
    assertThat(Lake.rows(table, CommitProtocolIT.A, null)).isEqualTo(expected);
    int dataFiles = 0;
    int deleteFiles = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask t : tasks) {
        dataFiles++;
        deleteFiles += t.deletes().size();
      }
    }
    assertThat(dataFiles).as("data files after compaction").isLessThanOrEqualTo(2);
    assertThat(deleteFiles).as("delete files after compaction").isLessThanOrEqualTo(2);
    int snapshots = 0;
    for (var s : table.snapshots()) {
      snapshots++;
    }
    assertThat(snapshots).as("snapshots after expiry").isLessThan(8);
    sink.close();
    IcebergSink again = lake.sink("m", Map.of());
    assertThat(again.atomicCheckpoints().orElseThrow().load().orElseThrow().position()).isEqualTo("107");
    again.close();
  }
}
