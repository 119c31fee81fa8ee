package dev.sluice.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.checkpoint.TableProgress;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Shrinking a chunk: under a key order with equal but distinct key values (a case-insensitive
 * collation), and to a byte target when updates in its window enlarge its rows.
 */
class ChunkTest {
  private static final TableSchema SCHEMA = new TableSchema(TableId.of("db", "t"),
      List.of(new Column("k", LogicalType.STRING, false, "VARCHAR"), new Column("v", LogicalType.STRING, true,
          "VARCHAR")), List.of("k"), true);
  private static final Comparator<Key> CASE_INSENSITIVE = Comparator.comparing(
      k -> ((String) k.get(0)).toLowerCase(Locale.ROOT));

  @Test
  void aShrunkResumedChunkDeletesEveryValueOfAnEqualKey() {
    TableSnapshot table = new TableSnapshot(SCHEMA, CASE_INSENSITIVE, null, TableProgress.NOT_STARTED, true);
    Chunk c = new Chunk(table, KeyRange.ALL);
    for (String k : List.of("a", "b", "c", "d")) {
      c.addRead(Row.of(k, "read"));
    }
    // In the window: 'x' renamed to 'X' (same key in the order), then deleted; both values may be in
    // the sink of a resumed pipeline, and both sit above the cut.
    c.apply(Key.of("x"), Row.of("x", "old"), true);
    c.apply(Key.of("X"), Row.of("X", "new"), true);
    c.apply(Key.of("e"), Row.of("e", "ins"), false);
    List<Row> givenBack = new ArrayList<>();
    KeyRange back = c.shrinkTo(2, Long.MAX_VALUE, givenBack::add);
    assertThat(back).isEqualTo(new KeyRange(Key.of("b"), null));
    assertThat(givenBack).extracting(r -> r.get(0)).containsExactlyInAnyOrder("x", "X");
  }

  @Test
  void updatesThatEnlargeRowsShrinkTheChunkToItsByteTarget() {
    TableSnapshot table = new TableSnapshot(SCHEMA, CASE_INSENSITIVE, null, TableProgress.NOT_STARTED, false);
    Chunk c = new Chunk(table, new KeyRange(null, Key.of("z")));
    for (String k : List.of("a", "b", "c", "d", "e", "f")) {
      c.addRead(Row.of(k, "small"));
    }
    long small = Row.of("a", "small").estimatedBytes();
    Row large = Row.of("b", "x".repeat(400));
    c.apply(Key.of("b"), large, false);
    c.apply(Key.of("e"), Row.of("e", "x".repeat(400)), false);
    long target = small + large.estimatedBytes() + small;

    KeyRange back = c.shrinkTo(100, target, null);

    assertThat(back).as("rows above the byte target go back").isEqualTo(new KeyRange(Key.of("c"), Key.of("z")));
    assertThat(c.range).isEqualTo(new KeyRange(null, Key.of("c")));
    assertThat(c.rows()).isEqualTo(3);
    assertThat(c.bytes()).isEqualTo(target);
    List<Row> kept = new ArrayList<>();
    c.drain(kept::add, null);
    assertThat(kept).containsExactlyInAnyOrder(Row.of("a", "small"), large, Row.of("c", "small"));
  }

  @Test
  void aChunkKeepsItsLowestRowEvenWhenThatAloneIsOverTheByteTarget() {
    TableSnapshot table = new TableSnapshot(SCHEMA, CASE_INSENSITIVE, null, TableProgress.NOT_STARTED, false);
    Chunk c = new Chunk(table, KeyRange.ALL);
    c.addRead(Row.of("a", "small"));
    c.addRead(Row.of("b", "small"));
    c.apply(Key.of("a"), Row.of("a", "x".repeat(400)), false);

    KeyRange back = c.shrinkTo(100, 10, null);

    assertThat(back).isEqualTo(new KeyRange(Key.of("a"), null));
    assertThat(c.rows()).isEqualTo(1);
  }
}
