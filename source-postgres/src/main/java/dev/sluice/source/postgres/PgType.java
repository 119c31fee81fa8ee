package dev.sluice.source.postgres;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.LogicalType;
import java.util.Locale;

/**
 * How a PostgreSQL column type maps to a core type. One mapping for the catalog and the log, so a
 * table has the same schema whichever described it; {@link PgValues} holds the one conversion of
 * values.
 */
public enum PgType {
  INT16, INT32, INT64, NUMERIC, FLOAT32, FLOAT64, MONEY, BOOLEAN, TEXT, BYTES, DATE, TIME, TIMETZ, TIMESTAMP, TIMESTAMPTZ,
  UUID, JSON, ENUM, INTERVAL, ARRAY;

  /** A column's kind and logical type, and for an array the kind of its elements. */
  public record Mapped(PgType kind, LogicalType type, PgType element) {
    Mapped(PgType kind, LogicalType type) {
      this(kind, type, null);
    }
  }

  /**
   * @param typeName the type's name ({@code pg_type.typname}; for domains, the base type's)
   * @param enumType whether it is an enum type
   * @param precision digits of a numeric (0: unconstrained) or fractional digits of a time type
   */
  static Mapped map(String column, String typeName, boolean enumType, int precision, int scale) {
    if (enumType) {
      return new Mapped(ENUM, new LogicalType(LogicalType.Kind.ENUM, 0, 0, null));
    }
    String t = typeName.toLowerCase(Locale.ROOT);
    if (t.startsWith("_")) {
      Mapped e = map(column, t.substring(1), false, -1, 0);
      if (!java.util.EnumSet.of(INT16, INT32, INT64, NUMERIC, FLOAT32, FLOAT64, BOOLEAN, TEXT, UUID).contains(e.kind())) {
        throw new ConfigurationException("column " + column + " is an array of " + t.substring(1)
            + ", which this source does not support yet; exclude the table from the tables option");
      }
      return new Mapped(ARRAY, LogicalType.arrayOf(e.type()), e.kind());
    }
    int fsp = precision < 0 || precision > 6 ? 6 : precision;
    return switch (t) {
      case "int2" -> new Mapped(INT16, LogicalType.INT16);
      case "int4" -> new Mapped(INT32, LogicalType.INT32);
      case "int8" -> new Mapped(INT64, LogicalType.INT64);
      case "numeric" -> new Mapped(NUMERIC, LogicalType.decimal(Math.max(precision, 0), Math.max(scale, 0)));
      case "float4" -> new Mapped(FLOAT32, LogicalType.FLOAT32);
      case "float8" -> new Mapped(FLOAT64, LogicalType.FLOAT64);
      case "money" -> new Mapped(MONEY, LogicalType.decimal(19, 2));
      case "bool" -> new Mapped(BOOLEAN, LogicalType.BOOLEAN);
      case "text", "varchar", "bpchar", "name", "citext" -> new Mapped(TEXT, LogicalType.STRING);
      case "bytea" -> new Mapped(BYTES, LogicalType.BYTES);
      case "date" -> new Mapped(DATE, LogicalType.DATE);
      case "time" -> new Mapped(TIME, LogicalType.time(fsp));
      // The log hands over the time of day in UTC only (not the offset it was written with), so both
      // paths give the same instant of the day as ISO text in UTC, e.g. 08:30:00.25Z.
      case "timetz" -> new Mapped(TIMETZ, LogicalType.STRING);
      case "timestamp" -> new Mapped(TIMESTAMP, LogicalType.timestamp(fsp));
      case "timestamptz" -> new Mapped(TIMESTAMPTZ, LogicalType.timestampTz(fsp));
      case "uuid" -> new Mapped(UUID, LogicalType.UUID);
      case "interval" -> new Mapped(INTERVAL, LogicalType.STRING);
      case "json", "jsonb" -> new Mapped(JSON, LogicalType.JSON);
      default -> throw new ConfigurationException("column " + column + " has the type " + t
          + ", which this source does not support yet (supported: integers, numeric, float, money, bool, text types, "
          + "bytea, date, time(tz), timestamp(tz), interval, uuid, json(b), enums, arrays of the simple ones and domains over them); exclude the table from "
          + "the tables option or change the column's type");
    };
  }
}
