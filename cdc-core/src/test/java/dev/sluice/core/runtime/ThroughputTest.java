package dev.sluice.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThroughputTest {
  @Test
  void theRateIsOverTheLastSecondsAndABurstFadesOut() {
    Throughput t = new Throughput();
    assertThat(t.perSecond(0, 0)).as("no sample yet").isZero();
    t.sample(0, 0);
    t.sample(400, 5_000); // under a second after the last sample: not kept
    assertThat(t.perSecond(500, 5_000)).as("less than a second of data").isZero();
    assertThat(t.perSecond(2_000, 6_000)).isEqualTo(3_000.0);
    for (long s = 1; s <= 5; s++) {
      t.sample(s * 1000, 1_000 * s);
    }
    assertThat(t.perSecond(5_000, 5_000)).isEqualTo(1_000.0);
    for (long s = 6; s <= 12; s++) {
      t.sample(s * 1000, 5_000); // idle from here
    }
    assertThat(t.perSecond(12_000, 5_000)).as("idle for longer than the window").isZero();
  }
}
