package dev.sluice.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.snapshot.BufferGauge;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySink;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The snapshot's memory does not grow with the table: with a table 100 times larger than the buffer
 * bound, and inserts piling onto the open-ended tail chunk while it is read, the engine's own gauge
 * never exceeds the bound.
 */
class BoundedMemoryTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(value = KeyKind.class, names = {"DENSE", "UUID_STRING"})
  void bufferedRowsAndBytesStayWithinTheBound(KeyKind kind) throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    Workload workload = new Workload(db, 42, 100);
    int chunkSize = 50;
    long maxRows = 4L * chunkSize; // two chunk slots
    long maxBytes = 64 * 1024;
    TableSchema t = workload.addTable("big", kind, (int) (100 * maxRows));
    MemorySink sink = new MemorySink(false, Workload.versionColumn(kind));
    PipelineOptions options = new PipelineOptions(new SnapshotOptions(4, chunkSize, maxRows, maxBytes), 500,
        Duration.ofMillis(50), Delivery.AT_LEAST_ONCE);
    Pipeline p = new Pipeline("bounded", new MemorySource(db, 50, true), sink,
        new FileCheckpointStore(dir, "bounded"), options, null).start();
    workload.start(2, 20); // inserts at the tail (DENSE) or anywhere (UUID) during the snapshot
    TimeUnit.MILLISECONDS.sleep(300);
    workload.stop();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(
        () -> assertThat(Scenario.diff(db.latestRows(t.id()), sink.rows(t.id()))).isEmpty());
    BufferGauge gauge = p.bufferGauge().orElseThrow();
    p.stop();
    assertThat(p.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(gauge.peakRows()).as("peak buffered rows").isPositive().isLessThanOrEqualTo(maxRows);
    long largestRow = 1024; // key + version + a ~100-char payload, generously
    assertThat(gauge.peakBytes()).as("peak buffered bytes").isLessThanOrEqualTo(gauge.byteBound(largestRow));
    assertThat(gauge.byteBound(largestRow)).isLessThan(maxBytes + 4 * largestRow);
    assertThat(gauge.rows()).as("nothing left buffered").isZero();
  }
}
