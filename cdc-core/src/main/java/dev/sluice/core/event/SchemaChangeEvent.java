package dev.sluice.core.event;

import java.util.Objects;

/**
 * A change of a captured table's structure, in log order with the data. {@code schema} is the
 * table's schema after the change ({@code null} when the table was dropped); {@code ddl} the
 * statement as the source logged it, where it has one.
 */
public record SchemaChangeEvent(
    TableId table, Kind kind, TableSchema schema, String column, String newColumnName, String ddl,
    Position position) implements Event {

  public enum Kind {
    CREATE_TABLE, ADD_COLUMN, DROP_COLUMN, RENAME_COLUMN, ALTER_COLUMN_TYPE, TRUNCATE_TABLE, DROP_TABLE
  }

  public SchemaChangeEvent {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(kind, "kind");
    if (kind != Kind.DROP_TABLE && schema == null) {
      throw new IllegalArgumentException(kind + " on " + table + " needs the new schema");
    }
  }
}
