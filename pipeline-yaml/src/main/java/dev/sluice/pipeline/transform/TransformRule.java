package dev.sluice.pipeline.transform;

import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.TablePattern;
import java.util.List;

/**
 * A {@code transform} rule as Flink CDC writes it: for source tables matching {@code sourceTable},
 * keep the {@code projection}'s columns (column names, {@code *}, {@code expression AS name}) and
 * the rows for which {@code filter} is true; {@code primaryKeys} replaces the table's key.
 */
public record TransformRule(TablePattern sourceTable, String projection, String filter, List<String> primaryKeys,
    String description) {

  public TransformRule {
    primaryKeys = primaryKeys == null ? List.of() : List.copyOf(primaryKeys);
  }

  /**
   * Checks the projection's or filter's syntax without a schema (any name may be a column), for
   * errors at load time; returns {@code null} when it is fine, else the message and, after a
   * {@code @}, the character offset of the fault.
   */
  public static String syntaxError(String text, boolean isFilter) {
    try {
      ExprParser p = new ExprParser(text, name -> new Expr.Column(name, 0, LogicalType.BOOLEAN));
      if (isFilter) {
        p.filter();
      } else {
        p.projection();
      }
      return null;
    } catch (ExprParser.ParseException e) {
      return e.getMessage() + "@" + e.offset;
    }
  }
}
