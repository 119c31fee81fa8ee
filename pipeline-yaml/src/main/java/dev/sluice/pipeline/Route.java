package dev.sluice.pipeline;

import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TablePattern;

/**
 * A {@code route} rule as Flink CDC writes it: source tables matching {@code sourceTable} (a regex
 * on {@code db.table} or {@code db.schema.table}, or a Flink CDC selector such as {@code db.\.*}) go to {@code sinkTable}; in {@code sinkTable}, the
 * {@code replaceSymbol} (when set) stands for the matched table's own name.
 */
public record Route(TablePattern sourceTable, String sinkTable, String replaceSymbol, String description) {

  public boolean matches(TableId table) {
    return sourceTable.matches(table);
  }

  /** The sink table for a matching source table. */
  public TableId target(TableId table) {
    String name = replaceSymbol == null ? sinkTable : sinkTable.replace(replaceSymbol, table.table());
    return TableId.parse(name);
  }
}
