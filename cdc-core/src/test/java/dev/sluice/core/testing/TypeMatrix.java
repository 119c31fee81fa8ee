package dev.sluice.core.testing;

import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;

/**
 * Every logical type at its edges, for the sinks' type-matrix tests: a table with a column per type
 * and rows that hold each type's extremes.
 */
public final class TypeMatrix {
  private TypeMatrix() {}

  /** The matrix as a table named {@code id}: one column per logical type (two for the time types), keyed by {@code id}. */
  public static TableSchema schema(TableId id) {
    return TableSchema.withPrimaryKey(id, List.of(
      Column.of("id", LogicalType.INT64, false),
      Column.of("b", LogicalType.BOOLEAN, true),
      Column.of("i8", LogicalType.INT8, true),
      Column.of("i16", LogicalType.INT16, true),
      Column.of("i32", LogicalType.INT32, true),
      Column.of("i64", LogicalType.INT64, true),
      Column.of("dec", LogicalType.decimal(38, 10), true),
      Column.of("ubig", LogicalType.decimal(20, 0), true),
      Column.of("f32", LogicalType.FLOAT32, true),
      Column.of("f64", LogicalType.FLOAT64, true),
      Column.of("s", LogicalType.STRING, true),
      Column.of("s8", LogicalType.string(8), true),
      Column.of("bin", LogicalType.BYTES, true),
      Column.of("js", LogicalType.JSON, true),
      Column.of("u", LogicalType.UUID, true),
      Column.of("en", new LogicalType(LogicalType.Kind.ENUM, 0, 0, null), true),
      Column.of("d", LogicalType.DATE, true),
      Column.of("t0", LogicalType.time(0), true),
      Column.of("t6", LogicalType.time(6), true),
      Column.of("ts3", LogicalType.timestamp(3), true),
      Column.of("ts6", LogicalType.timestamp(6), true),
      Column.of("tz", LogicalType.timestampTz(6), true),
      Column.of("ints", LogicalType.arrayOf(LogicalType.INT32), true),
      Column.of("strs", LogicalType.arrayOf(LogicalType.STRING), true)), List.of("id"));
  }

  /** Three rows: each column's largest values, its smallest or emptiest, and nulls. */
  public static List<Row> rows() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    Row max = Row.of(1L, true, 127, 32767, Integer.MAX_VALUE, Long.MAX_VALUE,
        new BigDecimal("9999999999999999999999999999.9999999999"), new BigDecimal("18446744073709551615"),
        Float.MAX_VALUE, Double.MAX_VALUE, "héllo 🌊 \"q\" 'x' \\ end", "12345678", all,
        "{\"a\": 1, \"b\": [true, null]}", new UUID(-1L, -1L), "medium", LocalDate.of(9999, 12, 31),
        LocalTime.of(23, 59, 59), LocalTime.of(23, 59, 59, 999_999_000), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_000_000),
        LocalDateTime.of(2038, 1, 19, 3, 14, 8, 123_456_000), Instant.parse("2038-01-19T03:14:08.123456Z"),
        List.of(1, -2, Integer.MAX_VALUE), List.of("a", "b,c", "\"d\""));
    Row min = Row.of(2L, false, -128, -32768, Integer.MIN_VALUE, Long.MIN_VALUE,
        new BigDecimal("-0.0000000001"), new BigDecimal("0"), -1.5f, 4.9e-324, "", "", new byte[0],
        "[]", UUID.fromString("00000000-0000-0000-0000-000000000001"), "a", LocalDate.of(1000, 1, 1),
        LocalTime.MIDNIGHT, LocalTime.of(0, 0, 0, 1_000), LocalDateTime.of(1000, 1, 1, 0, 0, 0, 1_000_000),
        LocalDateTime.of(1970, 1, 1, 0, 0), Instant.parse("1970-01-01T00:00:00.000001Z"), List.of(), List.of());
    Object[] nulls = new Object[schema(TableId.of(null, "t")).columns().size()];
    nulls[0] = 3L;
    return List.of(max, min, Row.wrap(nulls));
  }
}
