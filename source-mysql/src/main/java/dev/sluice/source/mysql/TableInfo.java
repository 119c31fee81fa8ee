package dev.sluice.source.mysql;

import dev.sluice.core.event.Column;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * A captured table as this source needs it: the core schema plus, per column, how its values are
 * read ({@link ColumnKind}), its declared length (bits of a BIT) and collation (for key order).
 */
public record TableInfo(TableSchema schema, List<ColumnKind> kinds, List<Integer> lengths, List<String> collations) {

  /** One column as described by the catalog or by Debezium. */
  public record Described(String name, String typeName, boolean unsigned, int length, int scale, boolean nullable,
      String collation) {}

  public static TableInfo of(TableId id, List<Described> columns, List<String> key, boolean primaryKey) {
    List<Column> cols = new ArrayList<>();
    List<ColumnKind> kinds = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    List<String> collations = new ArrayList<>();
    for (Described d : columns) {
      ColumnKind.Mapped m = ColumnKind.map(id + "." + d.name(), d.typeName(), d.unsigned(), d.length(), d.scale());
      String sourceType = (d.typeName() + (d.unsigned() ? " UNSIGNED" : "")).toUpperCase(java.util.Locale.ROOT);
      cols.add(new Column(d.name(), m.type(), d.nullable(), sourceType));
      kinds.add(m.kind());
      lengths.add(d.length());
      collations.add(d.collation());
    }
    return new TableInfo(new TableSchema(id, cols, key, primaryKey), List.copyOf(kinds), List.copyOf(lengths),
        collations);
  }

  public ColumnKind kind(int i) {
    return kinds.get(i);
  }

  public int length(int i) {
    return lengths.get(i);
  }
}
