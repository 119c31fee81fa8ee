package dev.sluice.sink.jdbc.dialect;

import dev.sluice.core.event.LogicalType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL: {@code INSERT ... ON CONFLICT (key) DO UPDATE}, double-quoted identifiers, native
 * {@code uuid}, {@code jsonb}, {@code timestamptz} and arrays. DDL is transactional, so a schema
 * change commits atomically with the rows and the checkpoint.
 */
public final class PostgresDialect implements Dialect {
  /** PostgreSQL keeps at most microseconds. */
  private static final int MAX_FRACTION = 6;

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public boolean accepts(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:postgresql:");
  }

  @Override
  public String columnType(LogicalType type, boolean key) {
    return switch (type.kind()) {
      case BOOLEAN -> "boolean";
      case INT8, INT16 -> "smallint";
      case INT32 -> "integer";
      case INT64 -> "bigint";
      case DECIMAL -> type.precision() == 0 ? "numeric" : "numeric(" + type.precision() + "," + type.scale() + ")";
      case FLOAT32 -> "real";
      case FLOAT64 -> "double precision";
      case STRING -> type.precision() == 0 ? "text" : "varchar(" + type.precision() + ")";
      case ENUM -> "text";
      case BYTES -> "bytea";
      case JSON -> "jsonb";
      case UUID -> "uuid";
      case DATE -> "date";
      case TIME -> "time(" + fraction(type) + ")";
      case TIMESTAMP -> "timestamp(" + fraction(type) + ")";
      case TIMESTAMP_TZ -> "timestamptz(" + fraction(type) + ")";
      case ARRAY -> columnType(type.element(), false) + "[]";
    };
  }

  private static int fraction(LogicalType type) {
    if (type.precision() > MAX_FRACTION) {
      throw new IllegalArgumentException(type + " has " + type.precision()
          + " fractional digits; PostgreSQL keeps at most " + MAX_FRACTION);
    }
    return type.precision();
  }

  @Override
  public String upsert(String table, List<String> columns, List<String> keyColumns, int rows) {
    return insertOnConflict(table, columns, keyColumns, rows);
  }

  /** Only a table's owner may alter or drop it; creating one needs CREATE on its schema. */
  @Override
  public String privilegeFor(Ddl ddl, String namespace, String table) {
    return switch (ddl) {
      case CREATE_TABLE -> "CREATE on schema " + namespace + " (GRANT CREATE ON SCHEMA " + quote(namespace) + " TO ...)";
      case ALTER_TABLE, DROP_TABLE -> "ownership of table " + table + " (PostgreSQL lets only a table's owner alter or "
          + "drop it: ALTER TABLE " + table + " OWNER TO ...)";
      case TRUNCATE_TABLE -> "TRUNCATE on table " + table + " (GRANT TRUNCATE ON " + table + " TO ...)";
    };
  }

  @Override
  public void bind(Connection connection, PreparedStatement ps, int i, LogicalType type, Object value) throws SQLException {
    switch (type.kind()) {
      case JSON -> ps.setObject(i, value, Types.OTHER);
      // As text the server parses (typed by the target column): the driver's binary NUMERIC form
      // divides a BigInteger per value, a fifth of the sink's own CPU on the bench's narrow rows.
      case DECIMAL -> ps.setObject(i, ((BigDecimal) value).toPlainString(), Types.OTHER);
      case TIMESTAMP_TZ -> ps.setObject(i, ((Instant) value).atOffset(ZoneOffset.UTC));
      case BYTES -> ps.setBytes(i, (byte[]) value);
      case ARRAY -> ps.setArray(i, connection.createArrayOf(elementTypeName(type.element()), ((List<?>) value).toArray()));
      default -> ps.setObject(i, value);
    }
  }

  private String elementTypeName(LogicalType element) {
    String t = columnType(element, false);
    int paren = t.indexOf('(');
    return paren < 0 ? t : t.substring(0, paren);
  }

  @Override
  public int sqlType(LogicalType type) {
    return switch (type.kind()) {
      case JSON, UUID -> Types.OTHER;
      case BYTES -> Types.BINARY;
      case ARRAY -> Types.ARRAY;
      default -> Types.NULL;
    };
  }

  @Override
  public String alterColumnType(String table, String column, String newType, boolean nullable) {
    return "ALTER TABLE " + table + " ALTER COLUMN " + quote(column) + " TYPE " + newType
        + " USING " + quote(column) + "::" + newType;
  }

  @Override
  public String dropNotNull(String table, String column, String type) {
    return "ALTER TABLE " + table + " ALTER COLUMN " + quote(column) + " DROP NOT NULL";
  }

  @Override
  public String currentNamespaceQuery() {
    return "SELECT current_schema()";
  }

  @Override
  public boolean transactionalDdl() {
    return true;
  }

  @Override
  public Map<String, String> driverDefaults(Duration connectTimeout) {
    return Map.of("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())),
        "socketTimeout", "0", "ApplicationName", "sluice");
  }
}
