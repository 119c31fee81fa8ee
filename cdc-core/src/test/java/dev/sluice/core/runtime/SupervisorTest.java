package dev.sluice.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.runtime.Supervisor.RetryPolicy;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySink;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {
  @TempDir Path dir;

  /** A source whose first {@code failures} chunk reads fail with {@code error}. */
  private static MemorySource failing(MemoryDatabase db, int failures, RuntimeException error) {
    AtomicInteger left = new AtomicInteger(failures);
    return new MemorySource(db, 0, true) {
      @Override
      public void readChunk(TableSchema table, KeyRange range, Predicate<Row> consumer) {
        if (left.getAndDecrement() > 0) {
          throw error;
        }
        super.readChunk(table, range, consumer);
      }
    };
  }

  private Supervisor supervise(MemoryDatabase db, MemorySource source, MemorySink sink) {
    PipelineOptions options = PipelineOptions.DEFAULTS.withCheckpointInterval(Duration.ofMillis(20));
    return new Supervisor("sup", () -> new Pipeline("sup", source, sink, new FileCheckpointStore(dir, "sup"), options,
        // A long maximum backoff: an attempt that ran longer than it counts as healthy and resets the
        // failure count, which a slow start on a loaded machine must not do here.
        null), new RetryPolicy(5, Duration.ofMillis(10), Duration.ofSeconds(30))).start();
  }

  @Test
  void aLostConnectionIsRetriedFromTheCheckpointUntilTheTableIsCopied() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    TableSchema t = new Workload(db, 1, 0).addTable("t", KeyKind.DENSE, 500);
    MemorySink sink = new MemorySink(false, 1);
    Supervisor s = supervise(db, failing(db, 2, new ConnectionException("connection reset", null)), sink);
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.rows(t.id()).size() == 500);
    assertThat(sink.rows(t.id()).get(Key.of(1L))).isEqualTo(db.latestRows(t.id()).get(Key.of(1L)));
    assertThat(s.failuresInARow()).isEqualTo(2);
    s.stop();
    assertThat(s.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(s.failure()).isEmpty();
  }

  @Test
  void aConfigurationErrorIsNotRetried() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    new Workload(db, 1, 0).addTable("t", KeyKind.DENSE, 10);
    Supervisor s = supervise(db, failing(db, 1, new ConfigurationException("bad option 'x'")), new MemorySink(false, 1));
    assertThat(s.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(s.failure()).get().extracting(Throwable::getMessage).isEqualTo("bad option 'x'");
    assertThat(s.failuresInARow()).isEqualTo(1);
  }

  @Test
  void givesUpAfterTheLastAttempt() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    new Workload(db, 1, 0).addTable("t", KeyKind.DENSE, 10);
    Supervisor s = supervise(db, failing(db, 100, new ConnectionException("refused", null)), new MemorySink(false, 1));
    assertThat(s.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(s.failuresInARow()).isEqualTo(5);
    assertThat(s.failure()).get().extracting(Throwable::getMessage).isEqualTo("refused");
  }
}
