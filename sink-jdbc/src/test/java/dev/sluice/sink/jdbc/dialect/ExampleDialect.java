package dev.sluice.sink.jdbc.dialect;

import dev.sluice.core.event.LogicalType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A dialect from outside the module, registered in this module's test resources under
 * {@code META-INF/services}, for a PostgreSQL-compatible database reached through URLs
 * {@code jdbc:exampledb:}: its spellings are PostgreSQL's except its name and the URLs it accepts.
 */
public final class ExampleDialect implements Dialect {
  private final Dialect pg = new PostgresDialect();

  @Override
  public String name() {
    return "exampledb";
  }

  @Override
  public boolean accepts(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:exampledb:");
  }

  @Override
  public String columnType(LogicalType type, boolean key) {
    return pg.columnType(type, key);
  }

  @Override
  public String upsert(String table, List<String> columns, List<String> keyColumns, int rows) {
    return pg.upsert(table, columns, keyColumns, rows);
  }

  @Override
  public void bind(Connection connection, PreparedStatement ps, int index, LogicalType type, Object value)
      throws SQLException {
    pg.bind(connection, ps, index, type, value);
  }

  @Override
  public int sqlType(LogicalType type) {
    return pg.sqlType(type);
  }

  @Override
  public String alterColumnType(String table, String column, String newType, boolean nullable) {
    return pg.alterColumnType(table, column, newType, nullable);
  }

  @Override
  public String dropNotNull(String table, String column, String type) {
    return pg.dropNotNull(table, column, type);
  }

  @Override
  public String currentNamespaceQuery() {
    return pg.currentNamespaceQuery();
  }

  @Override
  public boolean transactionalDdl() {
    return true;
  }

  @Override
  public Map<String, String> driverDefaults(Duration connectTimeout) {
    return Map.of();
  }
}
