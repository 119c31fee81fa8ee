package dev.sluice.sink.jdbc;

import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.util.Map;

/**
 * One target table as the sink knows it: where it is, the source schema its rows are written with,
 * the columns the target really has (read from {@code information_schema}), and, once a DDL on it
 * failed under a tolerant policy, why it is isolated.
 */
final class TargetTable {
  /** A column as the target declares it; lengths and precisions are {@code null} where not applicable. */
  record TargetColumn(String name, String dataType, Long length, Integer precision, Integer scale, boolean nullable) {}

  final TableId source;
  final String namespace;
  final String name;
  final String qualified;
  TableSchema schema;
  Map<String, TargetColumn> columns;
  String isolation;

  TargetTable(TableId source, String namespace, String name, String qualified) {
    this.source = source;
    this.namespace = namespace;
    this.name = name;
    this.qualified = qualified;
  }

  boolean isolated() {
    return isolation != null;
  }

  @Override
  public String toString() {
    return qualified + " (from " + source + ")";
  }
}
