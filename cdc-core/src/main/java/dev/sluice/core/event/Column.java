package dev.sluice.core.event;

import java.util.Objects;

/** One column of a table: its name, logical type, nullability and the source's own type name. */
public record Column(String name, LogicalType type, boolean nullable, String sourceType) {

  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("column name is empty");
    }
  }

  public static Column of(String name, LogicalType type, boolean nullable) {
    return new Column(name, type, nullable, null);
  }
}
