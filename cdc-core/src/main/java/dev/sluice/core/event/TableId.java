package dev.sluice.core.event;

import java.util.Objects;

/**
 * Names a captured table. {@code catalog} is the database (MySQL database, PostgreSQL database or
 * MongoDB database), {@code schema} the namespace inside it where the source has one (PostgreSQL),
 * else {@code null}.
 */
public record TableId(String catalog, String schema, String table) implements Comparable<TableId> {

  public TableId {
    Objects.requireNonNull(table, "table");
    if (table.isEmpty()) {
      throw new IllegalArgumentException("table name is empty");
    }
  }

  public static TableId of(String catalog, String table) {
    return new TableId(catalog, null, table);
  }

  /**
   * Parses {@code db.table} or {@code db.schema.table}, the form {@link #toString()} writes. Names
   * containing dots cannot round-trip through this form; sources build ids directly.
   */
  public static TableId parse(String text) {
    String[] parts = text.split("\\.", -1);
    return switch (parts.length) {
      case 1 -> new TableId(null, null, parts[0]);
      case 2 -> new TableId(parts[0], null, parts[1]);
      case 3 -> new TableId(parts[0], parts[1], parts[2]);
      default -> throw new IllegalArgumentException("not a table id (db.table or db.schema.table): " + text);
    };
  }

  @Override
  public int compareTo(TableId o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (catalog != null) {
      s.append(catalog).append('.');
    }
    if (schema != null) {
      s.append(schema).append('.');
    }
    return s.append(table).toString();
  }
}
