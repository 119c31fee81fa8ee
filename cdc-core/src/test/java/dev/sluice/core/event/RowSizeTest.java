package dev.sluice.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.UUID;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link Row#estimatedBytes()} bounds the snapshot's buffer, so it must follow the heap rows really
 * take: for rows of several shapes, the heap that a few thousand distinct rows hold (measured as the
 * used heap after repeated full collections, with and without the rows) is compared with the sum of
 * their estimates. The estimate may be off by a fifth either way, not by a factor.
 */
class RowSizeTest {
  private static final int ROWS = 4000;

  /** ~2 KB of Latin-1 text a row: a JSON document, a TEXT, a long VARCHAR (the bench's wide table). */
  @Test
  void wideLatin1Rows() {
    assertEstimateFollowsHeap("wide", n -> Row.of(1_000_000L + n, (int) (n * 7919 + 100_000), json(n, "red"),
        text(n, 36, " "), text(n + 3, 6, ""), LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(n * 7919)));
  }

  /** The same shape with text outside Latin-1, which the JVM holds at two bytes a character. */
  @Test
  void wideTextOutsideLatin1() {
    assertEstimateFollowsHeap("wide, Cyrillic text", n -> Row.of(1_000_000L + n, (int) (n * 7919 + 100_000),
        json(n, "красный"), "текст " + text(n, 36, " "), text(n + 3, 6, "") + "ж",
        LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(n * 7919)));
  }

  /** The narrow table: small strings, a DECIMAL(12,2), a DATETIME(3). */
  @Test
  void narrowRows() {
    assertEstimateFollowsHeap("narrow", n -> Row.of(1_000_000L + n, (int) (n * 7919 + 100_000),
        ("name-" + Long.toHexString(n * 0x9E3779B97F4A7C15L)).repeat(2), "city " + n % 997 + " " + Long.toHexString(n),
        BigDecimal.valueOf(n * 7919 % 100_000_000, 2), LocalDateTime.of(2024, 1, 1, 0, 0).plusNanos(n * 1_000_000)));
  }

  /** Binary values, UUIDs, wide decimals and nulls. */
  @Test
  void bytesUuidsAndWideDecimals() {
    assertEstimateFollowsHeap("bytes", n -> Row.of(new UUID(n, ~n), text(n, 4, "").getBytes(),
        new BigDecimal("123456789012345678901234567890." + (1000 + n % 9000)), null, 1_000_000L + n));
  }

  private static String text(long n, int repeat, String sep) {
    return (Long.toHexString(n * 0x9E3779B97F4A7C15L | Long.MIN_VALUE) + Long.toHexString(n + 1) + sep).repeat(repeat);
  }

  private static String json(long n, String color) {
    return "{\"id\":" + n + ",\"sku\":\"" + text(n, 1, "") + "\",\"tags\":[" + n % 7 + "," + n % 11 + "," + n % 13
        + "],\"attrs\":{\"color\":\"" + color + "\",\"text\":\"" + text(n + 2, 10, "") + "\"}}";
  }

  private static void assertEstimateFollowsHeap(String shape, LongFunction<Row> make) {
    Row[] rows = new Row[ROWS];
    long before = usedHeapAfterCollections();
    long estimated = 0;
    for (int i = 0; i < ROWS; i++) {
      rows[i] = make.apply(i + 1000L);
      estimated += rows[i].estimatedBytes();
    }
    long after = usedHeapAfterCollections();
    long held = after - before;
    assertThat(rows[ROWS - 1]).isNotNull(); // keeps the rows reachable until now
    double ratio = (double) estimated / held;
    System.out.printf("%s: %d B estimated, %d B held a row (estimate ÷ heap %.2f)%n", shape, estimated / ROWS,
        held / ROWS, ratio);
    assertThat(ratio).as(shape + ": estimate ÷ heap (%d B estimated, %d B held a row)", estimated / ROWS, held / ROWS)
        .isBetween(0.8, 1.25);
  }

  /** The used heap once repeated full collections no longer lower it. */
  private static long usedHeapAfterCollections() {
    Runtime rt = Runtime.getRuntime();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      best = Math.min(best, rt.totalMemory() - rt.freeMemory());
    }
    return best;
  }
}
