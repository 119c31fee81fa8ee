package dev.sluice.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One row per edge case of every supported type, read by the snapshot and from the log (copied to
 * new keys while streaming): equal on both paths and equal to the expected values.
 */
class TypeMatrixIT {
  @TempDir Path dir;

  private static final String COLUMNS = "i2 int2, i4 int4, i8 int8, n numeric(30,10), nu numeric, f4 float4, f8 float8, "
      + "m money, b bool, t text, vc varchar(10), c char(4), by bytea, d date, tm time(3), ts timestamp(6), ts3 timestamp(3), "
      + "tz timestamptz, u uuid, j json, jb jsonb, e mood, dm positive, ai int4[], at text[], an numeric(10,2)[], ab bool[], "
      + "au uuid[], af float8[], a2 int8[], iv interval, ttz timetz(6)";

  private static final String NAMES = "i2, i4, i8, n, nu, f4, f8, m, b, t, vc, c, by, d, tm, ts, ts3, tz, u, j, jb, e, dm, "
      + "ai, at, an, ab, au, af, a2, iv, ttz";

  private static final String[] ROWS = {
      "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
          + "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL",
      "-32768, -2147483648, -9223372036854775808, -12345678901234567890.0123456789, 0.000000000000000000001, -3.5, "
          + "-1.0e300, -92233720368547758.08, false, '', '', '', ''::bytea, '0001-01-01', '00:00:00', "
          + "'1970-01-01 00:00:00', '1970-01-01 00:00:00.001', '1970-01-01 00:00:00+00', '00000000-0000-0000-0000-000000000000', "
          + "'{}', '{}', 'sad', 1, '{}', '{}', '{}', '{}', '{}', '{}', '{9223372036854775807}', '-1 day', '00:00:00+00'",
      "32767, 2147483647, 9223372036854775807, 99999999999999999999.9999999999, 123456789012345678901234567890.5, 3.25, "
          + "1.5e-300, 92233720368547758.07, true, 'emoji 😀 ä \\ '' \"', 'abc  ', 'ab', '\\xdeadbeef00'::bytea, '9999-12-31', "
          + "'23:59:59.999', '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56.789', '2024-06-01 10:00:00.654321+02', "
          + "'ffffffff-ffff-ffff-ffff-fffffffffffe', '{\"b\": 1, \"a\": [1, 2]}', '{\"b\": 1, \"a\": [1, 2]}', 'happy', 42, "
          + "'{1,NULL,-3}', '{\"a,b\",NULL,\"\",\"é\"}', '{1.50,-2}', '{t,f}', '{00000000-0000-0000-0000-000000000001}', "
          + "'{1.5,-0.25}', '{}', '1 year 2 mons 3 days 04:05:06.78', '10:30:00.25-03:30'"};

  @Test
  void snapshotAndLogValuesAreEqualAndExpected() throws Exception {
    try (Db db = new Db()) {
      db.sql("CREATE TYPE mood AS ENUM ('sad', 'happy')", "CREATE DOMAIN positive AS int CHECK (VALUE > 0)",
          "CREATE TABLE types (id int PRIMARY KEY, " + COLUMNS + ")", "ALTER TABLE types REPLICA IDENTITY FULL");
      for (int i = 0; i < ROWS.length; i++) {
        db.sql("INSERT INTO types VALUES (" + (i + 1) + ", " + ROWS[i] + ")");
      }
      CollectingSink sink = new CollectingSink();
      try (PostgresSource source = db.source()) {
        Pipeline p = SourceFixtures.pipeline("types", source, sink, dir, 1, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING
            || p.failure().isPresent());
        assertThat(p.failure()).isEmpty();
        db.sql("INSERT INTO types SELECT id + 100, " + NAMES + " FROM types WHERE id <= " + ROWS.length);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.rows(db.table("types")).size() == 2 * ROWS.length);
        Map<Key, Row> rows = sink.rows(db.table("types"));
        for (int i = 1; i <= ROWS.length; i++) {
          Row snap = rows.get(Key.of(i));
          Row log = rows.get(Key.of(i + 100));
          for (int c = 1; c < snap.size(); c++) {
            assertThat(normal(log.get(c))).as("row " + i + " column " + c).isEqualTo(normal(snap.get(c)));
          }
        }
        Row max = rows.get(Key.of(3));
        assertThat(max.get(1)).isEqualTo(32767);
        assertThat(max.get(3)).isEqualTo(9223372036854775807L);
        assertThat(max.get(4)).isEqualTo(new BigDecimal("99999999999999999999.9999999999"));
        assertThat(max.get(5)).isEqualTo(new BigDecimal("123456789012345678901234567890.5"));
        assertThat(max.get(6)).isEqualTo(3.25f);
        assertThat(max.get(8)).isEqualTo(new BigDecimal("92233720368547758.07"));
        assertThat(max.get(9)).isEqualTo(true);
        assertThat(max.get(10)).isEqualTo("emoji 😀 ä \\ ' \"");
        assertThat(max.get(11)).isEqualTo("abc  ");
        assertThat(max.get(12)).isEqualTo("ab  ");
        assertThat((byte[]) max.get(13)).containsExactly(0xde, 0xad, 0xbe, 0xef, 0);
        assertThat(max.get(14)).isEqualTo(LocalDate.of(9999, 12, 31));
        assertThat(max.get(15)).isEqualTo(LocalTime.parse("23:59:59.999"));
        assertThat(max.get(16)).isEqualTo(LocalDateTime.parse("2024-02-29T12:34:56.123456"));
        assertThat(max.get(17)).isEqualTo(LocalDateTime.parse("2024-02-29T12:34:56.789"));
        assertThat(max.get(18)).isEqualTo(Instant.parse("2024-06-01T08:00:00.654321Z"));
        assertThat(max.get(19)).isEqualTo(UUID.fromString("ffffffff-ffff-ffff-ffff-fffffffffffe"));
        assertThat(max.get(20)).isEqualTo("{\"b\": 1, \"a\": [1, 2]}");
        assertThat(max.get(21)).isEqualTo("{\"a\": [1, 2], \"b\": 1}");
        assertThat(max.get(22)).isEqualTo("happy");
        assertThat(max.get(23)).isEqualTo(42);
        assertThat(max.get(24)).isEqualTo(Arrays.asList(1, null, -3));
        assertThat(max.get(25)).isEqualTo(Arrays.asList("a,b", null, "", "é"));
        assertThat(max.get(26)).isEqualTo(List.of(new BigDecimal("1.50"), new BigDecimal("-2.00")));
        assertThat(max.get(27)).isEqualTo(List.of(true, false));
        assertThat(max.get(28)).isEqualTo(List.of(UUID.fromString("00000000-0000-0000-0000-000000000001")));
        assertThat(max.get(29)).isEqualTo(List.of(1.5, -0.25));
        assertThat(max.get(30)).isEqualTo(List.of());
        assertThat(max.get(31)).isEqualTo("P1Y2M3DT4H5M6.78S");
        assertThat(max.get(32)).as("timetz: the same instant of the day, in UTC").isEqualTo("14:00:00.25Z");
        Row min = rows.get(Key.of(2));
        assertThat(min.get(14)).isEqualTo(LocalDate.of(1, 1, 1));
        assertThat(min.get(8)).isEqualTo(new BigDecimal("-92233720368547758.08"));
        assertThat(min.get(30)).isEqualTo(List.of(Long.MAX_VALUE));
        assertThat(min.get(31)).isEqualTo("P0Y0M-1DT0H0M0S");
        assertThat(min.get(32)).isEqualTo("00:00:00Z");
        assertThat(rows.get(Key.of(1)).values()).containsOnly(1, null);
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }

  private static Object normal(Object v) {
    return v instanceof byte[] b ? Arrays.toString(b) : v;
  }
}
