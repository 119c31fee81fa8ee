package dev.sluice.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.Checkpoint;
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
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once into Iceberg: the pipeline dies many times while the source keeps writing, either
 * killed at a random moment (its uncommitted files abandoned) or crashing right after a random
 * commit (so a checkpoint's commits reach some tables and not others); each restart loads the
 * checkpoint from the tables' snapshot summaries, rolling back a cut-short one. At the end every
 * table equals the source, holds no key twice, and no snapshot summary of a table names the same
 * checkpoint twice.
 */
class ExactlyOnceIT {
  @TempDir
  Path dir;

  @Test
  void crashesAnywhereCommitNothingTwice() throws Exception {
    long seed = Long.getLong("sluice.seed", System.nanoTime());
    System.out.println("ExactlyOnceIT seed=" + seed);
    Random random = new Random(seed);
    MemoryDatabase db = new MemoryDatabase();
    Workload workload = new Workload(db, seed, 16);
    workload.addTable("dense", KeyKind.DENSE, 2000);
    workload.addTable("sparse", KeyKind.SPARSE, 1000);
    workload.addTable("composite", KeyKind.COMPOSITE, 500);
    MemorySource source = new MemorySource(db, 50, true);
    Lake lake = new Lake(dir.resolve("wh"));
    workload.start(2, 2000);
    int crashes = 8 + random.nextInt(5);
    int restartsFromTables = 0;
    IcebergSink sink = null;
    Pipeline pipeline = null;
    for (int i = 0; i <= crashes; i++) {
      sink = lake.sink("eo", Map.of("commit.interval", (50 + random.nextInt(200)) + "ms",
          "partition.by", "testdb.dense: bucket(3, id)"))
          .maxTrackedKeys(100 + random.nextInt(2000));
      // The first run lives until a checkpoint is complete, so later restarts have one to resume from.
      boolean crashInCommit = i > 0 && i < crashes && random.nextBoolean();
      if (crashInCommit) {
        sink.crashAfterCommits(1 + random.nextInt(6));
      }
      Optional<Checkpoint> resumed = sink.atomicCheckpoints().orElseThrow().load();
      if (resumed.isPresent()) {
        restartsFromTables++;
      }
      PipelineOptions options = new PipelineOptions(new SnapshotOptions(1 + random.nextInt(3), 200, 1600, 64L << 20),
          1 + random.nextInt(300), Duration.ofSeconds(10), Delivery.EXACTLY_ONCE);
      pipeline = new Pipeline("eo", source, sink, null, options, null).start();
      if (i < crashes) {
        if (crashInCommit) {
          Pipeline p = pipeline;
          await().atMost(Duration.ofSeconds(20)).until(() -> p.failure().isPresent());
          assertThat(pipeline.failure().get()).hasMessageContaining("simulated crash");
          pipeline.kill();
        } else {
          if (i == 0) {
            IcebergSink first = sink;
            await().atMost(Duration.ofSeconds(20)).until(() -> first.catalog().tableExists(
                org.apache.iceberg.catalog.TableIdentifier.of("testdb", "dense"))
                && !Lake.checkpointIds(Lake.table(first.catalog(), "testdb", "dense")).isEmpty());
          }
          TimeUnit.MILLISECONDS.sleep(50 + random.nextInt(400));
          pipeline.kill();
          assertThat(pipeline.failure()).as("seed %d", seed).isEmpty();
        }
        sink.close();
      }
    }
    workload.stop();
    Pipeline last = pipeline;
    IcebergSink lastSink = sink;
    for (TableSchema t : workload.tables()) {
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
        assertThat(last.failure()).as("seed %d", seed).isEmpty();
        Map<dev.sluice.core.event.Key, dev.sluice.core.event.Row> actual = Lake.rowsIfAny(lastSink.catalog(), "testdb", t);
        Map<dev.sluice.core.event.Key, dev.sluice.core.event.Row> expected = db.latestRows(t.id());
        assertThat(actual).withFailMessage("seed %d table %s: %s", seed, t.id(), Lake.diff(expected, actual))
            .isEqualTo(expected);
      });
    }
    last.stop();
    assertThat(last.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(last.failure()).isEmpty();
    List<String> duplicates = new ArrayList<>();
    for (TableSchema t : workload.tables()) {
      Table table = Lake.table(lastSink.catalog(), "testdb", t.id().table());
      assertThat(Lake.rows(table, t, duplicates)).isEqualTo(db.latestRows(t.id()));
      assertThat(Lake.checkpointIds(table)).as("seed %d: checkpoint ids of %s", seed, t.id()).doesNotHaveDuplicates();
    }
    assertThat(duplicates).as("seed %d", seed).isEmpty();
    assertThat(restartsFromTables).as("restarts that found a checkpoint in the tables").isPositive();
    assertThat(lastSink.atomicCheckpoints().orElseThrow().load()).isPresent();
    lastSink.close();
  }
}
