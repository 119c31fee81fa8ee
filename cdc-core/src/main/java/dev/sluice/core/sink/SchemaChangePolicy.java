package dev.sluice.core.sink;

import java.util.Locale;

/**
 * What a source schema change does to a target table, named as Flink CDC names it (the sinks'
 * {@code schema.change.behavior} option). Creating a missing table is done under every policy.
 */
public enum SchemaChangePolicy {
  /** Apply every change as the source made it; a failing DDL fails the pipeline. */
  EVOLVE,
  /** Apply every change; a failing DDL isolates that table and the others go on. */
  TRY_EVOLVE,
  /**
   * Apply only what keeps existing data: add columns (nullable), widen types; a dropped column
   * becomes nullable, a renamed one is added under its new name beside the old; truncate and drop
   * table are not applied. A failing DDL isolates the table.
   */
  LENIENT,
  /** Apply nothing; rows are written to the columns the target has. */
  IGNORE,
  /** Refuse any change: the pipeline fails with a message naming the table and column. */
  EXCEPTION;

  /** Parses the option's text, refusing anything else with the accepted values. */
  public static SchemaChangePolicy parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected one of evolve, try_evolve, lenient, ignore, exception, got '" + text + "'");
    }
  }

  /** Whether a failing DDL isolates the table instead of failing the pipeline. */
  public boolean isolatesFailures() {
    return this == TRY_EVOLVE || this == LENIENT;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
