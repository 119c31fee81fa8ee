package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.DataException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** The shapes of the two paths reduce to the same values. */
class MySqlValuesTest {

  @Test
  void timeIsMicrosecondsIncludingNegativeAndBeyondADay() {
    assertThat(MySqlValues.parseTimeMicros("-838:59:59.000000")).isEqualTo(-3_020_399_000_000L);
    assertThat(MySqlValues.parseTimeMicros("-00:00:01.5")).isEqualTo(-1_500_000L);
    assertThat(MySqlValues.parseTimeMicros("25:00:00")).isEqualTo(90_000_000_000L);
    assertThat(MySqlValues.fromLog(-1_500_000L, ColumnKind.TIME, 6, "t.c")).isEqualTo(-1_500_000L);
  }

  @Test
  void zeroDatesAreNull() {
    assertThat(MySqlValues.parseDate("0000-00-00")).isNull();
    assertThat(MySqlValues.parseDate("2024-00-10")).isNull();
    assertThat(MySqlValues.parseDateTimeMicros("0000-00-00 00:00:00")).isNull();
  }

  @Test
  void datetimeFromTextEqualsDatetimeFromTheLogInMillisOrMicros() {
    Object fromText = MySqlValues.finish(ColumnKind.DATETIME, 6, "t.c",
        MySqlValues.parseDateTimeMicros("1960-02-29 12:34:56.789012"));
    LocalDateTime expected = LocalDateTime.of(1960, 2, 29, 12, 34, 56, 789_012_000);
    assertThat(fromText).isEqualTo(expected);
    long micros = expected.toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000 + 789_012;
    assertThat(MySqlValues.fromLog(micros, ColumnKind.DATETIME, 6, "t.c")).isEqualTo(expected);
    assertThat(MySqlValues.fromLog(Math.floorDiv(micros, 1000), ColumnKind.DATETIME, 3, "t.c"))
        .isEqualTo(expected.withNano(789_000_000));
  }

  @Test
  void datesTimestampsAndBits() {
    assertThat(MySqlValues.fromLog(19_000, ColumnKind.DATE, -1, "t.c")).isEqualTo(LocalDate.ofEpochDay(19_000));
    assertThat(MySqlValues.fromLog("2024-06-01T12:00:00.123456Z", ColumnKind.TIMESTAMP, 6, "t.c"))
        .isEqualTo(Instant.parse("2024-06-01T12:00:00.123456Z"));
    // Debezium hands BIT(n) over little-endian; the chunk reader's number gives the same big-endian bytes.
    assertThat((byte[]) MySqlValues.fromLog(ByteBuffer.wrap(new byte[] {(byte) 0xFF, 0x03}), ColumnKind.BITS, 10, "t.c"))
        .containsExactly(0x03, 0xFF);
    assertThat((byte[]) MySqlValues.finish(ColumnKind.BITS, 10, "t.c", java.math.BigInteger.valueOf(1023)))
        .containsExactly(0x03, 0xFF);
    assertThat(MySqlValues.fromLog(true, ColumnKind.BIT1, 1, "t.c")).isEqualTo(true);
  }

  @Test
  void unsignedBigintIsAnExactDecimal() {
    assertThat(MySqlValues.fromLog(new BigDecimal("18446744073709551615"), ColumnKind.UNSIGNED_BIGINT, -1, "t.c"))
        .isEqualTo(new BigDecimal("18446744073709551615"));
  }

  @Test
  void jsonIsCompactWithItsKeyOrderKept() {
    assertThat(MySqlValues.normalizeJson("{\"b\": {\"c\": null}, \"a\": [1, 2.5, \"x\"]}"))
        .isEqualTo("{\"b\":{\"c\":null},\"a\":[1,2.5,\"x\"]}");
    assertThat(MySqlValues.normalizeJson("not json")).isEqualTo("not json");
  }

  @Test
  void aValueThatCannotBeConvertedNamesItsColumn() {
    assertThatThrownBy(() -> MySqlValues.fromLog("x", ColumnKind.INT32, -1, "db.t.c"))
        .isInstanceOf(DataException.class).hasMessageContaining("column db.t.c");
  }
}
