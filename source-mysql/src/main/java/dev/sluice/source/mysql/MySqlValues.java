package dev.sluice.source.mysql;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.TableSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The ONE conversion of MySQL values to core values. A chunk SELECT and the binlog (through
 * Debezium) deliver a value in different shapes; each shape is first reduced to the same
 * intermediate (epoch days, microseconds, an unsigned number, text, bytes), and every intermediate
 * goes through the same last step ({@link #finish}), so both paths give {@code equals} values.
 *
 * <p>Debezium is configured so that its shapes are exact: {@code decimal.handling.mode=precise},
 * {@code bigint.unsigned.handling.mode=precise}, {@code time.precision.mode=adaptive_time_microseconds},
 * {@code binary.handling.mode=bytes}. The SELECT reads temporal columns as text or
 * {@code UNIX_TIMESTAMP} and BITs as numbers, so no driver time-zone or type guessing is involved.
 */
public final class MySqlValues {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  /**
   * A zero date as read by either path, before {@link #settleZeroDates} decides what it becomes:
   * {@code 0000-00-00}, a date with a zero month or day, or the zero {@code TIMESTAMP}.
   */
  static final Object ZERO_DATE = new Object() {
    @Override
    public String toString() {
      return "a zero date";
    }
  };

  /** What {@code zero-date.handling} makes of a zero date. */
  public enum ZeroDates {
    /** null; the epoch in NOT NULL columns. */
    NULL,
    /** the epoch (except in nullable DATE and DATETIME columns, where the binlog cannot see it). */
    EPOCH,
    /** stop with an error naming the table, the column and the row's key. */
    FAIL;

    static ZeroDates of(String option) {
      return valueOf(option.toUpperCase(java.util.Locale.ROOT));
    }
  }

  private MySqlValues() {}

  /** The SELECT expression for a column ({@code quoted} is the quoted name). */
  static String selectExpression(ColumnKind kind, String quoted) {
    return switch (kind) {
      case DATE, TIME, DATETIME -> "CAST(" + quoted + " AS CHAR)";
      case TIMESTAMP -> "UNIX_TIMESTAMP(" + quoted + ")";
      case BIT1, BITS, YEAR -> "CAST(" + quoted + " AS UNSIGNED)";
      default -> quoted;
    };
  }

  /**
   * Reads one column of a chunk SELECT's current row, giving what {@link #fromJdbc} gives for it.
   * One is chosen per column before a chunk's rows are read ({@link #reader}), so no value pays for
   * a choice by type, and the common kinds skip the driver's intermediate objects.
   */
  @FunctionalInterface
  interface ColumnReader {
    Object read(ResultSet rs, int index) throws SQLException;
  }

  /**
   * The reader of a column of {@code kind}. Integers are read as primitives and boxed once; DECIMAL
   * and the temporal text are parsed from the driver's bytes (ASCII digits in both of the driver's
   * protocols), without a String in between, falling back to {@link #fromJdbc}'s own path for any
   * shape the fast parse does not take, so both give equal values.
   */
  static ColumnReader reader(ColumnKind kind, int length, String column) {
    return reader(kind, length, column, null);
  }

  /**
   * As {@link #reader(ColumnKind, int, String)}; a text column whose result {@code charset} is known
   * is decoded from the driver's bytes in it, as the driver's own {@code getString} decodes them,
   * without the value factory and property lookups that call makes for every value.
   */
  static ColumnReader reader(ColumnKind kind, int length, String column, java.nio.charset.Charset charset) {
    if (charset != null && (kind == ColumnKind.STRING || kind == ColumnKind.ENUM || kind == ColumnKind.SET)) {
      return (rs, i) -> {
        byte[] b = rs.getBytes(i);
        return b == null ? null : new String(b, charset);
      };
    }
    return switch (kind) {
      case INT8, INT16, INT32, YEAR -> (rs, i) -> {
        long v = rs.getLong(i);
        return v == 0 && rs.wasNull() ? null : (Object) (int) v;
      };
      case INT64 -> (rs, i) -> {
        long v = rs.getLong(i);
        return v == 0 && rs.wasNull() ? null : (Object) v;
      };
      case STRING, ENUM, SET -> (rs, i) -> rs.getString(i);
      case DECIMAL -> (rs, i) -> {
        byte[] b = rs.getBytes(i);
        return b == null ? null : decimal(b, column);
      };
      case DATE -> (rs, i) -> {
        byte[] b = rs.getBytes(i);
        return b == null ? null : date(b, length, column);
      };
      case DATETIME -> (rs, i) -> {
        byte[] b = rs.getBytes(i);
        return b == null ? null : dateTime(b, length, column);
      };
      default -> (rs, i) -> fromJdbc(rs, i, kind, length, column);
    };
  }

  /**
   * A DECIMAL's text ({@code [-]digits[.digits]}) as a BigDecimal: up to 18 digits straight from
   * the digits as an unscaled long, wider ones through the text, as the driver reads them.
   */
  static BigDecimal decimal(byte[] b, String column) {
    int n = b.length;
    int i = n > 0 && (b[0] == '-' || b[0] == '+') ? 1 : 0;
    long unscaled = 0;
    int digits = 0;
    int scale = -1;
    for (; i < n; i++) {
      byte c = b[i];
      if (c >= '0' && c <= '9') {
        unscaled = unscaled * 10 + (c - '0');
        digits++;
        if (scale >= 0) {
          scale++;
        }
      } else if (c == '.' && scale < 0) {
        scale = 0;
      } else {
        digits = 19; // not the plain shape: let the text parser decide
        break;
      }
    }
    if (digits > 0 && digits <= 18) {
      return BigDecimal.valueOf(b[0] == '-' ? -unscaled : unscaled, Math.max(scale, 0));
    }
    String text = new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new DataException("column " + column + ": cannot read '" + text + "' as a DECIMAL", e);
    }
  }

  /** A DATE's text, {@code YYYY-MM-DD}, as {@link #fromJdbc} reads it (a zero date is {@link #ZERO_DATE}). */
  private static Object date(byte[] b, int length, String column) {
    if (b.length == 10 && b[4] == '-' && b[7] == '-') {
      int y = digits(b, 0, 4);
      int m = digits(b, 5, 7);
      int d = digits(b, 8, 10);
      if (y > 0 && m > 0 && d > 0) {
        return LocalDate.of(y, m, d);
      }
    }
    return fromText(ColumnKind.DATE, length, column, b);
  }

  /**
   * A DATETIME's text, {@code YYYY-MM-DD HH:MM:SS[.f{1,6}]}, as {@link #fromJdbc} reads it: the
   * calendar's fields straight into a LocalDateTime.
   */
  private static Object dateTime(byte[] b, int length, String column) {
    int n = b.length;
    if ((n == 19 || (n >= 21 && n <= 26 && b[19] == '.')) && b[4] == '-' && b[7] == '-' && b[10] == ' '
        && b[13] == ':' && b[16] == ':') {
      int y = digits(b, 0, 4);
      int mo = digits(b, 5, 7);
      int d = digits(b, 8, 10);
      int h = digits(b, 11, 13);
      int mi = digits(b, 14, 16);
      int s = digits(b, 17, 19);
      int f = n == 19 ? 0 : digits(b, 20, n);
      if (y > 0 && mo > 0 && d > 0 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s < 60 && f >= 0) {
        for (int k = n - 20; k < 9 && n > 19; k++) {
          f *= 10;
        }
        return LocalDateTime.of(y, mo, d, h, mi, s, f);
      }
    }
    return fromText(ColumnKind.DATETIME, length, column, b);
  }

  /** Temporal text of a shape the fast parse does not take: {@link #fromJdbc}'s path. */
  private static Object fromText(ColumnKind kind, int length, String column, byte[] b) {
    Object v = intermediate(kind, new String(b, java.nio.charset.StandardCharsets.UTF_8));
    return v == null ? ZERO_DATE : finish(kind, length, column, v);
  }

  /** The decimal number in {@code b[from, to)}, or -1 if a byte there is not a digit. */
  private static int digits(byte[] b, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      int c = b[i] - '0';
      if (c < 0 || c > 9) {
        return -1;
      }
      v = v * 10 + c;
    }
    return v;
  }

  /** A value from a chunk SELECT. */
  static Object fromJdbc(ResultSet rs, int index, ColumnKind kind, int length, String column) throws SQLException {
    Object raw = switch (kind) {
      case INT8, INT16, INT32, YEAR -> rs.getLong(index);
      case INT64 -> rs.getLong(index);
      case UNSIGNED_BIGINT, DECIMAL, BIT1, BITS, TIMESTAMP -> rs.getBigDecimal(index);
      case FLOAT -> rs.getFloat(index);
      case DOUBLE -> rs.getDouble(index);
      case BYTES -> rs.getBytes(index);
      default -> rs.getString(index);
    };
    if (rs.wasNull() || raw == null) {
      return null;
    }
    if (kind == ColumnKind.TIMESTAMP && ((BigDecimal) raw).signum() == 0) {
      return ZERO_DATE; // TIMESTAMP holds nothing at the instant 0 but the zero timestamp
    }
    Object v = intermediate(kind, raw);
    return v == null ? ZERO_DATE : finish(kind, length, column, v);
  }

  private static Object intermediate(ColumnKind kind, Object raw) {
    return switch (kind) {
      case DATE -> parseDate((String) raw);
      case TIME -> parseTimeMicros((String) raw);
      case DATETIME -> parseDateTimeMicros((String) raw);
      case TIMESTAMP -> ((BigDecimal) raw).movePointRight(6).longValueExact();
      case BIT1, BITS -> ((BigDecimal) raw).toBigIntegerExact();
      default -> raw;
    };
  }

  /**
   * A value from a Debezium record, in the shapes described on the class. DATE and DATETIME come as
   * the server's text (see {@code DateTextConverter}), or as Debezium's numbers when that converter is
   * replaced through {@code debezium.converters}.
   */
  public static Object fromLog(Object raw, ColumnKind kind, int length, String column) {
    if (raw == null) {
      return null;
    }
    Object v = switch (kind) {
      case DATE -> raw instanceof String s ? parseDate(s) : (Object) ((Number) raw).longValue();
      case DATETIME -> raw instanceof String s ? parseDateTimeMicros(s)
          : (Object) (length <= 3 ? ((Number) raw).longValue() * 1000 : ((Number) raw).longValue());
      case TIMESTAMP -> {
        Instant i = Instant.parse(raw.toString());
        yield i.equals(Instant.EPOCH) ? null : (Object) (i.getEpochSecond() * 1_000_000 + i.getNano() / 1000);
      }
      case BIT1 -> Boolean.TRUE.equals(raw) ? BigInteger.ONE : BigInteger.ZERO;
      case BITS -> littleEndian(bytes(raw));
      case BYTES -> bytes(raw);
      default -> raw;
    };
    return v == null ? ZERO_DATE : finish(kind, length, column, v);
  }

  /** The last step shared by both paths. */
  static Object finish(ColumnKind kind, int length, String column, Object v) {
    try {
      return switch (kind) {
        case INT8, INT16, INT32, YEAR -> ((Number) v).intValue();
        case INT64, TIME -> ((Number) v).longValue();
        case UNSIGNED_BIGINT -> new BigDecimal(v instanceof BigDecimal d ? d.toBigIntegerExact() : new BigInteger(v.toString()));
        case DECIMAL -> (BigDecimal) v;
        case FLOAT -> ((Number) v).floatValue();
        case DOUBLE -> ((Number) v).doubleValue();
        case BIT1 -> ((BigInteger) v).signum() != 0;
        case BITS -> bigEndian((BigInteger) v, (length + 7) / 8);
        case STRING, ENUM, SET -> v.toString();
        case JSON -> normalizeJson(v.toString());
        case BYTES -> (byte[]) v;
        case DATE -> LocalDate.ofEpochDay(((Number) v).longValue());
        case DATETIME -> LocalDateTime.ofEpochSecond(Math.floorDiv(((Number) v).longValue(), 1_000_000L),
            (int) Math.floorMod(((Number) v).longValue(), 1_000_000L) * 1000, ZoneOffset.UTC);
        case TIMESTAMP -> Instant.ofEpochSecond(Math.floorDiv(((Number) v).longValue(), 1_000_000L),
            Math.floorMod(((Number) v).longValue(), 1_000_000L) * 1000);
      };
    } catch (RuntimeException e) {
      throw new DataException("column " + column + ": cannot convert " + v.getClass().getSimpleName() + " value '"
          + v + "' as " + kind + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decides every zero date of a row read by either path ({@code v}: the row's columns in schema
   * order, or only its key columns when {@code keyOnly}), so both paths give the same row.
   *
   * <p>A zero date is {@link #ZERO_DATE}, or null in a NOT NULL temporal column (which holds no SQL
   * null). In nullable DATE and DATETIME columns the binlog reader reports a zero date as NULL
   * (Debezium's row deserializer), so there it reads as null whatever {@code policy} says, except
   * that {@link ZeroDates#FAIL} stops on one the snapshot sees. The zero {@code TIMESTAMP} is the
   * instant 0 on both paths, so the policy applies to it in every column.
   */
  public static void settleZeroDates(TableInfo info, Object[] v, boolean keyOnly, ZeroDates policy) {
    TableSchema t = info.schema();
    for (int i = 0; i < v.length; i++) {
      int col = keyOnly ? t.columnIndex(t.keyColumns().get(i)) : i;
      ColumnKind kind = info.kind(col);
      if (kind != ColumnKind.DATE && kind != ColumnKind.DATETIME && kind != ColumnKind.TIMESTAMP) {
        continue;
      }
      boolean nullable = t.columns().get(col).nullable();
      if (v[i] != ZERO_DATE && (v[i] != null || nullable)) {
        continue;
      }
      v[i] = switch (policy) {
        case FAIL -> throw new DataException("zero date in column " + t.columns().get(col).name() + " of table "
            + t.id() + ", row with key " + keyText(t, v, keyOnly) + ": option 'zero-date.handling' is fail; set it to "
            + "null or epoch to carry zero dates, or correct the row");
        case EPOCH -> nullable && kind != ColumnKind.TIMESTAMP ? null : epoch(kind);
        case NULL -> nullable ? null : epoch(kind);
      };
    }
  }

  /** The positions of {@code info}'s columns that can hold a zero date: its DATE, DATETIME and TIMESTAMP columns. */
  static int[] temporalColumns(TableInfo info) {
    return java.util.stream.IntStream.range(0, info.kinds().size()).filter(i -> info.kind(i) == ColumnKind.DATE
        || info.kind(i) == ColumnKind.DATETIME || info.kind(i) == ColumnKind.TIMESTAMP).toArray();
  }

  private static String keyText(TableSchema t, Object[] v, boolean keyOnly) {
    StringBuilder b = new StringBuilder("(");
    List<String> key = t.keyColumns();
    for (int i = 0; i < key.size(); i++) {
      Object k = v[keyOnly ? i : t.columnIndex(key.get(i))];
      b.append(i == 0 ? "" : ", ").append(key.get(i)).append('=').append(k == ZERO_DATE ? "zero date" : k);
    }
    return b.append(')').toString();
  }

  /** The epoch as a column of {@code kind}: 1970-01-01, its midnight, or the instant 0. */
  private static Object epoch(ColumnKind kind) {
    return switch (kind) {
      case DATE -> LocalDate.EPOCH;
      case DATETIME -> LocalDateTime.of(LocalDate.EPOCH, java.time.LocalTime.MIDNIGHT);
      default -> Instant.EPOCH;
    };
  }

  /** {@code YYYY-MM-DD} to epoch days; a zero date (or one with a zero part) is null. */
  static Long parseDate(String s) {
    // The server's own spelling, YYYY-MM-DD, read digit by digit: a snapshot parses one per
    // temporal value, and a formatter costs several times the rest of the row's conversion.
    if (s.length() >= 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
      int y = digits(s, 0, 4);
      int m = digits(s, 5, 7);
      int d = digits(s, 8, 10);
      if (y >= 0 && m >= 0 && d >= 0) {
        return y == 0 || m == 0 || d == 0 ? null : LocalDate.of(y, m, d).toEpochDay();
      }
    }
    if (s.startsWith("0000") || s.contains("-00")) {
      return null;
    }
    return LocalDate.parse(s.substring(0, 10)).toEpochDay();
  }

  /** The decimal number in {@code s[from, to)}, or -1 if a character there is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** {@code [-]H+:MM:SS[.ffffff]} to microseconds, negative and beyond 24 hours included. */
  static long parseTimeMicros(String s) {
    long fast = parseTimeMicrosFast(s);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    boolean negative = s.startsWith("-");
    String t = negative ? s.substring(1) : s;
    String[] hms = t.split(":");
    String[] sec = hms[2].split("\\.");
    long micros = (Long.parseLong(hms[0]) * 3600 + Long.parseLong(hms[1]) * 60 + Long.parseLong(sec[0])) * 1_000_000L;
    if (sec.length > 1) {
      micros += Long.parseLong((sec[1] + "000000").substring(0, 6));
    }
    return negative ? -micros : micros;
  }

  /** {@link #parseTimeMicros} without splitting strings; {@code Long.MIN_VALUE} for any other shape. */
  private static long parseTimeMicrosFast(String s) {
    int n = s.length();
    boolean negative = n > 0 && s.charAt(0) == '-';
    int i = negative ? 1 : 0;
    int colon = s.indexOf(':', i);
    if (colon <= i || colon - i > 9 || n < colon + 6 || s.charAt(colon + 3) != ':') {
      return Long.MIN_VALUE;
    }
    int h = digits(s, i, colon);
    int m = digits(s, colon + 1, colon + 3);
    int sec = digits(s, colon + 4, colon + 6);
    if (h < 0 || m < 0 || sec < 0) {
      return Long.MIN_VALUE;
    }
    long micros = ((long) h * 3600 + m * 60L + sec) * 1_000_000L;
    int f = colon + 6;
    if (f < n) {
      int digitsAfter = n - f - 1;
      if (s.charAt(f) != '.' || digitsAfter < 1 || digitsAfter > 6) {
        return Long.MIN_VALUE;
      }
      int frac = digits(s, f + 1, n);
      if (frac < 0) {
        return Long.MIN_VALUE;
      }
      for (int k = digitsAfter; k < 6; k++) {
        frac *= 10;
      }
      micros += frac;
    }
    return negative ? -micros : micros;
  }

  /** {@code YYYY-MM-DD HH:MM:SS[.ffffff]} to microseconds since the epoch, read as UTC; zero dates are null. */
  static Long parseDateTimeMicros(String s) {
    Long day = parseDate(s);
    if (day == null) {
      return null;
    }
    long micros = s.length() > 10 ? parseTimeMicros(s.substring(11)) : 0;
    return day * MICROS_PER_DAY + micros;
  }

  private static byte[] bytes(Object raw) {
    if (raw instanceof ByteBuffer b) {
      ByteBuffer d = b.duplicate();
      byte[] a = new byte[d.remaining()];
      d.get(a);
      return a;
    }
    return (byte[]) raw;
  }

  private static BigInteger littleEndian(byte[] b) {
    byte[] r = b.clone();
    for (int i = 0; i < r.length / 2; i++) {
      byte t = r[i];
      r[i] = r[r.length - 1 - i];
      r[r.length - 1 - i] = t;
    }
    return new BigInteger(1, r);
  }

  private static byte[] bigEndian(BigInteger v, int width) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[width];
    int n = Math.min(width, raw.length);
    System.arraycopy(raw, raw.length - n, out, width - n, n);
    return out;
  }

  /** JSON as compact text with the key order kept, so the server's and the binlog's spellings agree. */
  static String normalizeJson(String text) {
    try {
      return JSON.writeValueAsString(JSON.readTree(text));
    } catch (IOException e) {
      return text;
    }
  }
}
