package dev.sluice.sink.jdbc.dialect;

import dev.sluice.core.event.LogicalType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SQLite, a database in one file ({@code jdbc:sqlite:/path/to/file.db}): {@code INSERT ... ON
 * CONFLICT (key) DO UPDATE}, double-quoted identifiers, and the five storage classes only. Whatever
 * SQLite has no exact type for is kept as text that holds the exact value: a DECIMAL as its decimal
 * digits (never a binary REAL), times in ISO-8601, a UUID in its canonical form. DDL is transactional.
 * SQLite cannot change a column's type nor drop its NOT NULL in place; such a change is refused (and
 * handled per {@code schema.change.behavior}), except a type change that keeps the declared storage
 * (INT32 to INT64, a longer string, more decimal digits), which needs no change at all.
 */
public final class SqliteDialect implements Dialect {
  private static final String TEXT = "TEXT";
  private static final String INTEGER = "INTEGER";
  private static final String REAL = "REAL";

  @Override
  public String name() {
    return "sqlite";
  }

  /** SQLite has no privileges: a refusal is the file's (read-only, or the directory not writable). */
  @Override
  public String privilegeFor(Ddl ddl, String namespace, String table) {
    return "write access to the database file and its directory";
  }

  @Override
  public boolean accepts(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:sqlite:");
  }

  @Override
  public String columnType(LogicalType type, boolean key) {
    return switch (type.kind()) {
      case BOOLEAN, INT8, INT16, INT32, INT64 -> INTEGER;
      case FLOAT32, FLOAT64 -> REAL;
      case BYTES -> "BLOB";
      case DECIMAL, STRING, ENUM, JSON, UUID, DATE, TIME, TIMESTAMP, TIMESTAMP_TZ, ARRAY -> TEXT;
    };
  }

  @Override
  public String upsert(String table, List<String> columns, List<String> keyColumns, int rows) {
    return insertOnConflict(table, columns, keyColumns, rows);
  }

  @Override
  public void bind(Connection connection, PreparedStatement ps, int i, LogicalType type, Object value) throws SQLException {
    switch (type.kind()) {
      case BOOLEAN -> ps.setInt(i, (Boolean) value ? 1 : 0);
      case INT8, INT16, INT32, INT64 -> ps.setLong(i, ((Number) value).longValue());
      // A REAL column would turn a NaN into NULL; the text 'NaN' stays what it was.
      case FLOAT32, FLOAT64 -> {
        double d = ((Number) value).doubleValue();
        if (Double.isNaN(d)) {
          ps.setString(i, "NaN");
        } else {
          ps.setDouble(i, d);
        }
      }
      case DECIMAL -> ps.setString(i, ((BigDecimal) value).toPlainString());
      case BYTES -> ps.setBytes(i, (byte[]) value);
      case DATE -> ps.setString(i, ((LocalDate) value).format(DateTimeFormatter.ISO_LOCAL_DATE));
      case TIME -> ps.setString(i, time(type.precision()).format((LocalTime) value));
      case TIMESTAMP -> ps.setString(i, timestamp(type.precision()).format((LocalDateTime) value));
      case TIMESTAMP_TZ -> ps.setString(i,
          timestamp(type.precision()).format(LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC)) + "Z");
      case ARRAY -> ps.setString(i, JsonArrays.write((List<?>) value));
      case STRING, ENUM, JSON, UUID -> ps.setString(i, value.toString());
    }
  }

  /** {@code HH:mm:ss} and at least {@code p} fractional digits (more only if the value has them). */
  private static final DateTimeFormatter[] TIMES = new DateTimeFormatter[10];
  /** ISO-8601 date and time, {@code T} between: the text SQLite's own date functions read. */
  private static final DateTimeFormatter[] TIMESTAMPS = new DateTimeFormatter[10];

  static {
    for (int p = 0; p < TIMES.length; p++) {
      TIMES[p] = new DateTimeFormatterBuilder().appendPattern("HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, p, 9, true).toFormatter(Locale.ROOT);
      TIMESTAMPS[p] = new DateTimeFormatterBuilder().append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T')
          .append(TIMES[p]).toFormatter(Locale.ROOT);
    }
  }

  private static DateTimeFormatter time(int fractionDigits) {
    return TIMES[Math.min(9, fractionDigits)];
  }

  private static DateTimeFormatter timestamp(int fractionDigits) {
    return TIMESTAMPS[Math.min(9, fractionDigits)];
  }

  @Override
  public int sqlType(LogicalType type) {
    return Types.NULL;
  }

  @Override
  public String alterColumnType(String table, String column, String newType, boolean nullable) {
    return alterColumnType(table, column, null, newType, nullable);
  }

  @Override
  public String alterColumnType(String table, String column, String currentType, String newType, boolean nullable) {
    if (currentType != null && currentType.equalsIgnoreCase(newType)) {
      return null;
    }
    throw new UnsupportedOperationException("SQLite cannot change the type of column " + quote(column) + " from "
        + (currentType == null ? "its current type" : currentType) + " to " + newType
        + " in place (it has no ALTER COLUMN)");
  }

  @Override
  public String dropNotNull(String table, String column, String type) {
    throw new UnsupportedOperationException("SQLite cannot drop the NOT NULL of column " + quote(column)
        + " in place (it has no ALTER COLUMN)");
  }

  @Override
  public String truncate(String table) {
    return "DELETE FROM " + table;
  }

  /** The database file itself is the schema SQLite calls {@code main}. */
  @Override
  public String currentNamespaceQuery() {
    return "SELECT 'main'";
  }

  @Override
  public String columnsQuery() {
    return "SELECT name, type, NULL, NULL, NULL, CASE WHEN \"notnull\" = 0 THEN 'YES' ELSE 'NO' END"
        + " FROM pragma_table_info(?2, ?1) ORDER BY cid";
  }

  @Override
  public boolean transactionalDdl() {
    return true;
  }

  /**
   * Write-ahead logging lets other programs read the file while the sink writes (they see the last
   * commit); a busy timeout makes a writer wait for another one instead of failing at once.
   */
  @Override
  public Map<String, String> driverDefaults(Duration connectTimeout) {
    return Map.of("journal_mode", "WAL", "busy_timeout", Long.toString(Math.max(1000, connectTimeout.toMillis())));
  }

  /** SQLite's compile-time limit on bind parameters (32766 since 3.32). */
  @Override
  public int maxParameters() {
    return 32_766;
  }
}
