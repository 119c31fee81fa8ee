package dev.sluice.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.TableSchema;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A snapshot with concurrent inserts, updates and deletes, then streaming, through a real pipeline
 * into Iceberg tables on the local disk: read back through Iceberg's generic reader, each table
 * equals the source, with no key twice, partitioned or not.
 */
class RoundTripIT {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "partitioned={0}")
  @ValueSource(booleans = {false, true})
  void tablesEqualTheSourceAfterSnapshotAndChanges(boolean partitioned) throws Exception {
    long seed = System.nanoTime();
    System.out.println("RoundTripIT seed=" + seed);
    MemoryDatabase db = new MemoryDatabase();
    Workload workload = new Workload(db, seed, 24);
    workload.addTable("dense", KeyKind.DENSE, 3000);
    workload.addTable("sparse", KeyKind.SPARSE, 1500);
    workload.addTable("composite", KeyKind.COMPOSITE, 800);
    MemorySource source = new MemorySource(db, 50, true);
    Lake lake = new Lake(dir.resolve("wh"));
    Map<String, String> options = partitioned
        ? Map.of("commit.interval", "150ms", "partition.by",
            "testdb.dense: bucket(4, id); testdb.sparse: bucket(3, id); testdb.composite: region")
        : Map.of("commit.interval", "150ms");
    IcebergSink sink = lake.sink("roundtrip", options).maxTrackedKeys(300);
    workload.start(2, 1000);
    Pipeline p = new Pipeline("roundtrip", source, sink, null,
        new PipelineOptions(new SnapshotOptions(3, 400, 3200, 64L << 20), 256, Duration.ofSeconds(10),
            Delivery.EXACTLY_ONCE), null).start();
    TimeUnit.MILLISECONDS.sleep(1500);
    workload.stop();
    List<String> duplicates = new ArrayList<>();
    for (TableSchema t : workload.tables()) {
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        assertThat(p.failure()).as("seed %d", seed).isEmpty();
        Map<dev.sluice.core.event.Key, dev.sluice.core.event.Row> actual = Lake.rowsIfAny(sink.catalog(), "testdb", t);
        Map<dev.sluice.core.event.Key, dev.sluice.core.event.Row> expected = db.latestRows(t.id());
        assertThat(actual).withFailMessage("seed %d table %s: %s", seed, t.id(), Lake.diff(expected, actual))
            .isEqualTo(expected);
      });
      Lake.rows(Lake.table(sink.catalog(), "testdb", t.id().table()), t, duplicates);
    }
    p.stop();
    assertThat(p.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.failure()).isEmpty();
    assertThat(duplicates).as("seed %d", seed).isEmpty();
    for (TableSchema t : workload.tables()) {
      Table table = Lake.table(sink.catalog(), "testdb", t.id().table());
      assertThat(table.spec().isUnpartitioned()).isEqualTo(!partitioned);
      assertThat(table.schema().identifierFieldNames()).containsExactlyInAnyOrderElementsOf(t.keyColumns());
      List<String> ids = Lake.checkpointIds(table);
      assertThat(ids).as("checkpoint ids of %s", t.id()).doesNotHaveDuplicates().isNotEmpty();
    }
    sink.close();
  }
}
