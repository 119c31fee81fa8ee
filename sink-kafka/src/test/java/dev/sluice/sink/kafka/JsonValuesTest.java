package dev.sluice.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.LogicalType.Kind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
  private static final JsonValues DEFAULTS = new JsonValues(false, false);
  private static final JsonValues NUMBERS_MICROS = new JsonValues(true, true);

  private static String json(JsonValues v, LogicalType t, Object value) {
    return new String(ChangeEncoder.json(g -> v.write(g, t, value)), StandardCharsets.UTF_8);
  }

  @Test
  void integersAndBooleansAreJsonNumbersAndLiterals() {
    assertThat(json(DEFAULTS, LogicalType.BOOLEAN, true)).isEqualTo("true");
    assertThat(json(DEFAULTS, LogicalType.INT8, -128)).isEqualTo("-128");
    assertThat(json(DEFAULTS, LogicalType.INT16, 32767)).isEqualTo("32767");
    assertThat(json(DEFAULTS, LogicalType.INT32, Integer.MIN_VALUE)).isEqualTo("-2147483648");
    assertThat(json(DEFAULTS, LogicalType.INT64, Long.MAX_VALUE)).isEqualTo("9223372036854775807");
  }

  @Test
  void decimalsKeepEveryDigitAndTheirScaleAsStringOrNumber() {
    LogicalType unsignedBigint = LogicalType.decimal(20, 0);
    assertThat(json(DEFAULTS, LogicalType.decimal(10, 2), new BigDecimal("12.50"))).isEqualTo("\"12.50\"");
    assertThat(json(DEFAULTS, unsignedBigint, new BigDecimal("18446744073709551615")))
        .isEqualTo("\"18446744073709551615\"");
    assertThat(json(DEFAULTS, LogicalType.decimal(30, 0), new BigDecimal("1E+25")))
        .isEqualTo("\"10000000000000000000000000\"");
    assertThat(json(NUMBERS_MICROS, LogicalType.decimal(10, 2), new BigDecimal("-12.50"))).isEqualTo("-12.50");
    assertThat(json(NUMBERS_MICROS, unsignedBigint, new BigDecimal("18446744073709551615")))
        .isEqualTo("18446744073709551615");
    assertThat(json(NUMBERS_MICROS, LogicalType.decimal(38, 20), new BigDecimal("0.00000000000000000001")))
        .isEqualTo("0.00000000000000000001");
  }

  @Test
  void floatsAreShortestRoundTripNumbersAndNonFiniteOnesStrings() {
    assertThat(json(DEFAULTS, LogicalType.FLOAT32, 0.1f)).isEqualTo("0.1");
    assertThat(json(DEFAULTS, LogicalType.FLOAT64, 0.1)).isEqualTo("0.1");
    assertThat(json(DEFAULTS, LogicalType.FLOAT64, 1e300)).isEqualTo("1.0E300");
    assertThat(json(DEFAULTS, LogicalType.FLOAT64, Double.NaN)).isEqualTo("\"NaN\"");
    assertThat(json(DEFAULTS, LogicalType.FLOAT32, Float.NEGATIVE_INFINITY)).isEqualTo("\"-Infinity\"");
    assertThat(json(DEFAULTS, LogicalType.FLOAT64, Double.POSITIVE_INFINITY)).isEqualTo("\"Infinity\"");
  }

  @Test
  void textKindsAreStringsWithJsonKeptAsText() {
    assertThat(json(DEFAULTS, LogicalType.string(10), "a\"b\u00e9\n")).isEqualTo("\"a\\\"b\u00e9\\n\"");
    assertThat(json(DEFAULTS, LogicalType.JSON, "{\"a\":1}")).isEqualTo("\"{\\\"a\\\":1}\"");
    assertThat(json(DEFAULTS, new LogicalType(Kind.ENUM, 0, 0, null), "red")).isEqualTo("\"red\"");
  }

  @Test
  void bytesAreStandardBase64AndUuidsTheirCanonicalForm() {
    assertThat(json(DEFAULTS, LogicalType.BYTES, new byte[] {0, (byte) 0xff, (byte) 0xfe, 1}))
        .isEqualTo("\"AP/+AQ==\"");
    assertThat(json(DEFAULTS, LogicalType.BYTES, new byte[0])).isEqualTo("\"\"");
    UUID u = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    assertThat(json(DEFAULTS, LogicalType.UUID, u)).isEqualTo("\"123e4567-e89b-12d3-a456-426614174000\"");
  }

  @Test
  void datesAndTimesAreIsoInEveryMode() {
    for (JsonValues v : List.of(DEFAULTS, NUMBERS_MICROS)) {
      assertThat(json(v, LogicalType.DATE, LocalDate.of(2024, 2, 29))).isEqualTo("\"2024-02-29\"");
      assertThat(json(v, LogicalType.DATE, LocalDate.of(-44, 3, 15))).isEqualTo("\"-0044-03-15\"");
      assertThat(json(v, LogicalType.time(6), LocalTime.of(23, 59, 59, 123_456_000)))
          .isEqualTo("\"23:59:59.123456\"");
      assertThat(json(v, LogicalType.time(0), LocalTime.MIDNIGHT)).isEqualTo("\"00:00:00\"");
    }
  }

  @Test
  void datesAndTimesWrittenDigitByDigitAreTheIsoFormattersText() {
    long seed = System.nanoTime();
    java.util.Random random = new java.util.Random(seed);
    for (int k = 0; k < 5_000; k++) {
      // Years 0..9999 take the digit path; a few outside it take the formatter's.
      int year = k % 50 == 0 ? random.nextInt(40_000) - 20_000 : random.nextInt(10_000);
      LocalDate d = LocalDate.of(year, 1, 1).plusDays(random.nextInt(366));
      int nano = switch (k % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      LocalTime t = LocalTime.ofNanoOfDay(random.nextLong(86_400L * 1_000_000_000L)).withNano(nano);
      LocalDateTime dt = LocalDateTime.of(d, t);
      String context = dt + " (seed " + seed + ")";
      assertThat(JsonValues.isoDate(d)).as(context).isEqualTo(d.format(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE));
      assertThat(JsonValues.isoTime(t)).as(context).isEqualTo(t.format(java.time.format.DateTimeFormatter.ISO_LOCAL_TIME));
      assertThat(JsonValues.isoDateTime(dt)).as(context)
          .isEqualTo(dt.format(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME));
    }
  }

  @Test
  void timestampsAreIsoOrEpochMicros() {
    LocalDateTime local = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 120_000_000);
    assertThat(json(DEFAULTS, LogicalType.timestamp(3), local)).isEqualTo("\"2024-01-02T03:04:05.12\"");
    assertThat(json(DEFAULTS, LogicalType.timestamp(0), local.withNano(0))).isEqualTo("\"2024-01-02T03:04:05\"");
    Instant instant = Instant.parse("2024-01-02T03:04:05.000123Z");
    assertThat(json(DEFAULTS, LogicalType.timestampTz(6), instant)).isEqualTo("\"2024-01-02T03:04:05.000123Z\"");
    assertThat(json(NUMBERS_MICROS, LogicalType.timestamp(3), local)).isEqualTo("1704164645120000");
    assertThat(json(NUMBERS_MICROS, LogicalType.timestampTz(6), instant)).isEqualTo("1704164645000123");
    // Before the epoch, micros count down: floor, as Debezium's MicroTimestamp.
    assertThat(json(NUMBERS_MICROS, LogicalType.timestampTz(6), Instant.parse("1969-12-31T23:59:59.999999Z")))
        .isEqualTo("-1");
  }

  @Test
  void arraysHoldTheirElementsEncodingAndNullsStayNull() {
    assertThat(json(DEFAULTS, LogicalType.arrayOf(LogicalType.decimal(5, 1)),
        java.util.Arrays.asList(new BigDecimal("1.0"), null))).isEqualTo("[\"1.0\",null]");
    assertThat(json(DEFAULTS, LogicalType.arrayOf(LogicalType.INT32), List.of())).isEqualTo("[]");
    for (Kind k : Kind.values()) {
      LogicalType t = k == Kind.ARRAY ? LogicalType.arrayOf(LogicalType.INT32) : new LogicalType(k, 0, 0, null);
      assertThat(json(DEFAULTS, t, null)).as("%s", k).isEqualTo("null");
    }
  }

  @Test
  void aNewLogicalKindFailsHereUntilItGetsAnEncodingAbove() {
    // A new kind in cdc-core must get an encoding and a line here.
    Set<Kind> covered = EnumSet.allOf(Kind.class);
    assertThat(covered).hasSize(18);
  }
}
