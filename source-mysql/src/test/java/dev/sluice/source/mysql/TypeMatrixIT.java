package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One row per type edge case, read once by the snapshot and once from the binlog (the same values
 * copied to new keys after streaming started): both paths must give equal values, and the values
 * must be the expected ones.
 */
class TypeMatrixIT {
  @TempDir Path dir;

  private static final String COLUMNS = "ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT, i INT, "
      + "iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, d DECIMAL(65,30), d2 DECIMAL(10,2), f FLOAT, db DOUBLE, "
      + "b1 BIT(1), b10 BIT(10), b64 BIT(64), bo TINYINT(1), c CHAR(10), vc VARCHAR(100), tx TEXT, bn BINARY(4), "
      + "vb VARBINARY(10), bl BLOB, dt DATE, tm TIME(6), dtm DATETIME(6), dtm0 DATETIME, ts TIMESTAMP(6) NULL, "
      + "yr YEAR, en ENUM('a','b','c'), st SET('x','y','z'), js JSON";

  private static final String NAMES = "ti, tiu, si, mi, i, iu, bi, biu, d, d2, f, db, b1, b10, b64, bo, c, vc, "
      + "tx, bn, vb, bl, dt, tm, dtm, dtm0, ts, yr, en, st, js";

  private static final List<String> ROWS = List.of(
      "(1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
          + "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
      "(2, -128, 0, -32768, -8388608, -2147483648, 0, -9223372036854775808, 0, "
          + "'-99999999999999999999999999999999999.999999999999999999999999999999', -99999999.99, -2.25, "
          + "-1.5e-300, b'0', b'0', b'0', 0, '', '', '', x'00000000', x'', x'', '1000-01-01', '-838:59:59.000000', "
          + "'1000-01-01 00:00:00.000000', '1000-01-01 00:00:00', '1970-01-01 00:00:01.000000', 1901, 'a', '', '{}')",
      "(3, 127, 255, 32767, 8388607, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615, "
          + "'99999999999999999999999999999999999.999999999999999999999999999999', 99999999.99, 123.456, "
          + "1.7976931348623157e308, b'1', b'1111111111', x'FFFFFFFFFFFFFFFF', 1, 'abc', 'héllo wörld 😀', "
          + "'emoji 🚀 text ✓', x'DEADBEEF', x'00FF', x'0102030405', '9999-12-31', '838:59:59.000000', "
          + "'9999-12-31 23:59:59.999999', '9999-12-31 23:59:59', '2038-01-19 03:14:07.999999', 2155, 'c', 'x,y,z', "
          + "'{\"b\": {\"c\": null}, \"a\": [1, 2.5, \"x\"]}')",
      "(4, 5, 6, 7, 8, 9, 10, 11, 12, '0.000000000000000000000000000001', 0.01, 0.5, 0.1, b'1', b'1000000001', "
          + "x'0000000000000100', 2, 'pad  ', 'trailing  ', 'x', x'01020000', x'00', x'00', '2024-02-29', "
          + "'-00:00:01.500000', '2024-02-29 12:34:56.789012', '2024-02-29 12:34:56', '2024-06-01 12:00:00.123456', "
          + "2024, 'b', 'y', '[1, \"two\", true]')");

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void snapshotAndBinlogGiveTheSameValues(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.types (id INT PRIMARY KEY, " + COLUMNS + ") CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
      try (Connection c = db.admin(); Statement s = c.createStatement()) {
        s.execute("SET SESSION time_zone = '+00:00'");
        s.execute("INSERT INTO types VALUES " + String.join(", ", ROWS));
        // Zero dates, where the server's SQL mode lets them in, read as null on both paths.
        s.execute("SET SESSION sql_mode = ''");
        s.execute("INSERT INTO types (id, dt, dtm, dtm0) VALUES (5, '0000-00-00', '0000-00-00 00:00:00.000000', "
            + "'0000-00-00 00:00:00')");
      }
      TableId t = db.table("types");
      try (MySqlSource source = db.source()) {
        CollectingSink sink = new CollectingSink();
        Pipeline p = SourceFixtures.pipeline("types", source, sink, dir, 2, 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        try (Connection c = db.admin(); Statement s = c.createStatement()) {
          s.execute("SET SESSION sql_mode = ''");
          s.execute("INSERT INTO types SELECT id + 100, " + NAMES + " FROM types");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.rows(t).size() == 2 * (ROWS.size() + 1));
        Map<Key, Row> rows = sink.rows(t);
        for (int id = 1; id <= ROWS.size() + 1; id++) {
          Object[] snapshot = rest(rows.get(Key.of(id)));
          Object[] binlog = rest(rows.get(Key.of(id + 100)));
          assertThat(Arrays.deepEquals(snapshot, binlog))
              .as("row %d via snapshot %s, via binlog %s", id, Arrays.deepToString(snapshot), Arrays.deepToString(binlog))
              .isTrue();
        }
        assertExpected(source, rows.get(Key.of(103)), rows.get(Key.of(102)), rows.get(Key.of(104)),
            rows.get(Key.of(105)));
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }

  private static Object[] rest(Row r) {
    assertThat(r).isNotNull();
    return r.values().subList(1, r.size()).toArray();
  }

  private static void assertExpected(MySqlSource source, Row max, Row min, Row mid, Row zero) {
    var schema = source.tables().get(0);
    assertThat(max.get(schema.columnIndex("biu"))).isEqualTo(new BigDecimal("18446744073709551615"));
    assertThat(min.get(schema.columnIndex("bi"))).isEqualTo(Long.MIN_VALUE);
    assertThat(max.get(schema.columnIndex("d")))
        .isEqualTo(new BigDecimal("99999999999999999999999999999999999.999999999999999999999999999999"));
    assertThat(max.get(schema.columnIndex("f"))).isEqualTo(123.456f);
    assertThat(max.get(schema.columnIndex("b1"))).isEqualTo(true);
    assertThat((byte[]) max.get(schema.columnIndex("b10"))).containsExactly(0x03, 0xFF);
    assertThat((byte[]) mid.get(schema.columnIndex("b64"))).containsExactly(0, 0, 0, 0, 0, 0, 1, 0);
    assertThat(max.get(schema.columnIndex("vc"))).isEqualTo("héllo wörld 😀");
    assertThat((byte[]) max.get(schema.columnIndex("bn"))).containsExactly(0xDE, 0xAD, 0xBE, 0xEF);
    assertThat(max.get(schema.columnIndex("dt"))).isEqualTo(LocalDate.of(9999, 12, 31));
    assertThat(min.get(schema.columnIndex("tm"))).isEqualTo(-(838L * 3600 + 59 * 60 + 59) * 1_000_000L);
    assertThat(mid.get(schema.columnIndex("tm"))).isEqualTo(-1_500_000L);
    assertThat(max.get(schema.columnIndex("dtm"))).isEqualTo(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000));
    assertThat(mid.get(schema.columnIndex("ts"))).isEqualTo(Instant.parse("2024-06-01T12:00:00.123456Z"));
    assertThat(max.get(schema.columnIndex("yr"))).isEqualTo(2155);
    assertThat(zero.get(schema.columnIndex("dt"))).isNull();
    assertThat(zero.get(schema.columnIndex("dtm"))).isNull();
    assertThat(max.get(schema.columnIndex("st"))).isEqualTo("x,y,z");
    assertThat(mid.get(schema.columnIndex("en"))).isEqualTo("b");
    assertThat(new String(((String) max.get(schema.columnIndex("tx"))).getBytes(StandardCharsets.UTF_8),
        StandardCharsets.UTF_8)).isEqualTo("emoji 🚀 text ✓");
  }
}
