package dev.sluice.core.sink;

import java.util.List;
import java.util.Locale;

/**
 * The optional columns a sink adds to record where a row came from (the sinks'
 * {@code metadata.columns} option), named alike in every sink.
 */
public enum MetadataColumn {
  /** {@code __source_table}: the source table, {@code db.table} or {@code db.schema.table}. */
  SOURCE_TABLE("__source_table"),
  /** {@code __op}: the last change's Debezium op code (r, c, u, d). */
  OP("__op"),
  /** {@code __source_ts}: the last change's commit time in the source (null for snapshot rows). */
  SOURCE_TS("__source_ts");

  private final String column;

  MetadataColumn(String column) {
    this.column = column;
  }

  public String column() {
    return column;
  }

  /** The option's value: a comma-separated list of source_table, op, source_ts; anything else is refused. */
  public static List<MetadataColumn> parseList(String text) {
    return List.of(text.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).map(s -> {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("expected any of source_table, op, source_ts, got '" + s + "'");
      }
    }).distinct().toList();
  }
}
