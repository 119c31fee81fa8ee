package dev.sluice.source.mysql;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.LogicalType;
import java.util.Locale;

/**
 * How a MySQL/MariaDB column type maps to the core types. One mapping for both the catalog
 * ({@code information_schema}) and Debezium's DDL-derived table definitions, so a table described
 * either way gets the same schema.
 */
public enum ColumnKind {
  INT8, INT16, INT32, INT64, UNSIGNED_BIGINT, DECIMAL, FLOAT, DOUBLE, BIT1, BITS, STRING, ENUM, SET, JSON, BYTES,
  DATE, TIME, DATETIME, TIMESTAMP, YEAR;

  /** A column's kind and logical type. */
  public record Mapped(ColumnKind kind, LogicalType type) {}

  /**
   * @param typeName the type's name as the catalog ({@code DATA_TYPE}) or Debezium gives it, any case,
   *     with {@code UNSIGNED} where it applies
   * @param length digits of a DECIMAL, fractional digits of a time type, bits of a BIT, or the
   *     declared length; -1 when unknown
   */
  static Mapped map(String column, String typeName, boolean unsigned, int length, int scale) {
    String t = typeName.toUpperCase(Locale.ROOT).replace(" ZEROFILL", "").trim();
    if (t.endsWith(" UNSIGNED")) {
      unsigned = true;
      t = t.substring(0, t.length() - " UNSIGNED".length()).trim();
    }
    int fsp = Math.max(0, Math.min(length, 6));
    return switch (t) {
      case "TINYINT" -> unsigned ? of(INT16, LogicalType.INT16) : of(INT8, LogicalType.INT8);
      case "SMALLINT" -> unsigned ? of(INT32, LogicalType.INT32) : of(INT16, LogicalType.INT16);
      case "MEDIUMINT" -> of(INT32, LogicalType.INT32);
      case "INT", "INTEGER" -> unsigned ? of(INT64, LogicalType.INT64) : of(INT32, LogicalType.INT32);
      case "BIGINT" -> unsigned ? of(UNSIGNED_BIGINT, LogicalType.decimal(20, 0)) : of(INT64, LogicalType.INT64);
      case "DECIMAL", "NUMERIC", "DEC", "FIXED" -> of(DECIMAL, LogicalType.decimal(length <= 0 ? 10 : length, Math.max(scale, 0)));
      case "FLOAT" -> of(FLOAT, LogicalType.FLOAT32);
      case "DOUBLE", "REAL", "DOUBLE PRECISION" -> of(DOUBLE, LogicalType.FLOAT64);
      case "BIT" -> length <= 1 ? of(BIT1, LogicalType.BOOLEAN) : of(BITS, LogicalType.BYTES);
      case "BOOL", "BOOLEAN" -> of(INT8, LogicalType.INT8);
      case "CHAR", "VARCHAR", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT", "NCHAR", "NVARCHAR" -> of(STRING, LogicalType.STRING);
      case "ENUM" -> of(ENUM, new LogicalType(LogicalType.Kind.ENUM, 0, 0, null));
      case "SET" -> of(SET, LogicalType.STRING);
      case "JSON" -> of(JSON, LogicalType.JSON);
      case "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> of(BYTES, LogicalType.BYTES);
      case "DATE" -> of(DATE, LogicalType.DATE);
      case "TIME" -> of(TIME, LogicalType.INT64);
      case "DATETIME" -> of(DATETIME, LogicalType.timestamp(fsp));
      case "TIMESTAMP" -> of(TIMESTAMP, LogicalType.timestampTz(fsp));
      case "YEAR" -> of(YEAR, LogicalType.INT32);
      case "GEOMETRY", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON",
          "GEOMETRYCOLLECTION", "GEOMCOLLECTION" -> throw new ConfigurationException("column " + column
          + " has the spatial type " + t + ", which this source does not support yet; exclude the table "
          + "(tables.exclude) or drop the column from the capture");
      default -> throw new ConfigurationException("column " + column + " has the type " + t
          + ", which this source does not know; exclude the table (tables.exclude)");
    };
  }

  private static Mapped of(ColumnKind k, LogicalType t) {
    return new Mapped(k, t);
  }
}
