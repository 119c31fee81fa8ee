package dev.sluice.pipeline;

import dev.sluice.core.event.TableId;
import java.util.regex.Pattern;

/**
 * A {@code route} rule as Flink CDC writes it: source tables matching {@code sourceTable} (a regex
 * on {@code db.table}, or {@code db.schema.table}) go to {@code sinkTable}; in {@code sinkTable}, the
 * {@code replaceSymbol} (when set) stands for the matched table's own name.
 */
public record Route(Pattern sourceTable, String sinkTable, String replaceSymbol, String description) {

  public boolean matches(TableId table) {
    return sourceTable.matcher(table.toString()).matches();
  }

  /** The sink table for a matching source table. */
  public TableId target(TableId table) {
    String name = replaceSymbol == null ? sinkTable : sinkTable.replace(replaceSymbol, table.table());
    return TableId.parse(name);
  }
}
