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
  static final class FakeServer implements CollationOrder.Weigher {
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
  void nonAsciiStringsAreWeighedOnceWhileCached() {
    FakeServer server = new FakeServer();
    CollationOrder o = order("utf8mb4_unicode_ci", server);
    long before = server.weighed.get();
    assertThat(o.compare("\u00C9t\u00E9", "ETE")).isZero();
    assertThat(o.compare("\u00C9t\u00E9", "ETF")).isNegative();
    assertThat(server.weighed.get() - before).isEqualTo(1);
  }

  @Test
  void theCacheIsBoundedInBytes() {
    FakeServer server = new FakeServer();
    CollationOrder o = order("utf8mb4_unicode_ci", server);
    String big = "\u00E9".repeat(2000);
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
