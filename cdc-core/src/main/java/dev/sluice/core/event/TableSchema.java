package dev.sluice.core.event;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table's ordered columns and its key. The key is the primary key, or for a table without one the
 * chunk-key columns the user configured (then {@link #hasPrimaryKey()} is false), or empty.
 */
public final class TableSchema {
  private final TableId id;
  private final List<Column> columns;
  private final List<String> keyColumns;
  private final boolean primaryKey;
  private final int[] keyPositions;
  private final Map<String, Integer> positions;

  public TableSchema(TableId id, List<Column> columns, List<String> keyColumns, boolean primaryKey) {
    this.id = Objects.requireNonNull(id, "id");
    this.columns = List.copyOf(columns);
    this.keyColumns = List.copyOf(keyColumns);
    this.primaryKey = primaryKey && !keyColumns.isEmpty();
    if (this.columns.isEmpty()) {
      throw new IllegalArgumentException("table " + id + " has no columns");
    }
    this.positions = new HashMap<>();
    for (int i = 0; i < this.columns.size(); i++) {
      if (positions.put(this.columns.get(i).name(), i) != null) {
        throw new IllegalArgumentException("table " + id + " has two columns named " + this.columns.get(i).name());
      }
    }
    this.keyPositions = new int[this.keyColumns.size()];
    for (int i = 0; i < keyPositions.length; i++) {
      Integer p = positions.get(this.keyColumns.get(i));
      if (p == null) {
        throw new IllegalArgumentException("key column " + this.keyColumns.get(i) + " is not a column of " + id);
      }
      keyPositions[i] = p;
    }
  }

  /** A table whose primary key is {@code primaryKey}. */
  public static TableSchema withPrimaryKey(TableId id, List<Column> columns, List<String> primaryKey) {
    return new TableSchema(id, columns, primaryKey, true);
  }

  public TableId id() {
    return id;
  }

  public List<Column> columns() {
    return columns;
  }

  public List<String> keyColumns() {
    return keyColumns;
  }

  /** True when the key columns are a primary (unique, not null) key. */
  public boolean hasPrimaryKey() {
    return primaryKey;
  }

  public boolean hasKey() {
    return keyPositions.length > 0;
  }

  public int columnIndex(String name) {
    Integer p = positions.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no column " + name + " in " + id);
    }
    return p;
  }

  public Key keyOf(Row row) {
    if (keyPositions.length == 0) {
      throw new IllegalStateException("table " + id + " has no key");
    }
    return row.key(keyPositions);
  }

  /** The key columns' types, in key order. */
  public List<LogicalType> keyTypes() {
    List<LogicalType> types = new ArrayList<>(keyPositions.length);
    for (int p : keyPositions) {
      types.add(columns.get(p).type());
    }
    return types;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableSchema t && id.equals(t.id) && columns.equals(t.columns)
        && keyColumns.equals(t.keyColumns) && primaryKey == t.primaryKey;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, columns, keyColumns);
  }

  @Override
  public String toString() {
    return id + columns.toString() + " key" + keyColumns;
  }
}
