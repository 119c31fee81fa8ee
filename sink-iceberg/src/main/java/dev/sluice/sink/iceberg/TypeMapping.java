package dev.sluice.sink.iceberg;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.TableId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Sluice's logical types as Iceberg types, and values as Iceberg's generic data model holds them.
 * Nothing is lossy: a type Iceberg cannot hold exactly is refused, naming the table and column, or
 * (decimals wider than 38 digits, under {@code decimal.overflow: string}) kept as its exact text.
 */
final class TypeMapping {
  /** The widest decimal Iceberg holds. */
  static final int MAX_DECIMAL_PRECISION = 38;
  /** Iceberg's time types (format v2) hold microseconds. */
  static final int MAX_FRACTION_DIGITS = 6;

  private final boolean wideDecimalAsString;

  TypeMapping(boolean wideDecimalAsString) {
    this.wideDecimalAsString = wideDecimalAsString;
  }

  /** The Iceberg type of a column of {@code table}; element ids of lists come from {@code ids}. */
  Type icebergType(TableId table, Column column, IdSource ids) {
    return icebergType(table, column.name(), column.type(), ids);
  }

  private Type icebergType(TableId table, String column, LogicalType t, IdSource ids) {
    return switch (t.kind()) {
      case BOOLEAN -> Types.BooleanType.get();
      case INT8, INT16, INT32 -> Types.IntegerType.get();
      case INT64 -> Types.LongType.get();
      case DECIMAL -> {
        if (t.precision() >= 1 && t.precision() <= MAX_DECIMAL_PRECISION) {
          yield Types.DecimalType.of(t.precision(), t.scale());
        }
        if (wideDecimalAsString) {
          yield Types.StringType.get();
        }
        throw refused(table, column, t, t.precision() == 0
            ? "a decimal of unbounded precision does not fit Iceberg's decimal(38, s)"
            : "a decimal wider than 38 digits does not fit Iceberg's decimal(38, s)",
            "set decimal.overflow: string to keep its exact digits as text");
      }
      case FLOAT32 -> Types.FloatType.get();
      case FLOAT64 -> Types.DoubleType.get();
      case STRING, JSON, ENUM -> Types.StringType.get();
      case BYTES -> Types.BinaryType.get();
      case UUID -> Types.UUIDType.get();
      case DATE -> Types.DateType.get();
      case TIME -> {
        fractions(table, column, t);
        yield Types.TimeType.get();
      }
      case TIMESTAMP -> {
        fractions(table, column, t);
        yield Types.TimestampType.withoutZone();
      }
      case TIMESTAMP_TZ -> {
        fractions(table, column, t);
        yield Types.TimestampType.withZone();
      }
      case ARRAY -> Types.ListType.ofOptional(ids.next(), icebergType(table, column, t.element(), ids));
    };
  }

  private static void fractions(TableId table, String column, LogicalType t) {
    if (t.precision() > MAX_FRACTION_DIGITS) {
      throw refused(table, column, t, "Iceberg format v2 keeps time to the microsecond, this type has "
          + t.precision() + " fractional digits", "cast the column to 6 fractional digits in a transform");
    }
  }

  private static ConfigurationException refused(TableId table, String column, LogicalType t, String why, String fix) {
    return new ConfigurationException("iceberg sink: table " + table + " column '" + column + "' of type " + t
        + " is refused: " + why + "; " + fix);
  }

  /** A source value as Iceberg's generic model holds it in a column of {@code type}. */
  static Object toIceberg(Object v, LogicalType logical, Type type) {
    if (v == null) {
      return null;
    }
    return switch (type.typeId()) {
      // A column kept narrower than the source's (ignore or lenient policies) takes a value only
      // when it fits exactly.
      case INTEGER -> v instanceof Integer ? v : Math.toIntExact(((Number) v).longValue());
      case LONG -> v instanceof Long ? v : ((Number) v).longValue();
      case FLOAT -> {
        if (v instanceof Float) {
          yield v;
        }
        double d = ((Number) v).doubleValue();
        if ((float) d != d && !Double.isNaN(d)) {
          throw new ArithmeticException(d + " does not fit a float column");
        }
        yield (float) d;
      }
      case DOUBLE -> v instanceof Double ? v : ((Number) v).doubleValue();
      case DECIMAL -> {
        Types.DecimalType dt = (Types.DecimalType) type;
        BigDecimal d = v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
        // A value with fewer digits after the point than the column is padded; more would be a
        // rounding and is refused by UNNECESSARY.
        BigDecimal out = d.scale() == dt.scale() ? d : d.setScale(dt.scale(), RoundingMode.UNNECESSARY);
        if (out.precision() > dt.precision()) {
          throw new ArithmeticException(d + " does not fit " + dt);
        }
        yield out;
      }
      case STRING -> v instanceof BigDecimal d ? d.toPlainString() : v.toString();
      case BINARY -> ByteBuffer.wrap((byte[]) v);
      case TIMESTAMP -> v instanceof Instant i ? i.atOffset(ZoneOffset.UTC) : v;
      case LIST -> {
        List<?> in = (List<?>) v;
        List<Object> out = new ArrayList<>(in.size());
        Type element = ((Types.ListType) type).elementType();
        for (Object e : in) {
          out.add(toIceberg(e, logical == null ? null : logical.element(), element));
        }
        yield out;
      }
      default -> v;
    };
  }

  /** Hands out field ids for nested fields; the catalog renumbers them when a table is created. */
  static final class IdSource {
    private int next;

    IdSource(int first) {
      this.next = first;
    }

    int next() {
      return next++;
    }
  }
}
