package dev.sluice.sink.jdbc.dialect;

import dev.sluice.core.event.LogicalType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * MySQL 8 and MariaDB 10.5+: {@code INSERT ... ON DUPLICATE KEY UPDATE}, backquoted identifiers,
 * tables in {@code utf8mb4} with a binary collation (keys that differ only in case stay apart, as
 * in the source). MySQL has no zoned timestamp, no uuid and no arrays: {@code TIMESTAMP_TZ} is a
 * {@code DATETIME(p)} holding UTC, {@code UUID} a {@code CHAR(36)}, an array a JSON array.
 * DDL commits the open transaction implicitly.
 */
public final class MySqlDialect implements Dialect {
  private static final int MAX_FRACTION = 6;
  /** InnoDB's index limit is 3072 bytes: 768 four-byte characters for a whole key. */
  private static final int MAX_KEY_CHARS = 768;
  /**
   * An unbounded string in a key gets 255 characters, so that a key of three such columns still
   * fits the index limit; a longer value is refused with an error naming its key, never cut.
   */
  private static final int UNBOUNDED_KEY_CHARS = 255;
  /** A row holds at most 65535 bytes; longer strings go to TEXT types kept off the row. */
  private static final int MAX_VARCHAR_CHARS = 16_383;

  @Override
  public String name() {
    return "mysql";
  }

  @Override
  public String privilegeFor(Ddl ddl, String namespace, String table) {
    return switch (ddl) {
      case CREATE_TABLE -> "CREATE on database " + namespace + " (GRANT CREATE ON " + quote(namespace) + ".* TO ...)";
      case ALTER_TABLE -> "ALTER on table " + table + " (GRANT ALTER ON " + table + " TO ...)";
      case TRUNCATE_TABLE -> "DROP on table " + table + " (TRUNCATE needs it: GRANT DROP ON " + table + " TO ...)";
      case DROP_TABLE -> "DROP on table " + table + " (GRANT DROP ON " + table + " TO ...)";
    };
  }

  @Override
  public boolean accepts(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.startsWith("jdbc:mariadb:");
  }

  @Override
  public String quote(String identifier) {
    return '`' + identifier.replace("`", "``") + '`';
  }

  @Override
  public String columnType(LogicalType type, boolean key) {
    return switch (type.kind()) {
      case BOOLEAN -> "BOOLEAN";
      case INT8 -> "TINYINT";
      case INT16 -> "SMALLINT";
      case INT32 -> "INT";
      case INT64 -> "BIGINT";
      case DECIMAL -> decimal(type);
      case FLOAT32 -> "FLOAT";
      case FLOAT64 -> "DOUBLE";
      case STRING, ENUM -> string(type.precision(), key);
      case BYTES -> key ? "VARBINARY(" + UNBOUNDED_KEY_CHARS + ")" : "LONGBLOB";
      case JSON, ARRAY -> "JSON";
      case UUID -> "CHAR(36)";
      case DATE -> "DATE";
      case TIME -> "TIME(" + fraction(type) + ")";
      case TIMESTAMP, TIMESTAMP_TZ -> "DATETIME(" + fraction(type) + ")";
    };
  }

  private static String decimal(LogicalType type) {
    if (type.precision() == 0) {
      return "DECIMAL(65,30)";
    }
    if (type.precision() > 65 || type.scale() > 30) {
      throw new IllegalArgumentException(type + " exceeds MySQL's DECIMAL(65,30)");
    }
    return "DECIMAL(" + type.precision() + "," + type.scale() + ")";
  }

  private static String string(int length, boolean key) {
    if (key) {
      if (length > MAX_KEY_CHARS) {
        throw new IllegalArgumentException("a key column of " + length + " characters exceeds MySQL's index limit of "
            + MAX_KEY_CHARS);
      }
      return "VARCHAR(" + (length == 0 ? UNBOUNDED_KEY_CHARS : length) + ")";
    }
    return length == 0 ? "LONGTEXT" : length <= MAX_VARCHAR_CHARS ? "VARCHAR(" + length + ")" : "LONGTEXT";
  }

  private static int fraction(LogicalType type) {
    if (type.precision() > MAX_FRACTION) {
      throw new IllegalArgumentException(type + " has " + type.precision()
          + " fractional digits; MySQL keeps at most " + MAX_FRACTION);
    }
    return type.precision();
  }

  @Override
  public String tableOptions() {
    return " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
  }

  @Override
  public String upsert(String table, List<String> columns, List<String> keyColumns, int rows) {
    List<String> rest = columns.stream().filter(c -> !keyColumns.contains(c)).toList();
    // VALUES(c) is deprecated in MySQL 8.0.20 but the only spelling MariaDB understands.
    String update = rest.isEmpty()
        ? quote(keyColumns.get(0)) + " = " + quote(keyColumns.get(0))
        : rest.stream().map(c -> quote(c) + " = VALUES(" + quote(c) + ")").collect(Collectors.joining(", "));
    return "INSERT INTO " + table + " (" + columnList(columns) + ") VALUES " + valueRows(columns.size(), rows)
        + " ON DUPLICATE KEY UPDATE " + update;
  }

  @Override
  public void bind(Connection connection, PreparedStatement ps, int i, LogicalType type, Object value) throws SQLException {
    switch (type.kind()) {
      case TIMESTAMP_TZ -> ps.setObject(i, LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC));
      case UUID -> ps.setString(i, value.toString());
      // The float's exact binary value as a double: its shortest decimal form (3.4028235E38 for
      // Float.MAX_VALUE) can round past the FLOAT range when the server parses it.
      case FLOAT32 -> ps.setDouble(i, ((Float) value).doubleValue());
      case BYTES -> ps.setBytes(i, (byte[]) value);
      case ARRAY -> ps.setString(i, JsonArrays.write((List<?>) value));
      default -> ps.setObject(i, value);
    }
  }

  @Override
  public int sqlType(LogicalType type) {
    return switch (type.kind()) {
      case BYTES -> Types.VARBINARY;
      default -> Types.NULL;
    };
  }

  @Override
  public String alterColumnType(String table, String column, String newType, boolean nullable) {
    return "ALTER TABLE " + table + " MODIFY COLUMN " + quote(column) + " " + newType + (nullable ? " NULL" : " NOT NULL");
  }

  @Override
  public String dropNotNull(String table, String column, String type) {
    return "ALTER TABLE " + table + " MODIFY COLUMN " + quote(column) + " " + type + " NULL";
  }

  @Override
  public String currentNamespaceQuery() {
    return "SELECT DATABASE()";
  }

  @Override
  public boolean transactionalDdl() {
    return false;
  }

  @Override
  public Map<String, String> driverDefaults(Duration connectTimeout) {
    String millis = Long.toString(Math.max(1, connectTimeout.toMillis()));
    // rewriteBatchedStatements: Connector/J; MariaDB's driver ignores it and sends bulk batches.
    return Map.of("connectTimeout", millis, "rewriteBatchedStatements", "true", "characterEncoding", "UTF-8");
  }

  /**
   * Strict mode makes a value the column cannot hold an error instead of a silent truncation; UTC
   * keeps the server's own time functions out of the stored values.
   */
  @Override
  public String connectionInitSql() {
    return "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES'),"
        + " time_zone = '+00:00'";
  }
}
