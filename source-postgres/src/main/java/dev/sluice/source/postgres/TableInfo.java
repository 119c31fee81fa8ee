package dev.sluice.source.postgres;

import dev.sluice.core.event.Column;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * A captured table as this source needs it: the core schema plus, per column, how its values are
 * read ({@link PgType}) and its fractional digits (Debezium's timestamps depend on them).
 */
public record TableInfo(TableSchema schema, List<PgType> kinds, List<PgType> elements, List<Integer> precisions,
    boolean replicaIdentityFull) {

  /** One column as the catalog describes it. */
  record Described(String name, String typeName, boolean enumType, int precision, int scale, boolean nullable) {}

  static TableInfo of(TableId id, List<Described> columns, List<String> key, boolean primaryKey, boolean full) {
    List<Column> cols = new ArrayList<>();
    List<PgType> kinds = new ArrayList<>();
    List<PgType> elements = new ArrayList<>();
    List<Integer> precisions = new ArrayList<>();
    for (Described d : columns) {
      PgType.Mapped m = PgType.map(id + "." + d.name(), d.typeName(), d.enumType(), d.precision(), d.scale());
      cols.add(new Column(d.name(), m.type(), d.nullable(), d.typeName()));
      kinds.add(m.kind());
      elements.add(m.element());
      precisions.add(m.type().precision());
    }
    return new TableInfo(new TableSchema(id, cols, key, primaryKey), List.copyOf(kinds),
        java.util.Collections.unmodifiableList(elements), List.copyOf(precisions), full);
  }

  public PgType kind(int i) {
    return kinds.get(i);
  }

  /** The element kind of an array column, else null. */
  public PgType element(int i) {
    return elements.get(i);
  }

  public int precision(int i) {
    return precisions.get(i);
  }

  /** schema.table, quoted for SQL. */
  public String quotedName() {
    return quote(schema.id().schema()) + "." + quote(schema.id().table());
  }

  static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
