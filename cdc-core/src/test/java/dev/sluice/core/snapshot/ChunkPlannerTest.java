package dev.sluice.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Planning chunks: arithmetic splits, boundary queries (composite keys included), and the
 * open-ended tail chunk, which reads cut at the chunk bound re-split while the table grows.
 */
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

  @Test
  void compositeKeysAreCutInsideOneLeadingValueInTheKeysOrder() {
    MemoryDatabase db = new MemoryDatabase();
    // (region, code): regions skewed towards 0, so one region holds many chunks.
    TableSchema t = new Workload(db, 4, 0).addTable("composite", KeyKind.COMPOSITE, 1000);
    List<KeyRange> chunks = planAll(new MemorySource(db), t, 50);

    assertThat(chunks.get(0).lo()).isNull();
    assertThat(chunks.get(chunks.size() - 1).hi()).isNull();
    int total = 0;
    boolean cutInsideARegion = false;
    for (int i = 0; i < chunks.size(); i++) {
      KeyRange c = chunks.get(i);
      if (i > 0) {
        assertThat(c.lo()).as("chunk %s follows the one before with no gap", c).isEqualTo(chunks.get(i - 1).hi());
      }
      if (c.lo() != null && c.hi() != null) {
        assertThat(Key.NATURAL.compare(c.lo(), c.hi())).as("chunk %s is not empty", c).isNegative();
        assertThat(c.hi().size()).as("a boundary names both key columns").isEqualTo(2);
        cutInsideARegion |= c.lo().get(0).equals(c.hi().get(0));
      }
      int n = db.read(t.id(), c).size();
      assertThat(n).as("chunk %s: a full chunk, or the last", c).isEqualTo(c.hi() == null ? Math.min(n, 50) : 50);
      total += n;
    }
    assertThat(total).isEqualTo(db.visibleRows(t.id()).size());
    assertThat(cutInsideARegion).as("a chunk that starts and ends in one region: the second column cuts it").isTrue();
  }

  @Test
  @Timeout(60)
  void theOpenEndedTailChunkIsReadInBoundedPiecesWhileTheTableGrows() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    Workload workload = new Workload(db, 5, 0);
    TableSchema t = workload.addTable("growing", KeyKind.DENSE, 1000);
    MemorySource source = new MemorySource(db, 0, true);
    int chunkSize = 100;
    Reconciler reconciler = new Reconciler("growing", source, List.of(t), Map.of(),
        new SnapshotOptions(1, chunkSize, 2L * chunkSize, Long.MAX_VALUE), false);
    List<KeyRange> read = new ArrayList<>();
    List<Event> emitted = new ArrayList<>();
    long next = 1001;
    Chunk c;
    while ((c = reconciler.nextChunk()) != null) {
      if (c.range.hi() == null && next < 3000) {
        // 250 rows land at the tail before each read of the open-ended chunk, for a while.
        for (int i = 0; i < 250; i++, next++) {
          long key = next;
          db.write(t.id(), Key.of(key), (before, seq) -> Row.of(key, seq, null));
        }
        db.publish();
      }
      int rows = ChunkDriver.read(reconciler, source, t, c, emitted);
      assertThat(rows).as("rows read by %s", c.range).isLessThanOrEqualTo(2 * chunkSize);
      read.add(c.range);
    }

    assertThat(read.get(read.size() - 1).hi()).isNull();
    long tailPieces = read.stream().filter(r -> r.lo() != null && Key.NATURAL.compare(r.lo(), Key.of(900L)) >= 0)
        .count();
    assertThat(tailPieces).as("the tail (900, +inf] of 2 000 more rows, read 200 rows at a time").isGreaterThanOrEqualTo(10);
    for (int i = 1; i < read.size(); i++) {
      assertThat(read.get(i).lo()).as("piece %s follows the one before with no gap", read.get(i))
          .isEqualTo(read.get(i - 1).hi());
    }
    TreeSet<Key> keys = new TreeSet<>(Key.NATURAL);
    emitted.forEach(e -> keys.add(((ChangeEvent) e).key()));
    assertThat(keys).as("every row, each once").hasSize(emitted.size()).isEqualTo(db.visibleRows(t.id()).keySet());
  }
}
