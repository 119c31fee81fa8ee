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
  void textTemporalsParseToTheCalendarsValueForEveryFractionLength() {
    java.time.format.DateTimeFormatter server = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    java.util.Random random = new java.util.Random(42);
    for (int k = 0; k < 2000; k++) {
      // 1019 to 9892: inside the years DATETIME holds.
      LocalDateTime t = LocalDateTime.ofEpochSecond(random.nextLong(-30_000_000_000L, 250_000_000_000L),
          random.nextInt(1_000_000) * 1000, java.time.ZoneOffset.UTC);
      int digits = random.nextInt(7);
      String fraction = String.format("%06d", t.getNano() / 1000).substring(0, digits);
      String text = t.format(server) + (digits == 0 ? "" : "." + fraction);
      long micros = t.withNano(0).toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000
          + (digits == 0 ? 0 : Long.parseLong((fraction + "000000").substring(0, 6)));
      assertThat(MySqlValues.parseDateTimeMicros(text)).as(text).isEqualTo(micros);
    }
    assertThat(MySqlValues.parseTimeMicros("838:59:59")).isEqualTo(3_020_399_000_000L);
    assertThat(MySqlValues.parseTimeMicros("-00:00:00.000001")).isEqualTo(-1L);
    assertThat(MySqlValues.parseDateTimeMicros("2024-02-29 23:59:59.999999"))
        .isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59, 59).toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000
            + 999_999);
    assertThatThrownBy(() -> MySqlValues.parseDate("2023-02-29")).isInstanceOf(java.time.DateTimeException.class);
  }

  @Test
  void zeroDatesAreRecognised() {
    assertThat(MySqlValues.parseDate("0000-00-00")).isNull();
    assertThat(MySqlValues.parseDate("2024-00-10")).isNull();
    assertThat(MySqlValues.parseDateTimeMicros("0000-00-00 00:00:00")).isNull();
    assertThat(MySqlValues.parseDateTimeMicros("2024-05-00 10:00:00")).isNull();
    assertThat(MySqlValues.fromLog("1970-01-01T00:00:00Z", ColumnKind.TIMESTAMP, 0, "t.c")).isSameAs(MySqlValues.ZERO_DATE);
    assertThat(MySqlValues.fromLog("1970-01-01", ColumnKind.DATE, 0, "t.c")).isEqualTo(LocalDate.EPOCH);
    assertThat(MySqlValues.fromLog("1960-02-29 12:34:56.789012", ColumnKind.DATETIME, 6, "t.c"))
        .isEqualTo(LocalDateTime.of(1960, 2, 29, 12, 34, 56, 789_012_000));
  }

  private static final TableInfo DATES = TableInfo.of(dev.sluice.core.event.TableId.of("db", "t"), java.util.List.of(
      new TableInfo.Described("id", "INT", false, 0, 0, false, null),
      new TableInfo.Described("d", "DATE", false, 0, 0, false, null),
      new TableInfo.Described("dn", "DATE", false, 0, 0, true, null),
      new TableInfo.Described("tsn", "TIMESTAMP", false, 0, 0, true, null)), java.util.List.of("id"), true);

  private static Object[] settled(MySqlValues.ZeroDates policy, Object... v) {
    MySqlValues.settleZeroDates(DATES, v, false, policy);
    return v;
  }

  @Test
  void zeroDatesFollowThePolicy() {
    Object z = MySqlValues.ZERO_DATE;
    // null in a NOT NULL column is a zero date (the binlog's shape); the snapshot's is the marker.
    assertThat(settled(MySqlValues.ZeroDates.NULL, 1, null, z, z)).containsExactly(1, LocalDate.EPOCH, null, null);
    assertThat(settled(MySqlValues.ZeroDates.EPOCH, 1, z, z, z))
        .containsExactly(1, LocalDate.EPOCH, null, Instant.EPOCH);
    assertThat(settled(MySqlValues.ZeroDates.FAIL, 1, LocalDate.EPOCH, null, null))
        .containsExactly(1, LocalDate.EPOCH, null, null);
    assertThatThrownBy(() -> settled(MySqlValues.ZeroDates.FAIL, 7, LocalDate.EPOCH, null, z))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("zero date in column tsn of table db.t, row with key (id=7)")
        .hasMessageContaining("zero-date.handling");
    Object[] key = {z};
    TableInfo dateKey = TableInfo.of(dev.sluice.core.event.TableId.of("db", "k"), java.util.List.of(
        new TableInfo.Described("d", "DATE", false, 0, 0, false, null)), java.util.List.of("d"), true);
    MySqlValues.settleZeroDates(dateKey, key, true, MySqlValues.ZeroDates.NULL);
    assertThat(key).containsExactly(LocalDate.EPOCH);
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

  /**
   * One result column holding {@code text} (null for SQL NULL) as the driver gives it: the text's
   * bytes, the text, or its number.
   */
  private static java.sql.ResultSet column(String text) {
    boolean[] wasNull = {false};
    return (java.sql.ResultSet) java.lang.reflect.Proxy.newProxyInstance(MySqlValuesTest.class.getClassLoader(),
        new Class<?>[] {java.sql.ResultSet.class}, (proxy, method, args) -> {
          wasNull[0] = text == null;
          return switch (method.getName()) {
            case "wasNull" -> text == null;
            case "getBytes" -> text == null ? null : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            case "getString" -> text;
            case "getBigDecimal" -> text == null ? null : new BigDecimal(text);
            case "getLong" -> text == null ? 0L : Long.parseLong(text);
            default -> throw new UnsupportedOperationException(method.getName());
          };
        });
  }

  private static void sameAsGeneralPath(ColumnKind kind, int length, String text) throws java.sql.SQLException {
    Object fast = MySqlValues.reader(kind, length, "t.c").read(column(text), 1);
    Object general = MySqlValues.fromJdbc(column(text), 1, kind, length, "t.c");
    assertThat(fast).as(kind + " " + text).isEqualTo(general);
    if (fast instanceof BigDecimal d) {
      assertThat(d.scale()).as(text).isEqualTo(((BigDecimal) general).scale());
    }
  }

  @Test
  void columnReadersGiveWhatTheGeneralPathGives() throws Exception {
    java.util.Random random = new java.util.Random(7);
    java.time.format.DateTimeFormatter server = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    for (int k = 0; k < 3000; k++) {
      int precision = 1 + random.nextInt(30);
      int scale = random.nextInt(Math.min(precision, 10) + 1);
      BigDecimal d = new BigDecimal(new java.math.BigInteger(precision * 3, random), scale);
      if (d.precision() <= precision) {
        sameAsGeneralPath(ColumnKind.DECIMAL, precision, (random.nextBoolean() ? d.negate() : d).toPlainString());
      }
      LocalDateTime t = LocalDateTime.ofEpochSecond(random.nextLong(-30_000_000_000L, 250_000_000_000L),
          random.nextInt(1_000_000) * 1000, java.time.ZoneOffset.UTC);
      int digits = random.nextInt(7);
      String fraction = String.format("%06d", t.getNano() / 1000).substring(0, digits);
      sameAsGeneralPath(ColumnKind.DATETIME, digits, t.format(server) + (digits == 0 ? "" : "." + fraction));
      sameAsGeneralPath(ColumnKind.DATE, 0, t.toLocalDate().toString());
      long n = random.nextLong();
      sameAsGeneralPath(ColumnKind.INT64, 0, Long.toString(n));
      sameAsGeneralPath(ColumnKind.INT32, 0, Integer.toString((int) n));
    }
    for (String zero : new String[] {"0000-00-00 00:00:00", "2024-00-10 10:00:00", "0000-01-01 00:00:00.5"}) {
      sameAsGeneralPath(ColumnKind.DATETIME, 1, zero);
      assertThat(MySqlValues.reader(ColumnKind.DATETIME, 1, "t.c").read(column(zero), 1)).isSameAs(MySqlValues.ZERO_DATE);
    }
    sameAsGeneralPath(ColumnKind.DATE, 0, "0000-00-00");
    for (String d : new String[] {"0", "-0.00", "0.000", "-999999999999999999", "1234567890123456789", ".5", "12.",
        "-12345678901234567890.123456789012345678901234567890"}) {
      sameAsGeneralPath(ColumnKind.DECIMAL, 65, d);
    }
    for (ColumnKind kind : new ColumnKind[] {ColumnKind.DECIMAL, ColumnKind.DATE, ColumnKind.DATETIME,
        ColumnKind.INT64, ColumnKind.INT32, ColumnKind.STRING}) {
      assertThat(MySqlValues.reader(kind, 0, "t.c").read(column(null), 1)).as(kind.name()).isNull();
    }
    // Text in the result's character set, decoded from the bytes as the driver's getString decodes it.
    for (String text : new String[] {"héllo wörld 😀", "", "pad  "}) {
      java.sql.ResultSet utf8 = column(text);
      assertThat(MySqlValues.reader(ColumnKind.STRING, 0, "t.c", java.nio.charset.StandardCharsets.UTF_8).read(utf8, 1))
          .isEqualTo(text);
    }
    java.sql.ResultSet latin1 = (java.sql.ResultSet) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {java.sql.ResultSet.class}, (proxy, method, args) -> new byte[] {'c', 'a', 'f', (byte) 0xE9});
    assertThat(MySqlValues.reader(ColumnKind.ENUM, 0, "t.c", java.nio.charset.StandardCharsets.ISO_8859_1).read(latin1, 1))
        .isEqualTo("café");
    assertThat(MySqlValues.reader(ColumnKind.SET, 0, "t.c", java.nio.charset.StandardCharsets.UTF_8).read(column(null), 1))
        .isNull();
    assertThatThrownBy(() -> MySqlValues.reader(ColumnKind.DECIMAL, 10, "db.t.amount").read(column("1.2.3"), 1))
        .isInstanceOf(DataException.class).hasMessageContaining("db.t.amount").hasMessageContaining("1.2.3");
    assertThatThrownBy(() -> MySqlValues.reader(ColumnKind.DATE, 0, "t.c").read(column("2023-02-29"), 1))
        .isInstanceOf(java.time.DateTimeException.class);
  }
}
