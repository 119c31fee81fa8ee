package dev.sluice.sink.jdbc;

import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.sink.jdbc.TargetTable.TargetColumn;
import dev.sluice.sink.jdbc.dialect.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The target tables the sink has met: their names (from {@code table.name.pattern}), the columns
 * they really have, and their creation from a source schema with the dialect's type mapping. One
 * entry per table, never per row.
 */
final class Tables {
  private final Target target;
  private final Dialect dialect;
  private final String pattern;
  private final ExtraColumns extras;
  private final Map<TableId, TargetTable> known = new HashMap<>();
  /** Read by status callers on other threads, hence its own concurrent map. */
  private final Map<TableId, String> isolated = new ConcurrentHashMap<>();

  Tables(Target target, String pattern, ExtraColumns extras) {
    this.target = target;
    this.dialect = target.dialect();
    this.pattern = pattern;
    this.extras = extras;
  }

  /** The table as known, or a new entry (its columns still unread) for a table met first. */
  TargetTable lookup(TableId source) throws SQLException {
    TargetTable t = known.get(source);
    if (t == null) {
      String ns = target.namespace();
      String name = targetName(source);
      t = new TargetTable(source, ns, name, dialect.qualified(ns, name));
      t.columns = readColumns(ns, name);
      known.put(source, t);
    }
    return t;
  }

  /** Forgets every table but the isolated ones, so that they are read again (after a failure). */
  void forgetHealthy() {
    known.values().removeIf(t -> !t.isolated());
  }

  void forget(TableId source) {
    known.remove(source);
  }

  Map<TableId, String> isolated() {
    return Map.copyOf(isolated);
  }

  /** Marks a table isolated: its changes are skipped from now on. */
  void isolate(TargetTable t, String reason) {
    t.isolation = reason;
    isolated.put(t.source, reason);
  }

  String targetName(TableId id) {
    return pattern.replace("${table}", id.table())
        .replace("${schema}", id.schema() == null ? "" : id.schema())
        .replace("${catalog}", id.catalog() == null ? "" : id.catalog());
  }

  /** The CREATE TABLE for a source schema: its columns and key, then the extra columns. */
  String createStatement(TargetTable t, TableSchema schema, boolean withExtras) {
    requireKey(t, schema);
    List<String> defs = new ArrayList<>();
    for (Column c : schema.columns()) {
      defs.add(definition(t, c, schema.keyColumns().contains(c.name())));
    }
    for (Column c : withExtras ? extras.columns() : List.<Column>of()) {
      defs.add(definition(t, c, false));
    }
    return dialect.createTable(t.qualified, defs, schema.keyColumns());
  }

  /**
   * Refuses a source table without a key, whether the target table exists or not: every write of
   * this sink is an upsert or a delete by key.
   */
  void requireKey(TargetTable t, TableSchema schema) {
    if (!schema.hasKey()) {
      throw new DataException("table " + schema.id() + " has no primary key, so the JDBC sink cannot upsert it into "
          + t.qualified + "; give the source table a primary key, or set scan.incremental.snapshot.chunk.key-column"
          + " to a unique, not-null column of it, or exclude it from this pipeline");
    }
  }

  String definition(TargetTable t, Column c, boolean key) {
    return dialect.columnDefinition(c.name(), columnType(t, c, key), c.nullable() && !key);
  }

  /** The dialect's type for a column, or a data error naming the table and column it cannot hold. */
  String columnType(TargetTable t, Column c, boolean key) {
    try {
      return dialect.columnType(c.type(), key);
    } catch (IllegalArgumentException e) {
      throw new DataException("table " + t + ": column '" + c.name() + "' of type " + c.type() + " cannot be created in "
          + dialect.name() + ": " + e.getMessage() + "; create the target table by hand with a type you accept");
    }
  }

  /** The target's columns in order, or {@code null} when the table does not exist. */
  Map<String, TargetColumn> readColumns(String namespace, String name) throws SQLException {
    Map<String, TargetColumn> cols = new LinkedHashMap<>();
    try (PreparedStatement ps = target.connection().prepareStatement(dialect.columnsQuery())) {
      ps.setString(1, namespace);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Long length = rs.getObject(3) instanceof Number n ? n.longValue() : null;
          Integer precision = rs.getObject(4) instanceof Number n ? n.intValue() : null;
          Integer scale = rs.getObject(5) instanceof Number n ? n.intValue() : null;
          cols.put(rs.getString(1), new TargetColumn(rs.getString(1), rs.getString(2), length, precision, scale,
              "YES".equalsIgnoreCase(rs.getString(6))));
        }
      }
    }
    return cols.isEmpty() ? null : cols;
  }

  void refresh(TargetTable t) throws SQLException {
    t.columns = readColumns(t.namespace, t.name);
  }
}
