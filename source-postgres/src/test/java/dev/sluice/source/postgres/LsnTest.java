package dev.sluice.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class LsnTest {

  @Test
  void marksSortAfterTheChangesOfTransactionsCommittedAtOrBeforeThem() {
    Lsn change = Lsn.change(0x1000, 5);
    assertThat(Lsn.compare(change, Lsn.mark(0x1000))).isNegative();
    assertThat(Lsn.compare(change, Lsn.mark(0xfff))).isPositive();
    assertThat(Lsn.compare(Lsn.change(0x1000, 0), Lsn.change(0x1000, 1))).isNegative();
    assertThat(Lsn.compare(Lsn.change(0x1000, 9), Lsn.change(0x1001, 0))).isNegative();
  }

  @Test
  void highLsnsCompareUnsigned() {
    assertThat(Lsn.compare(Lsn.mark(0xFFFFFFFF00000000L), Lsn.mark(0x7FFFFFFF00000000L))).isPositive();
  }

  @Test
  void textFormRoundTrips() {
    assertThat(Lsn.format(Lsn.parse("16/B374D848"))).isEqualTo("16/B374D848");
    assertThat(Lsn.decode(Lsn.mark(0x16B374D848L).encode())).isEqualTo(Lsn.mark(0x16B374D848L));
    assertThat(Lsn.decode(Lsn.change(0x16B374D848L, 3).encode())).isEqualTo(Lsn.change(0x16B374D848L, 3));
    assertThatThrownBy(() -> Lsn.decode("nonsense")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aShuffledLogSortsBack() {
    long seed = ThreadLocalRandom.current().nextLong();
    System.out.println("LsnTest seed " + seed);
    Random random = new Random(seed);
    List<Lsn> log = new ArrayList<>();
    long commit = 0x100;
    for (int tx = 0; tx < 200; tx++) {
      commit += 2 + random.nextInt(500);
      int changes = random.nextInt(4);
      for (int i = 0; i < changes; i++) {
        log.add(Lsn.change(commit, i));
      }
      log.add(Lsn.mark(commit + random.nextInt(2)));
    }
    List<Lsn> shuffled = new ArrayList<>(log);
    Collections.shuffle(shuffled, random);
    shuffled.sort(Lsn::compare);
    assertThat(shuffled).as("seed " + seed).containsExactlyElementsOf(log);
  }
}
