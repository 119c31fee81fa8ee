package dev.sluice.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.TableId;
import org.junit.jupiter.api.Test;

class TableThroughputTest {
  private static final TableId ORDERS = TableId.of("shop", "orders");
  private static final TableId USERS = TableId.of("shop", "users");

  @Test
  void eachTableHasItsOwnRateAndAnIdleOneFallsToZero() {
    TableThroughput t = new TableThroughput();
    assertThat(t.perSecond(0)).as("no table counted yet").isEmpty();
    t.sample(0);
    for (long s = 1; s <= 4; s++) {
      for (int i = 0; i < 300; i++) {
        t.count(ORDERS);
      }
      for (int i = 0; i < 100; i++) {
        t.count(USERS); // interleaved runs: the cached counter must follow the table
        t.count(ORDERS);
      }
      t.sample(s * 1000);
    }
    assertThat(t.perSecond(4_000)).containsEntry(ORDERS, 400.0).containsEntry(USERS, 100.0);
    t.sample(4_500); // under a second since the last sample: not taken
    for (long s = 5; s <= 12; s++) {
      t.count(ORDERS);
      t.sample(s * 1000);
    }
    assertThat(t.perSecond(12_000)).containsEntry(ORDERS, 1.0).containsEntry(USERS, 0.0);
  }
}
