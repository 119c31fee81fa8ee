package dev.sluice.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sink behind a real pipeline: cdc-core's simulated source under random inserts, updates and
 * deletes, a parallel snapshot, one crash with writes while the pipeline is down, at-least-once
 * delivery; in the end each target table equals its source row for row.
 */
class RoundTripIT {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TargetDb.Kind.class)
  void targetEqualsSourceAfterSnapshotStreamingAndACrash(TargetDb.Kind kind) throws Exception {
    long seed = Long.getLong("sluice.seed", System.nanoTime());
    System.out.println("RoundTripIT " + kind + " seed=" + seed);
    Random random = new Random(seed);
    MemoryDatabase db = new MemoryDatabase();
    Workload workload = new Workload(db, seed, 40);
    workload.addTable("dense", KeyKind.DENSE, 3000);
    workload.addTable("composite", KeyKind.COMPOSITE, 500);
    workload.addTable("uuids", KeyKind.UUID_STRING, 500);
    MemorySource source = new MemorySource(db, 100, true);
    PipelineOptions options = new PipelineOptions(new SnapshotOptions(3, 250, 2000, 64L << 20), 500,
        Duration.ofMillis(200), dev.sluice.core.runtime.Delivery.AT_LEAST_ONCE);
    FileCheckpointStore store = new FileCheckpointStore(dir, "roundtrip");
    try (TargetDb target = TargetDb.create(kind)) {
      Map<String, String> sinkOptions = Map.of("batch.size", Integer.toString(50 + random.nextInt(500)));
      JdbcSink sink = target.sink("roundtrip", sinkOptions);
      workload.start(2, 400);
      Pipeline pipeline = new Pipeline("roundtrip", source, sink, store, options, null).start();
      TimeUnit.MILLISECONDS.sleep(300 + random.nextInt(700)); // the crash point
      pipeline.kill();
      sink.close();
      TimeUnit.MILLISECONDS.sleep(random.nextInt(300)); // writes while the pipeline is down
      JdbcSink restarted = target.sink("roundtrip", sinkOptions);
      Pipeline again = new Pipeline("roundtrip", source, restarted, store, options, null).start();
      TimeUnit.MILLISECONDS.sleep(500);
      workload.stop();
      try {
        for (TableSchema t : workload.tables()) {
          await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(java.sql.SQLException.class).untilAsserted(() -> {
            assertThat(again.failure()).isEmpty();
            assertThat(restarted.isolatedTables()).isEmpty();
            Map<Key, Row> expected = db.latestRows(t.id());
            assertThat(target.rows(t.id().table(), t)).as("seed %d table %s", seed, t.id()).isEqualTo(expected);
          });
        }
      } finally {
        again.stop();
        assertThat(again.await(20, TimeUnit.SECONDS)).isTrue();
        restarted.close();
      }
      assertThat(again.failure()).isEmpty();
      assertThat(workload.writes()).isPositive();
    }
  }
}
