package dev.sluice.core.event;

import java.util.Objects;

/**
 * The one type system every source converts into and every sink converts from. Each kind has a
 * single Java representation, so a value read by a SELECT and the same value read from the log are
 * {@code equals}:
 *
 * <pre>
 * BOOLEAN  Boolean          INT8/INT16/INT32 Integer     INT64 Long
 * DECIMAL  BigDecimal (precision/scale kept; unsigned BIGINT arrives as DECIMAL(20,0))
 * FLOAT32  Float            FLOAT64 Double               STRING, JSON, ENUM Java String
 * BYTES    byte[]           UUID java.util.UUID
 * DATE     LocalDate        TIME(p) LocalTime            TIMESTAMP(p) LocalDateTime (no zone)
 * TIMESTAMP_TZ(p) Instant (UTC)                          ARRAY(element) java.util.List
 * </pre>
 *
 * {@code precision} is the digits of a DECIMAL, the fractional-second digits of a time type, the
 * length of a string (0 when unbounded); {@code scale} is used by DECIMAL only.
 */
public record LogicalType(Kind kind, int precision, int scale, LogicalType element) {

  public enum Kind {
    BOOLEAN, INT8, INT16, INT32, INT64, DECIMAL, FLOAT32, FLOAT64, STRING, BYTES, JSON, UUID, ENUM,
    DATE, TIME, TIMESTAMP, TIMESTAMP_TZ, ARRAY
  }

  public static final LogicalType BOOLEAN = of(Kind.BOOLEAN);
  public static final LogicalType INT8 = of(Kind.INT8);
  public static final LogicalType INT16 = of(Kind.INT16);
  public static final LogicalType INT32 = of(Kind.INT32);
  public static final LogicalType INT64 = of(Kind.INT64);
  public static final LogicalType FLOAT32 = of(Kind.FLOAT32);
  public static final LogicalType FLOAT64 = of(Kind.FLOAT64);
  public static final LogicalType STRING = of(Kind.STRING);
  public static final LogicalType BYTES = of(Kind.BYTES);
  public static final LogicalType JSON = of(Kind.JSON);
  public static final LogicalType UUID = of(Kind.UUID);
  public static final LogicalType DATE = of(Kind.DATE);

  public LogicalType {
    Objects.requireNonNull(kind, "kind");
    if (precision < 0 || scale < 0) {
      throw new IllegalArgumentException("negative precision or scale for " + kind);
    }
    if ((kind == Kind.ARRAY) != (element != null)) {
      throw new IllegalArgumentException("ARRAY, and only ARRAY, has an element type");
    }
    if (kind == Kind.DECIMAL && scale > precision && precision > 0) {
      throw new IllegalArgumentException("DECIMAL scale " + scale + " exceeds precision " + precision);
    }
  }

  private static LogicalType of(Kind kind) {
    return new LogicalType(kind, 0, 0, null);
  }

  public static LogicalType decimal(int precision, int scale) {
    return new LogicalType(Kind.DECIMAL, precision, scale, null);
  }

  public static LogicalType string(int length) {
    return new LogicalType(Kind.STRING, length, 0, null);
  }

  public static LogicalType time(int fractionDigits) {
    return new LogicalType(Kind.TIME, fractionDigits, 0, null);
  }

  public static LogicalType timestamp(int fractionDigits) {
    return new LogicalType(Kind.TIMESTAMP, fractionDigits, 0, null);
  }

  public static LogicalType timestampTz(int fractionDigits) {
    return new LogicalType(Kind.TIMESTAMP_TZ, fractionDigits, 0, null);
  }

  public static LogicalType arrayOf(LogicalType element) {
    return new LogicalType(Kind.ARRAY, 0, 0, element);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
      case STRING -> precision == 0 ? "STRING" : "STRING(" + precision + ")";
      case TIME, TIMESTAMP, TIMESTAMP_TZ -> kind + "(" + precision + ")";
      case ARRAY -> "ARRAY<" + element + ">";
      default -> kind.name();
    };
  }
}
