package dev.sluice.source.postgres;

import dev.sluice.core.SluiceException.DataException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The one conversion of values. The chunk SELECT reads every non-trivial column as PostgreSQL's own
 * text ({@link #selectExpression}, with the session in UTC and ISO dates; money as numeric, so no
 * locale is involved) and Debezium is configured
 * to hand over text or exact numbers ({@code decimal.handling.mode=string}, {@code
 * time.precision.mode=adaptive_time_microseconds}, {@code binary.handling.mode=bytes}); both end
 * in the same parsing here, so a value is the same whichever path read it.
 */
public final class PgValues {
  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').append(DateTimeFormatter.ISO_LOCAL_TIME)
      .toFormatter();
  private static final DateTimeFormatter TIMESTAMPTZ = new DateTimeFormatterBuilder()
      .append(TIMESTAMP).appendPattern("X").toFormatter();
  /** PostgreSQL's timetz text ({@code 10:30:00.25+02}, {@code 10:30:00-03:30}) and ISO's ({@code 08:30:00.25Z}). */
  private static final DateTimeFormatter TIMETZ = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_TIME).parseLenient().appendOffset("+HH:MM:ss", "Z").toFormatter();

  private PgValues() {}

  /** The SELECT expression of a column: text for the kinds parsed from text, the column otherwise. */
  static String selectExpression(PgType kind, String quotedColumn) {
    return switch (kind) {
      case MONEY -> quotedColumn + "::numeric::text";
      case NUMERIC, DATE, TIME, TIMETZ, TIMESTAMP, TIMESTAMPTZ, UUID, JSON, ENUM, INTERVAL -> quotedColumn + "::text";
      case ARRAY -> quotedColumn + "::text[]";
      default -> quotedColumn;
    };
  }

  /** A value of the chunk SELECT. */
  static Object fromJdbc(ResultSet rs, int i, PgType kind, PgType element, String column) throws SQLException {
    if (kind == PgType.ARRAY) {
      java.sql.Array a = rs.getArray(i);
      return a == null ? null : elements((Object[]) a.getArray(), element, column);
    }
    Object v = switch (kind) {
      case INT16, INT32 -> rs.getInt(i);
      case INT64 -> rs.getLong(i);
      case FLOAT32 -> rs.getFloat(i);
      case FLOAT64 -> rs.getDouble(i);
      case BOOLEAN -> rs.getBoolean(i);
      case BYTES -> rs.getBytes(i);
      default -> rs.getString(i);
    };
    return rs.wasNull() ? null : fromText(v, kind, column);
  }

  /** A value of Debezium's record. */
  public static Object fromLog(Object raw, PgType kind, PgType element, int precision, String column) {
    if (raw == null) {
      return null;
    }
    return switch (kind) {
      case ARRAY -> elements(((List<?>) raw).toArray(), element, column);
      case INT16, INT32 -> ((Number) raw).intValue();
      case INT64 -> ((Number) raw).longValue();
      case FLOAT32 -> ((Number) raw).floatValue();
      case FLOAT64 -> ((Number) raw).doubleValue();
      case BOOLEAN -> raw;
      case BYTES -> raw instanceof ByteBuffer b ? bytes(b) : raw;
      case DATE -> raw instanceof Number n ? LocalDate.ofEpochDay(n.longValue()) : fromText(raw, kind, column);
      case TIME -> raw instanceof Number n ? LocalTime.ofNanoOfDay(n.longValue() * 1_000L) : fromText(raw, kind, column);
      case TIMESTAMP -> raw instanceof Number n ? timestamp(precision <= 3 ? n.longValue() * 1_000L : n.longValue())
          : fromText(raw, kind, column);
      case TIMESTAMPTZ -> raw instanceof String s && s.contains("T") ? OffsetDateTime.parse(s).toInstant()
          : fromText(raw, kind, column);
      case MONEY -> raw instanceof BigDecimal d ? d.setScale(2) : fromText(raw, kind, column);
      default -> fromText(raw, kind, column);
    };
  }

  /**
   * An array's elements, each through the conversion of its kind: the SELECT reads them as text
   * ({@code ::text[]}), Debezium hands over its own representation per element.
   */
  private static List<Object> elements(Object[] values, PgType element, String column) {
    List<Object> out = new ArrayList<>(values.length);
    for (Object v : values) {
      if (v instanceof Object[]) {
        throw new DataException("column " + column + " holds a multi-dimensional array, which this source does "
            + "not support (the log does not carry it faithfully); exclude the table or flatten the column");
      } else if (v instanceof String s) {
        out.add(fromElementText(s, element, column));
      } else {
        out.add(fromLog(v, element, null, 6, column));
      }
    }
    return out;
  }

  private static Object fromElementText(String s, PgType element, String column) {
    return switch (element) {
      case INT16, INT32 -> Integer.parseInt(s);
      case INT64 -> Long.parseLong(s);
      case FLOAT32 -> Float.parseFloat(s);
      case FLOAT64 -> Double.parseDouble(s);
      case BOOLEAN -> s.equals("t") || s.equals("true");
      default -> fromText(s, element, column);
    };
  }

  /** Microseconds since the epoch as a wall-clock time (Debezium sends a TIMESTAMP as if in UTC). */
  private static LocalDateTime timestamp(long micros) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        (int) Math.floorMod(micros, 1_000_000L) * 1_000, ZoneOffset.UTC);
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] a = new byte[d.remaining()];
    d.get(a);
    return a;
  }

  /** The shared last step: a JDBC value or PostgreSQL's text form to the core value. */
  static Object fromText(Object v, PgType kind, String column) {
    if (!(v instanceof String s)) {
      return v;
    }
    try {
      return switch (kind) {
        case NUMERIC -> numeric(s, column);
        case MONEY -> money(s);
        case DATE -> LocalDate.parse(finite(s, column));
        case TIME -> LocalTime.parse(s);
        case TIMETZ -> OffsetTime.parse(s, TIMETZ).withOffsetSameInstant(ZoneOffset.UTC)
            .format(DateTimeFormatter.ISO_OFFSET_TIME);
        case TIMESTAMP -> LocalDateTime.parse(finite(s, column), TIMESTAMP);
        case TIMESTAMPTZ -> OffsetDateTime.parse(finite(s, column), TIMESTAMPTZ).toInstant();
        case UUID -> java.util.UUID.fromString(s);
        case INTERVAL -> Intervals.canonical(s);
        default -> s;
      };
    } catch (RuntimeException e) {
      if (e instanceof DataException d) {
        throw d;
      }
      throw new DataException("column " + column + ": cannot read the value '" + s + "' as " + kind, e);
    }
  }

  private static BigDecimal numeric(String s, String column) {
    if (s.equals("NaN") || s.endsWith("Infinity")) {
      throw new DataException("column " + column + " holds the numeric " + s
          + ", which a decimal cannot carry; exclude the table or replace the value (e.g. with NULL)");
    }
    return new BigDecimal(s);
  }

  private static BigDecimal money(String s) {
    String t = s.replace("$", "").replace(",", "").trim();
    boolean negative = t.startsWith("(") || t.startsWith("-");
    t = t.replace("(", "").replace(")", "").replace("-", "");
    BigDecimal d = new BigDecimal(t).setScale(2);
    return negative ? d.negate() : d;
  }

  private static String finite(String s, String column) {
    if (s.endsWith("infinity") || s.endsWith(" BC")) {
      throw new DataException("column " + column + " holds '" + s
          + "', which has no Java date/time value; exclude the table or replace the value");
    }
    return s;
  }
}
