package dev.sluice.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.event.Row;
import dev.sluice.core.snapshot.BufferGauge;
import dev.sluice.core.snapshot.BufferGauge.Limit;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySink;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import dev.sluice.core.testing.Workload.Mix;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The snapshot's memory does not grow with the table: with a table 100 times larger than the buffer
 * bound, and inserts piling onto the open-ended tail chunk while it is read, the engine's own gauge
 * never exceeds the bound; and with wide rows the byte bound holds too, updates that enlarge rows in
 * a chunk's window included.
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
    Pipeline p = start("bounded", new MemorySource(db, 50, true), sink,
        new SnapshotOptions(4, chunkSize, maxRows, maxBytes));
    workload.start(2, 20); // inserts at the tail (DENSE) or anywhere (UUID) during the snapshot
    TimeUnit.MILLISECONDS.sleep(300);
    BufferGauge gauge = stopWritersAndCatchUp(p, workload, db, sink, t);

    assertThat(gauge.peakRows()).as("peak buffered rows").isPositive().isLessThanOrEqualTo(maxRows);
    long largestRow = 1024; // key + version + a ~100-char payload, generously
    assertThat(gauge.peakBytes()).as("peak buffered bytes").isLessThanOrEqualTo(gauge.byteBound(largestRow));
    assertThat(gauge.byteBound(largestRow)).isLessThan(maxBytes + 4 * largestRow);
    assertThat(gauge.rows()).as("nothing left buffered").isZero();
  }

  @ParameterizedTest
  @EnumSource(value = KeyKind.class, names = {"DENSE", "UUID_STRING"})
  void theByteBoundHoldsWhenUpdatesEnlargeRowsInChunkWindows(KeyKind kind) throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    int writtenPayload = 2000;
    Workload workload = new Workload(db, 7, 40).writePayload(writtenPayload);
    int chunkSize = 500;
    long maxRows = 4L * chunkSize; // two chunk slots of up to 1000 rows each
    long maxBytes = 64 * 1024; // 32 KiB a slot: about 200 rows as loaded, about 15 once updated
    TableSchema t = workload.addTable("wide", kind, 4000);
    MemorySink sink = new MemorySink(false, Workload.versionColumn(kind));
    // Slow reads keep each chunk's window open for milliseconds, while the writers update rows with
    // payloads 50 times larger than the loaded ones.
    Pipeline p = start("bounded-bytes", new MemorySource(db, 5000, true), sink,
        new SnapshotOptions(4, chunkSize, maxRows, maxBytes));
    workload.start(2, 50, new Mix(0, 9, 1));
    await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
    BufferGauge gauge = stopWritersAndCatchUp(p, workload, db, sink, t);

    // The largest row a writer can make: its payload repeats a base-36 long of up to 14 characters,
    // the sign included.
    Row largest = Row.of(db.latestRows(t.id()).keySet().iterator().next().get(0), Long.MAX_VALUE,
        "p" + Long.toString(Long.MIN_VALUE, 36).repeat(writtenPayload / 12));
    long bound = gauge.byteBound(largest.estimatedBytes());
    assertThat(gauge.peakBytes()).as("peak buffered bytes").isLessThanOrEqualTo(bound);
    assertThat(bound).isLessThanOrEqualTo(maxBytes + 2 * largest.estimatedBytes());
    assertThat(gauge.readsStopped(Limit.BYTES)).as("reads stopped at the byte bound").isPositive();
    assertThat(gauge.shrinks(Limit.BYTES)).as("chunks shrunk by updates in their window").isPositive();
    assertThat(gauge.readsStopped(Limit.ROWS) + gauge.shrinks(Limit.ROWS)).as("the row bound never reached").isZero();
    assertThat(gauge.peakRows()).as("peak buffered rows").isLessThan(maxRows / 2);
    assertThat(gauge.rows()).as("nothing left buffered").isZero();
  }

  private Pipeline start(String name, MemorySource source, MemorySink sink, SnapshotOptions snapshot) {
    PipelineOptions options = new PipelineOptions(snapshot, 500, Duration.ofMillis(50), Delivery.AT_LEAST_ONCE);
    return new Pipeline(name, source, sink, new FileCheckpointStore(dir, name), options, null).start();
  }

  /** Stops the writers, waits for the sink to equal the table, stops the pipeline; its gauge. */
  private static BufferGauge stopWritersAndCatchUp(Pipeline p, Workload workload, MemoryDatabase db, MemorySink sink,
      TableSchema t) throws InterruptedException {
    workload.stop();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(
        () -> assertThat(Scenario.diff(db.latestRows(t.id()), sink.rows(t.id()))).isEmpty());
    BufferGauge gauge = p.bufferGauge().orElseThrow();
    p.stop();
    assertThat(p.await(10, TimeUnit.SECONDS)).isTrue();
    return gauge;
  }
}
