package dev.sluice.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tables a sink stopped writing reach the pipeline's status; a sink that cannot say never breaks it. */
class SinkStoppedTablesTest {
  @TempDir Path dir;

  /** Stops writing every table whose name starts with "x", as a sink refusing a change would. */
  static final class Refusing implements Sink {
    final Map<TableId, String> stopped = new ConcurrentHashMap<>();
    volatile boolean broken;

    @Override
    public void write(List<ChangeEvent> events) {
      for (ChangeEvent e : events) {
        if (e.table().table().startsWith("x")) {
          stopped.putIfAbsent(e.table(), "the target refused a change of " + e.table());
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public Map<TableId, String> stoppedTables() {
      if (broken) {
        throw new IllegalStateException("cannot tell");
      }
      return Map.copyOf(stopped);
    }
  }

  @Test
  void theStatusShowsWhatTheSinkStoppedAndSurvivesASinkThatCannotSay() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    Workload w = new Workload(db, 3, 0);
    TableSchema ok = w.addTable("ok", KeyKind.DENSE, 20);
    TableSchema refused = w.addTable("xrefused", KeyKind.DENSE, 20);
    Refusing sink = new Refusing();
    Pipeline p = new Pipeline("stopped", new MemorySource(db, 0, true), sink, new FileCheckpointStore(dir, "stopped"),
        PipelineOptions.DEFAULTS.withCheckpointInterval(Duration.ofMillis(100)), null).start();
    await().atMost(Duration.ofSeconds(20)).until(() -> p.status().sinkStoppedTables().containsKey(refused.id()));
    assertThat(p.status().sinkStoppedTables()).containsOnlyKeys(refused.id());
    assertThat(p.status().sinkStoppedTables().get(refused.id())).contains("refused");
    assertThat(p.status().sinkStoppedTables()).doesNotContainKey(ok.id());
    sink.broken = true;
    assertThat(p.status().sinkStoppedTables()).isEmpty();
    assertThat(p.status().state()).isNotEqualTo(PipelineStatus.State.FAILED);
    p.stop();
    assertThat(p.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
