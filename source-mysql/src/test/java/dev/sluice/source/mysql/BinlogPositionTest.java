package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinlogPositionTest {
  private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

  private static int cmp(BinlogPosition a, BinlogPosition b) {
    return Integer.signum(BinlogPosition.compare(a, b));
  }

  @Test
  void everyEventOfATransactionComparesTheSameAgainstAMark() {
    BinlogPosition end = BinlogPosition.mark("binlog.000003", 500, null);
    for (long event = 1; event < 5; event++) {
      assertThat(cmp(BinlogPosition.event("binlog.000003", 400, event, 2, null, null), end)).isEqualTo(-1);
      assertThat(cmp(BinlogPosition.event("binlog.000003", 500, event, 0, null, null), end)).isEqualTo(1);
    }
  }

  @Test
  void aMarkAtATransactionsStartIsBeforeItsEvents() {
    BinlogPosition mark = BinlogPosition.mark("binlog.000003", 500, null);
    BinlogPosition event = BinlogPosition.event("binlog.000003", 500, 0, 0, null, null);
    assertThat(cmp(mark, event)).isEqualTo(-1);
    assertThat(cmp(event, mark)).isEqualTo(1);
  }

  @Test
  void filesOrderByTheirNumberNotTheirName() {
    assertThat(cmp(BinlogPosition.mark("binlog.000999", 90_000, null), BinlogPosition.mark("binlog.001000", 4, null)))
        .isEqualTo(-1);
  }

  @Test
  void anEventIsBeforeTheVisibleHorizonExactlyWhenItsTransactionIsInIt() {
    BinlogPosition visible = BinlogPosition.visible(U + ":1-10");
    assertThat(cmp(BinlogPosition.event("b.1", 9, 1, 0, U + ":10", U + ":1-9"), visible)).isEqualTo(-1);
    assertThat(cmp(BinlogPosition.event("b.1", 9, 1, 0, U + ":11", U + ":1-10"), visible)).isEqualTo(1);
    assertThat(cmp(visible, BinlogPosition.event("b.1", 9, 1, 0, U + ":11", U + ":1-10"))).isEqualTo(-1);
  }

  @Test
  void horizonsOrderByInclusionAndMarksAgainstThemByTheirDoneSet() {
    BinlogPosition small = BinlogPosition.visible(U + ":1-10");
    BinlogPosition big = BinlogPosition.visible(U + ":1-12");
    assertThat(cmp(small, big)).isEqualTo(-1);
    assertThat(cmp(big, small)).isEqualTo(1);
    assertThat(cmp(small, BinlogPosition.visible(U + ":1-10"))).isZero();
    assertThat(cmp(BinlogPosition.mark("b.1", 5, U + ":1-10"), big)).isEqualTo(-1);
    assertThat(cmp(BinlogPosition.mark("b.1", 5, U + ":1-12"), small)).isEqualTo(1);
  }

  @Test
  void sortingAShuffledLogRestoresItsOrder() {
    long seed = new Random().nextLong();
    System.out.println("BinlogPositionTest seed " + seed);
    List<BinlogPosition> log = new ArrayList<>();
    for (int file = 1; file <= 3; file++) {
      for (long pos = 4; pos < 400; pos += 100) {
        log.add(BinlogPosition.mark("binlog.00000" + file, pos, null));
        for (long e = 1; e <= 3; e++) {
          log.add(BinlogPosition.event("binlog.00000" + file, pos, e, 0, null, null));
          log.add(BinlogPosition.event("binlog.00000" + file, pos, e, 1, null, null));
        }
      }
    }
    List<BinlogPosition> shuffled = new ArrayList<>(log);
    Collections.shuffle(shuffled, new Random(seed));
    shuffled.sort(BinlogPosition::compare);
    assertThat(shuffled).containsExactlyElementsOf(log);
  }

  @Test
  void encodeAndDecodeRoundTrip() {
    for (BinlogPosition p : List.of(BinlogPosition.visible(U + ":1-5"), BinlogPosition.mark("binlog.000001", 4, null),
        BinlogPosition.event("binlog.000002", 77, 3, 1, U + ":6", U + ":1-5"),
        BinlogPosition.mark("binlog.000001", 4, "0-1-42"))) {
      assertThat(BinlogPosition.decode(p.encode())).isEqualTo(p);
    }
    assertThatThrownBy(() -> BinlogPosition.decode("42")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("not a MySQL binlog position");
  }

  @Test
  void gtidSetsAnswerMembershipAndInclusion() {
    String v = "aaaaaaaa-0000-0000-0000-000000000000";
    GtidSet set = new GtidSet(U + ":1-5:7-9,\n" + v + ":3");
    assertThat(set.contains(U + ":5")).isTrue();
    assertThat(set.contains(U + ":6")).isFalse();
    assertThat(set.contains(v + ":3")).isTrue();
    assertThat(set.contains(v.toUpperCase() + ":3")).isTrue();
    assertThat(new GtidSet(U + ":2-4").isSubsetOf(set)).isTrue();
    assertThat(new GtidSet(U + ":4-7").isSubsetOf(set)).isFalse();
    assertThat(new GtidSet("").isSubsetOf(set)).isTrue();
    assertThat(set.size()).isEqualTo(9);
  }
}
