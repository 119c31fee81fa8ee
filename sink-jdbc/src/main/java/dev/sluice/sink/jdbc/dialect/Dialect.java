package dev.sluice.sink.jdbc.dialect;

import dev.sluice.core.event.LogicalType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What differs between target databases, and nothing else: quoting, the column type of each
 * logical type, the upsert statement, how a value is bound, and a few DDL spellings. Everything a
 * dialect does not override is standard SQL that PostgreSQL, MySQL, MariaDB and SQLite accept, so a new
 * database is one class implementing the handful of abstract methods.
 */
public interface Dialect {

  /** A short name for messages ({@code postgresql}, {@code mysql}). */
  String name();

  /** Whether this dialect serves a JDBC URL. */
  boolean accepts(String jdbcUrl);

  /**
   * An identifier quoted so that any name, in any case, is kept as given: by default the SQL
   * standard's double quotes, a double quote inside doubled.
   */
  default String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /**
   * The column type that holds every value of {@code type} without loss.
   *
   * @param key whether the column is part of the primary key (some databases cannot index
   *     unbounded types)
   * @throws IllegalArgumentException naming the limit when the database cannot hold the type
   */
  String columnType(LogicalType type, boolean key);

  /**
   * An insert of {@code rows} rows that updates the non-key columns of a row whose key exists. The
   * rows of one statement have distinct keys (the sink collapses each key to its last change).
   */
  String upsert(String table, List<String> columns, List<String> keyColumns, int rows);

  /**
   * The standard-style upsert PostgreSQL and SQLite share: {@code INSERT ... ON CONFLICT (key) DO
   * UPDATE SET c = EXCLUDED.c}, or {@code DO NOTHING} when every column is in the key.
   */
  default String insertOnConflict(String table, List<String> columns, List<String> keyColumns, int rows) {
    String insert = "INSERT INTO " + table + " (" + columnList(columns) + ") VALUES " + valueRows(columns.size(), rows);
    List<String> rest = columns.stream().filter(c -> !keyColumns.contains(c)).toList();
    if (rest.isEmpty()) {
      return insert + " ON CONFLICT (" + columnList(keyColumns) + ") DO NOTHING";
    }
    return insert + " ON CONFLICT (" + columnList(keyColumns) + ") DO UPDATE SET "
        + rest.stream().map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
  }

  /** Binds one logical value (never {@code null}: the caller binds nulls). */
  void bind(Connection connection, PreparedStatement ps, int index, LogicalType type, Object value) throws SQLException;

  /** The SQL type code used to bind a {@code null} of {@code type}. */
  int sqlType(LogicalType type);

  /** Changes a column's type, keeping its nullability. */
  String alterColumnType(String table, String column, String newType, boolean nullable);

  /**
   * Changes a column's type knowing the type it has now, as the catalog names it ({@code null} when
   * unknown). Returns {@code null} when nothing needs to change. The default ignores the current type.
   *
   * @throws UnsupportedOperationException naming the reason when the database cannot make the change
   *     (the sink then fails or isolates the table, per {@code schema.change.behavior})
   */
  default String alterColumnType(String table, String column, String currentType, String newType, boolean nullable) {
    return alterColumnType(table, column, newType, nullable);
  }

  /**
   * Lets a column hold NULL (what a dropped column becomes when drops are not applied).
   *
   * @throws UnsupportedOperationException naming the reason when the database cannot
   */
  String dropNotNull(String table, String column, String type);

  /** The query returning the schema (or database) unqualified names resolve in. */
  String currentNamespaceQuery();

  /**
   * The query listing a table's columns in order, with parameters (namespace, table) and the result
   * columns name, declared type, character length, numeric precision, numeric scale and
   * {@code YES}/{@code NO} nullable; no rows when the table does not exist.
   */
  default String columnsQuery() {
    return "SELECT column_name, data_type, character_maximum_length, numeric_precision, numeric_scale,"
        + " is_nullable FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
        + " ORDER BY ordinal_position";
  }

  /**
   * Whether DDL joins the open transaction (PostgreSQL) or commits it implicitly (MySQL). When it
   * does not, a schema change commits the rows written before it without the checkpoint.
   */
  boolean transactionalDdl();

  /** Driver properties the sink sets unless the user gives their own through {@code jdbc.properties.*}. */
  Map<String, String> driverDefaults(Duration connectTimeout);

  /** A statement run on every new connection, or {@code null}. */
  default String connectionInitSql() {
    return null;
  }

  /** Most bind parameters one statement may carry. */
  default int maxParameters() {
    return 32_000;
  }

  /** A table name, qualified by its schema (or database) when one is given. */
  default String qualified(String namespace, String table) {
    return namespace == null ? quote(table) : quote(namespace) + "." + quote(table);
  }

  default String columnList(List<String> columns) {
    return columns.stream().map(this::quote).collect(Collectors.joining(", "));
  }

  /** {@code (?, ?, ?), (?, ?, ?)}: the VALUES of a multi-row insert. */
  default String valueRows(int columns, int rows) {
    String one = "(" + String.join(", ", java.util.Collections.nCopies(columns, "?")) + ")";
    return String.join(", ", java.util.Collections.nCopies(rows, one));
  }

  /** Suffix of CREATE TABLE (MySQL: a binary collation, so keys compare as the source compares them). */
  default String tableOptions() {
    return "";
  }

  default String createTable(String table, List<String> columnDefinitions, List<String> keyColumns) {
    return "CREATE TABLE " + table + " (" + String.join(", ", columnDefinitions)
        + ", PRIMARY KEY (" + columnList(keyColumns) + "))" + tableOptions();
  }

  default String columnDefinition(String column, String type, boolean nullable) {
    return quote(column) + " " + type + (nullable ? "" : " NOT NULL");
  }

  default String addColumn(String table, String columnDefinition) {
    return "ALTER TABLE " + table + " ADD COLUMN " + columnDefinition;
  }

  default String renameColumn(String table, String from, String to) {
    return "ALTER TABLE " + table + " RENAME COLUMN " + quote(from) + " TO " + quote(to);
  }

  default String dropColumn(String table, String column) {
    return "ALTER TABLE " + table + " DROP COLUMN " + quote(column);
  }

  default String truncate(String table) {
    return "TRUNCATE TABLE " + table;
  }

  default String dropTable(String table) {
    return "DROP TABLE IF EXISTS " + table;
  }

  /** What a schema change's DDL does, for naming the privilege it needs. */
  enum Ddl { CREATE_TABLE, ALTER_TABLE, TRUNCATE_TABLE, DROP_TABLE }

  /**
   * The privilege the sink's user needs to run {@code ddl} on {@code table} (qualified) in
   * {@code namespace}, named as the database grants it, for the message of a refusal.
   */
  default String privilegeFor(Ddl ddl, String namespace, String table) {
    return switch (ddl) {
      case CREATE_TABLE -> "CREATE on schema " + namespace;
      case ALTER_TABLE -> "ALTER on table " + table;
      case TRUNCATE_TABLE -> "TRUNCATE on table " + table;
      case DROP_TABLE -> "DROP on table " + table;
    };
  }

  /** A delete of one row by its key. */
  default String delete(String table, List<String> keyColumns) {
    return "DELETE FROM " + table + " WHERE " + keyPredicate(keyColumns);
  }

  /** An update of {@code columns} of one row found by its key (a soft delete). */
  default String update(String table, List<String> columns, List<String> keyColumns) {
    return "UPDATE " + table + " SET " + columns.stream().map(c -> quote(c) + " = ?").collect(Collectors.joining(", "))
        + " WHERE " + keyPredicate(keyColumns);
  }

  default String keyPredicate(List<String> keyColumns) {
    return keyColumns.stream().map(c -> quote(c) + " = ?").collect(Collectors.joining(" AND "));
  }
}
