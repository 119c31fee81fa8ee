package dev.sluice.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkPlannerTest {

  private static List<KeyRange> planAll(MemorySource source, TableSchema t, int chunkSize) {
    ChunkPlanner planner = new ChunkPlanner(source, t, chunkSize);
    List<KeyRange> out = new ArrayList<>();
    Key cursor = null;
    do {
      KeyRange r = planner.next(cursor);
      out.add(r);
      cursor = r.hi();
    } while (cursor != null);
    return out;
  }

  @Test
  void denseIntegerKeysAreSplitArithmeticallyWithoutBoundaryQueries() {
    MemoryDatabase db = new MemoryDatabase();
    TableSchema t = new Workload(db, 1, 0).addTable("dense", KeyKind.DENSE, 1000);
    List<KeyRange> chunks = planAll(new MemorySource(db) {
      @Override
      public Key chunkBoundary(TableSchema table, Key after, long rows) {
        throw new AssertionError("a dense key needs no boundary query");
      }
    }, t, 100);
    assertThat(chunks).hasSize(10);
    assertThat(chunks.get(0)).isEqualTo(new KeyRange(null, Key.of(100L)));
    assertThat(chunks.get(9)).isEqualTo(new KeyRange(Key.of(900L), null));
  }

  @Test
  void sparseAndStringKeysAreCutByBoundaryQueriesIntoFullChunks() {
    for (KeyKind kind : new KeyKind[] {KeyKind.SPARSE, KeyKind.UUID_STRING, KeyKind.COMPOSITE}) {
      MemoryDatabase db = new MemoryDatabase();
      TableSchema t = new Workload(db, 2, 0).addTable("t", kind, 1050);
      MemorySource source = new MemorySource(db);
      List<KeyRange> chunks = planAll(source, t, 100);
      int total = 0;
      for (KeyRange c : chunks) {
        int n = db.read(t.id(), c).size();
        assertThat(n).as("%s chunk %s", kind, c).isLessThanOrEqualTo(100);
        total += n;
      }
      assertThat(total).as(kind.name()).isEqualTo(db.visibleRows(t.id()).size());
      assertThat(chunks.get(chunks.size() - 1).hi()).isNull();
    }
  }

  @Test
  void anEmptyTableIsOneOpenChunk() {
    MemoryDatabase db = new MemoryDatabase();
    TableSchema t = new Workload(db, 3, 0).addTable("empty", KeyKind.DENSE, 0);
    assertThat(planAll(new MemorySource(db), t, 100)).containsExactly(KeyRange.ALL);
  }
}
