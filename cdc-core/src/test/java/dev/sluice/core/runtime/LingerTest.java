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

/**
 * A change reaches the sink without waiting for a full batch or a checkpoint: with a batch of
 * 100 000 events and an hour between checkpoints, a lone change still arrives.
 */
class LingerTest {
  @TempDir Path dir;

  @Test
  void aLoneChangeIsWrittenWithoutAFullBatchOrACheckpoint() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    TableSchema t = new Workload(db, 1, 0).addTable("t", KeyKind.DENSE, 10);
    MemorySink sink = new MemorySink(false, 1);
    PipelineOptions options = new PipelineOptions(PipelineOptions.DEFAULTS.snapshot(), 100_000, Duration.ofHours(1),
        Delivery.AT_LEAST_ONCE, StartupMode.LATEST_OFFSET);
    Pipeline p = new Pipeline("linger", new MemorySource(db, 0, true), sink, new FileCheckpointStore(dir, "linger"),
        options, null).start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
      for (long k = 1000; k < 1003; k++) {
        long key = k;
        db.write(t.id(), Key.of(key), (before, seq) -> Row.of(key, seq, "new"));
        db.publish();
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.rowsWritten(t.id()).containsKey(Key.of(key)));
      }
      assertThat(p.status().checkpoints()).isEqualTo(1);
    } finally {
      p.stop();
      assertThat(p.await(20, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(p.failure()).isEmpty();
  }
}
