package dev.sluice.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.Key;
import dev.sluice.core.source.KeyRange;
import org.junit.jupiter.api.Test;

class RangeSetTest {
  private static KeyRange r(Long lo, Long hi) {
    return new KeyRange(lo == null ? null : Key.of(lo), hi == null ? null : Key.of(hi));
  }

  @Test
  void findsTheRangeHoldingAKeyWithExclusiveLowerAndInclusiveUpperBounds() {
    RangeSet<String> set = new RangeSet<>(Key.NATURAL);
    set.put(r(null, 10L), "first");
    set.put(r(20L, 30L), "middle");
    set.put(r(40L, null), "tail");
    assertThat(set.find(Key.of(-5L))).isEqualTo("first");
    assertThat(set.find(Key.of(10L))).isEqualTo("first");
    assertThat(set.find(Key.of(11L))).isNull();
    assertThat(set.find(Key.of(20L))).isNull();
    assertThat(set.find(Key.of(21L))).isEqualTo("middle");
    assertThat(set.find(Key.of(30L))).isEqualTo("middle");
    assertThat(set.find(Key.of(40L))).isNull();
    assertThat(set.find(Key.of(Long.MAX_VALUE))).isEqualTo("tail");
  }

  @Test
  void finishedChunksMergeIntoOneRangeWhateverTheOrderTheyFinishIn() {
    RangeSet<Boolean> done = new RangeSet<>(Key.NATURAL);
    RangeSet.addMerged(done, r(20L, 30L));
    RangeSet.addMerged(done, r(null, 10L));
    RangeSet.addMerged(done, r(40L, null));
    assertThat(done.size()).isEqualTo(3);
    RangeSet.addMerged(done, r(30L, 40L));
    assertThat(done.ranges()).containsExactly(r(null, 10L), r(20L, null));
    RangeSet.addMerged(done, r(10L, 20L));
    assertThat(done.ranges()).containsExactly(r(null, null));
  }

  @Test
  void gapsAreWhatIsPlannedButNotFinished() {
    RangeSet<Boolean> done = new RangeSet<>(Key.NATURAL);
    assertThat(done.gapsUpTo(Key.of(50L))).containsExactly(r(null, 50L));
    RangeSet.addMerged(done, r(null, 10L));
    RangeSet.addMerged(done, r(20L, 30L));
    assertThat(done.gapsUpTo(Key.of(50L))).containsExactly(r(10L, 20L), r(30L, 50L));
    assertThat(done.gapsUpTo(Key.of(30L))).containsExactly(r(10L, 20L));
    assertThat(done.gapsUpTo(Key.of(15L))).containsExactly(r(10L, 15L));
    assertThat(done.gapsUpTo(null)).containsExactly(r(10L, 20L), r(30L, null));
    RangeSet<Boolean> fromMiddle = new RangeSet<>(Key.NATURAL);
    RangeSet.addMerged(fromMiddle, r(10L, 20L));
    assertThat(fromMiddle.gapsUpTo(null)).containsExactly(r(null, 10L), r(20L, null));
  }
}
