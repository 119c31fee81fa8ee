package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.TableId;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyOrderTest {

  /** No non-binary collation expected. */
  private static final java.util.function.Function<CollationOrder.Spec, CollationOrder> NONE = spec -> {
    throw new AssertionError("no collation order expected for " + spec);
  };

  private static TableInfo table(String collation, String... extra) {
    return TableInfo.of(TableId.of("db", "t"), List.of(
        new TableInfo.Described("k", "VARCHAR", false, 40, 0, false, collation),
        new TableInfo.Described("n", "INT", false, -1, 0, false, null)), List.of("k", "n"), true);
  }

  @Test
  void binaryCollationsOrderByCodePoint() {
    Comparator<Key> order = KeyOrder.of(table("utf8mb4_0900_bin"), NONE);
    // U+FF5E sorts before U+1F600 by code point, though not by UTF-16 unit.
    assertThat(order.compare(Key.of("\uFF5E", 1), Key.of("\uD83D\uDE00", 1))).isNegative();
    assertThat(order.compare(Key.of("a", 2), Key.of("a", 10))).isNegative();
    assertThat(order.compare(Key.of("B", 1), Key.of("a", 1))).isNegative();
    assertThat(order.compare(Key.of("a ", 1), Key.of("a", 1))).isPositive();
  }

  @Test
  void padSpaceBinaryCollationsIgnoreTrailingSpaces() {
    Comparator<Key> order = KeyOrder.of(table("utf8mb4_bin"), NONE);
    assertThat(order.compare(Key.of("a ", 1), Key.of("a", 1))).isZero();
    // The shorter string is padded with spaces, not the longer one trimmed: a tab sorts below a space.
    assertThat(order.compare(Key.of("a\t", 1), Key.of("a", 1))).isNegative();
    assertThat(order.compare(Key.of("a", 1), Key.of("a \t", 1))).isPositive();
    assertThat(order.compare(Key.of("a", 1), Key.of("a  b", 1))).isNegative();
  }

  @Test
  void keysWhoseOrderIsNotReproducedAreRefused() {
    for (String type : List.of("ENUM", "SET", "TIME", "TIMESTAMP", "BIT", "FLOAT", "DOUBLE")) {
      TableInfo t = TableInfo.of(TableId.of("db", "t"), List.of(
          new TableInfo.Described("k", type, false, 6, 0, false, null)), List.of("k"), true);
      assertThatThrownBy(() -> KeyOrder.of(t, NONE)).as(type).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("key column k").hasMessageContaining("chunk.key-column");
    }
  }

  @Test
  void otherCollationsAreRefusedByName() {
    for (String c : List.of("utf8mb4_de_pb_0900_ai_ci", "utf8mb4_czech_ci", "latin1_swedish_ci")) {
      assertThatThrownBy(() -> KeyOrder.of(table(c), NONE))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("db.t").hasMessageContaining("key column k").hasMessageContaining(c);
    }
  }
}
