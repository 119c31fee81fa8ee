package dev.sluice.source.mysql.debezium;

import dev.sluice.core.event.Column;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.source.mysql.MySqlConfig;
import dev.sluice.source.mysql.TableInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Struct;

/** A table's definition as Debezium's schema-change record gives it, and what changed. */
final class TableDefinitions {
  private TableDefinitions() {}

  static TableInfo of(TableId id, Struct table, TableInfo old, MySqlConfig config) {
    List<TableInfo.Described> cols = new ArrayList<>();
    for (Object o : table.getArray("columns")) {
      Struct c = (Struct) o;
      String name = c.getString("name");
      Integer length = c.getInt32("length");
      Integer scale = c.getInt32("scale");
      String typeName = c.getString("typeName");
      String collation = null;
      for (int i = 0; i < old.schema().columns().size(); i++) {
        if (old.schema().columns().get(i).name().equals(name)) {
          collation = old.collations().get(i);
        }
      }
      if (typeName.equalsIgnoreCase("TINYINT") && length == null) {
        length = -1;
      }
      cols.add(new TableInfo.Described(name, typeName, false, length == null ? -1 : length,
          scale == null ? 0 : scale, Boolean.TRUE.equals(c.getBoolean("optional")), collation));
    }
    List<String> pk = new ArrayList<>();
    for (Object o : table.getArray("primaryKeyColumnNames")) {
      pk.add(o.toString());
    }
    if (pk.isEmpty()) {
      return TableInfo.of(id, cols, old.schema().keyColumns(), false);
    }
    return TableInfo.of(id, cols, pk, true);
  }

  static SchemaChangeEvent diff(TableInfo old, TableInfo now, String ddl, Position position) {
    List<String> before = old.schema().columns().stream().map(Column::name).toList();
    List<String> after = now.schema().columns().stream().map(Column::name).toList();
    TableId id = now.schema().id();
    List<String> added = after.stream().filter(n -> !before.contains(n)).toList();
    List<String> dropped = before.stream().filter(n -> !after.contains(n)).toList();
    SchemaChangeEvent.Kind kind;
    String column = null;
    String newName = null;
    if (added.size() == 1 && dropped.size() == 1) {
      kind = SchemaChangeEvent.Kind.RENAME_COLUMN;
      column = dropped.get(0);
      newName = added.get(0);
    } else if (!added.isEmpty() && dropped.isEmpty()) {
      kind = SchemaChangeEvent.Kind.ADD_COLUMN;
      column = added.get(0);
    } else if (!dropped.isEmpty() && added.isEmpty()) {
      kind = SchemaChangeEvent.Kind.DROP_COLUMN;
      column = dropped.get(0);
    } else {
      kind = SchemaChangeEvent.Kind.ALTER_COLUMN_TYPE;
    }
    return new SchemaChangeEvent(id, kind, now.schema(), column, newName, ddl, position);
  }
}
