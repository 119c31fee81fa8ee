package dev.sluice.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.TableId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyOrderTest {
  private static TableInfo table(String type) {
    return TableInfo.of(new TableId("db", "public", "t"),
        List.of(new TableInfo.Described("k", type, false, -1, 0, false)), List.of("k"), true, false);
  }

  @Test
  void textSortsByCodePointLikeCollateC() {
    var order = KeyOrder.of(table("text"));
    assertThat(order.compare(Key.of("Z"), Key.of("a"))).isNegative();
    assertThat(order.compare(Key.of("a"), Key.of("É"))).isNegative();
    assertThat(order.compare(Key.of("\uFFFF"), Key.of("😀"))).as("supplementary after the BMP").isNegative();
    assertThat(order.compare(Key.of("ab"), Key.of("ab "))).isNegative();
  }

  @Test
  void uuidsSortAsUnsignedBytes() {
    var order = KeyOrder.of(table("uuid"));
    UUID low = UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff");
    UUID high = UUID.fromString("80000000-0000-0000-0000-000000000000");
    assertThat(low.compareTo(high)).as("Java's own order differs").isPositive();
    assertThat(order.compare(Key.of(low), Key.of(high))).isNegative();
  }

  @Test
  void keysWhoseOrderIsNotReproducedAreRefusedByName() {
    assertThatThrownBy(() -> KeyOrder.of(table("float8"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("db.public.t").hasMessageContaining("key column k")
        .hasMessageContaining("scan.incremental.snapshot.chunk.key-column");
  }

  @Test
  void unsupportedColumnTypesAreRefusedByName() {
    assertThatThrownBy(() -> table("tsvector")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("db.public.t.k").hasMessageContaining("tsvector");
  }
}
