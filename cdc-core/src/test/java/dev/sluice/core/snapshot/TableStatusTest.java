package dev.sluice.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.Event;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.snapshot.TableStatus.Phase;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A table's status through its snapshot: planning, snapshot with an estimated chunk total, then exact, then streaming. */
class TableStatusTest {
  @Test
  @Timeout(60)
  void aTableGoesFromPlanningToSnapshotWithAnEstimatedThenExactChunkTotalToStreaming() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    TableSchema t = new Workload(db, 6, 0).addTable("s", KeyKind.SPARSE, 1000); // boundary queries, one at a time
    MemorySource source = new MemorySource(db, 0, true);
    Reconciler reconciler = new Reconciler("status", source, List.of(t), Map.of(),
        new SnapshotOptions(1, 100, 200, Long.MAX_VALUE), false);

    TableStatus s = reconciler.status().get(0);
    assertThat(s.phase()).isEqualTo(Phase.PLANNING);
    assertThat(s.chunksTotal()).as("nothing known before planning").isEqualTo(-1);
    assertThat(s.chunksTotalEstimated()).isTrue();

    List<Event> emitted = new ArrayList<>();
    Chunk c = reconciler.nextChunk();
    s = reconciler.status().get(0);
    assertThat(s.phase()).isEqualTo(Phase.SNAPSHOT);
    assertThat(s.planComplete()).isFalse();
    assertThat(s.estimatedRows()).isEqualTo(1000);
    assertThat(s.chunksTotal()).as("1 000 rows in chunks of 100").isEqualTo(10);
    assertThat(s.chunksTotalEstimated()).isTrue();

    List<TableStatus> seen = new ArrayList<>();
    do {
      seen.add(reconciler.status().get(0)); // with the chunk just planned in hand
      ChunkDriver.read(reconciler, source, t, c, emitted);
    } while ((c = reconciler.nextChunk()) != null);

    TableStatus planned = seen.stream().filter(x -> x.planComplete() && x.phase() == Phase.SNAPSHOT).findFirst()
        .orElseThrow();
    assertThat(planned.chunksTotalEstimated()).isFalse();
    assertThat(planned.chunksTotal()).isEqualTo(planned.chunksDone() + planned.chunksInHand());
    TableStatus done = reconciler.status().get(0);
    assertThat(done.phase()).isEqualTo(Phase.STREAMING);
    assertThat(done.chunksTotalEstimated()).isFalse();
    assertThat(done.chunksTotal()).isEqualTo(done.chunksDone()).isGreaterThanOrEqualTo(10);
    assertThat(done.rowsRead()).isEqualTo(1000);
    assertThat(emitted).hasSize(1000);
  }
}
