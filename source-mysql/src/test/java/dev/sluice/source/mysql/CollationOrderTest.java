package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.TableId;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The comparison rules and the table / server split of {@link CollationOrder}, against a simulated
 * server: a case-insensitive collation with one 16-bit weight per character, the tab below the
 * space, and a contraction "ch" weighing one unit. The real servers are in {@code CollationOrderIT}.
 */
class CollationOrderTest {

  /** The simulated server; counts the texts it weighed. */
  static class FakeServer implements CollationOrder.Weigher {
    final AtomicLong weighed = new AtomicLong();

    @Override
    public List<byte[]> weigh(List<String> texts) {
      List<byte[]> out = new ArrayList<>();
      for (String t : texts) {
        weighed.incrementAndGet();
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        String u = t.toUpperCase(Locale.ROOT);
        for (int i = 0; i < u.length(); i++) {
          int unit;
          if (u.startsWith("CH", i)) {
            unit = 'C' * 2 + 1; // between C and D
            i++;
          } else {
            char c = u.charAt(i);
            unit = c == '\u00C9' ? 'E' * 2 : c * 2; // É weighs as E
          }
          w.write(unit >> 8);
          w.write(unit);
        }
        out.add(w.toByteArray());
      }
      return out;
    }
  }

  private static CollationOrder order(String collation, FakeServer server) {
    return new CollationOrder(CollationOrder.spec(collation), server);
  }

  @Test
  void supportedCollationsAreNamed() {
    assertThat(CollationOrder.spec("utf8mb4_0900_ai_ci")).isEqualTo(
        new CollationOrder.Spec("utf8mb4_0900_ai_ci", "utf8mb4", 1, false));
    assertThat(CollationOrder.spec("utf8mb4_0900_as_cs").levels()).isEqualTo(3);
    assertThat(CollationOrder.spec("UTF8MB4_GENERAL_CI").padSpace()).isTrue();
    assertThat(CollationOrder.spec("utf8mb3_general_nopad_ci").padSpace()).isFalse();
    assertThat(CollationOrder.spec("utf8_unicode_ci").charset()).isEqualTo("utf8mb3");
    assertThat(CollationOrder.spec("utf8mb4_sv_0900_ai_ci")).isNull();
    assertThat(CollationOrder.spec("latin1_swedish_ci")).isNull();
  }

  @Test
  void padSpaceComparesAsIfPaddedWithSpaces() {
    CollationOrder o = order("utf8mb4_general_ci", new FakeServer());
    assertThat(o.compare("abc", "ABC")).isZero();
    assertThat(o.compare("abc", "abc  ")).isZero();
    assertThat(o.compare("abc\t", "abc")).isNegative();
    assertThat(o.compare("abc", "abc \t")).isPositive();
    assertThat(o.compare("ab", "abc")).isNegative();
    assertThat(o.compare("a b", "ab")).isNegative();
  }

  @Test
  void noPadCountsTrailingSpaces() {
    CollationOrder o = order("utf8mb4_general_nopad_ci", new FakeServer());
    assertThat(o.compare("abc", "ABC")).isZero();
    assertThat(o.compare("abc", "abc ")).isNegative();
    assertThat(o.compare("abc\t", "abc")).isPositive();
  }

  @Test
  void charactersInAContractionAreLeftToTheServer() {
    FakeServer server = new FakeServer();
    CollationOrder o = order("utf8mb4_general_ci", server);
    assertThat(o.local('a')).isTrue();
    assertThat(o.local('c')).isFalse();
    assertThat(o.local('h')).isFalse();
    long before = server.weighed.get();
    // "ch" sorts between c and d: only the server's weights know.
    assertThat(o.compare("cha", "cz")).isPositive();
    assertThat(o.compare("cha", "da")).isNegative();
    assertThat(server.weighed.get() - before).as("cha once (then cached), cz; da from the table").isEqualTo(2);
    // ASCII strings without c or h never reach the server.
    before = server.weighed.get();
    assertThat(o.compare("Mixed Tape 42!", "mixed tape 42!")).isZero();
    assertThat(server.weighed.get()).isEqualTo(before);
  }

  @Test
  void charactersBeyondAsciiAreLearnedOnce() {
    FakeServer server = new FakeServer();
    CollationOrder o = order("utf8mb4_unicode_ci", server);
    long before = server.weighed.get();
    assertThat(o.compare("\u00C9t\u00E9", "ETE")).isZero();
    assertThat(o.compare("\u00C9t\u00E9", "ETF")).isNegative();
    long learning = server.weighed.get() - before;
    assertThat(learning).as("É and é learned, no string weighed").isPositive();
    assertThat(o.compare("t\u00E9\u00C9", "TEE ")).isZero();
    assertThat(server.weighed.get() - before).as("known characters need no server").isEqualTo(learning);
  }

  @Test
  void aCharacterThatCombinesWithTheTableIsLeftToTheServer() {
    FakeServer server = new FakeServer() {
      @Override
      public List<byte[]> weigh(List<String> texts) {
        // "l·" weighs as one unit between L and M, as in DUCET.
        List<byte[]> out = super.weigh(texts.stream().map(t -> t.replace("l\u00B7", "\u0099")
            .replace("L\u00B7", "\u0099")).toList());
        return out;
      }
    };
    CollationOrder o = order("utf8mb4_0900_ai_ci", server);
    assertThat(o.local('\u00B7')).isFalse();
    assertThat(o.local('\u00E9')).isTrue();
    assertThat(o.local('\u0301')).as("combining marks are never learned").isFalse();
    long before = server.weighed.get();
    assertThat(o.compare("bol\u00B7la", "bolza")).isNotZero();
    assertThat(server.weighed.get() - before).as("the string with a middle dot weighed whole, the other from the table")
        .isEqualTo(1);
  }

  @Test
  void stringsWithCombiningMarksAreWeighedOnceWhileCached() {
    FakeServer server = new FakeServer();
    CollationOrder o = order("utf8mb4_unicode_ci", server);
    long before = server.weighed.get();
    assertThat(o.compare("e\u0301t\u00E9", "e\u0301t\u00E9")).isZero();
    o.compare("e\u0301t\u00E9", "ETF");
    long after = server.weighed.get();
    o.compare("e\u0301t\u00E9", "ETG");
    assertThat(server.weighed.get()).isEqualTo(after);
    assertThat(after - before).isPositive();
  }

  @Test
  void theCacheIsBoundedInBytes() {
    FakeServer server = new FakeServer();
    CollationOrder o = order("utf8mb4_unicode_ci", server);
    String big = "e\u0301".repeat(1000);
    long before = server.weighed.get();
    int distinct = (int) (CollationOrder.CACHE_BYTES / 6000) + 100;
    for (int i = 0; i < distinct; i++) {
      o.weight(big + i);
    }
    // The first ones were forgotten: weighing them again asks the server again.
    o.weight(big + 0);
    assertThat(server.weighed.get() - before).isEqualTo(distinct + 1);
    assertThat(o.cachedBytes()).isLessThanOrEqualTo(CollationOrder.CACHE_BYTES);
  }

  @Test
  void keyOrderUsesTheCollationPerColumn() {
    TableInfo t = TableInfo.of(TableId.of("db", "t"), List.of(
        new TableInfo.Described("k", "VARCHAR", false, 40, 0, false, "utf8mb4_general_ci"),
        new TableInfo.Described("n", "INT", false, -1, 0, false, null)), List.of("k", "n"), true);
    var order = KeyOrder.of(t, spec -> new CollationOrder(spec, new FakeServer()));
    assertThat(order.compare(Key.of("abc", 2), Key.of("ABC ", 2))).isZero();
    assertThat(order.compare(Key.of("abc", 2), Key.of("ABC", 10))).isNegative();
    assertThat(order.compare(Key.of("B", 1), Key.of("a", 9))).isPositive();
  }
}
