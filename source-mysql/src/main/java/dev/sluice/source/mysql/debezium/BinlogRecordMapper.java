package dev.sluice.source.mysql.debezium;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.source.debezium.RecordMapper;
import dev.sluice.source.mysql.BinlogPosition;
import dev.sluice.source.mysql.MySqlConfig;
import dev.sluice.source.mysql.MySqlValues;
import dev.sluice.source.mysql.TableInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns Debezium MySQL records into core events. Row values go through {@link MySqlValues}, the
 * same conversion the chunk reader uses. A DDL on a captured table becomes a
 * {@link SchemaChangeEvent} with the table's new schema (from Debezium's table definition); DDL on
 * other tables and the schema records of Debezium's start-up are passed over.
 */
final class BinlogRecordMapper implements RecordMapper {
  private final Map<TableId, TableInfo> tables;
  private final MySqlConfig config;
  private final Map<TableId, Layout> layouts = new HashMap<>();

  BinlogRecordMapper(Map<TableId, TableInfo> tables, MySqlConfig config) {
    this.tables = new HashMap<>(tables);
    this.config = config;
  }

  @Override
  public List<Event> events(SourceRecord record) {
    if (!(record.value() instanceof Struct value)) {
      return List.of();
    }
    if (value.schema().field("op") != null && value.schema().field("source") != null) {
      return change(record, value);
    }
    if (value.schema().field("tableChanges") != null && !isSnapshot(record)) {
      return schemaChanges(record, value);
    }
    return List.of();
  }

  /** Schema records of Debezium's start-up (its schema snapshot), which describe no change. */
  private static boolean isSnapshot(SourceRecord r) {
    Object s = r.sourceOffset() == null ? null : r.sourceOffset().get("snapshot");
    if (s == null && r.value() instanceof Struct v && v.schema().field("source") != null
        && v.getStruct("source").schema().field("snapshot") != null) {
      s = v.getStruct("source").get("snapshot");
    }
    return s != null && !"false".equals(s.toString());
  }

  private List<Event> change(SourceRecord record, Struct value) {
    Struct source = value.getStruct("source");
    TableId id = TableId.of(source.getString("db"), source.getString("table"));
    TableInfo info = tables.get(id);
    if (info == null) {
      return List.of();
    }
    Op op = switch (value.getString("op")) {
      case "c" -> Op.INSERT;
      case "u" -> Op.UPDATE;
      case "d" -> Op.DELETE;
      case "r" -> Op.READ;
      default -> null;
    };
    if (op == null) {
      return List.of();
    }
    Row before = row(info, value.getStruct("before"));
    Row after = row(info, value.getStruct("after"));
    Object ts = source.get("ts_ms");
    Instant time = ts == null ? null : Instant.ofEpochMilli(((Number) ts).longValue());
    String gtid = source.schema().field("gtid") == null ? null : source.getString("gtid");
    Position position = position(record);
    String tx = gtid != null ? gtid : source.getString("file") + ":" + ((BinlogPosition) position).pos();
    return List.of(new ChangeEvent(info.schema(), op, before, after, position, time, tx));
  }

  private Row row(TableInfo info, Struct s) {
    if (s == null) {
      return null;
    }
    Layout layout = layout(info, s.schema());
    Object[] v = new Object[layout.fields.length];
    for (int i = 0; i < v.length; i++) {
      Field f = layout.fields[i];
      v[i] = MySqlValues.fromLog(f == null ? null : s.get(f), info.kind(i), info.length(i), layout.names[i]);
    }
    MySqlValues.settleZeroDates(info, v, false, config.zeroDates());
    return Row.wrap(v);
  }

  /**
   * Where each of a table's columns is in the row images Debezium builds for it, and each column's
   * name as errors give it: looked up once per table and image schema (Debezium keeps one schema
   * object per table until its definition changes), not once per value.
   */
  private record Layout(TableInfo info, Schema image, Field[] fields, String[] names) {}

  private Layout layout(TableInfo info, Schema image) {
    Layout l = layouts.get(info.schema().id());
    if (l != null && l.info == info && l.image == image) {
      return l;
    }
    TableSchema schema = info.schema();
    int n = schema.columns().size();
    Field[] fields = new Field[n];
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      String name = schema.columns().get(i).name();
      fields[i] = image.field(name);
      names[i] = schema.id() + "." + name;
    }
    l = new Layout(info, image, fields, names);
    layouts.put(schema.id(), l);
    return l;
  }

  private List<Event> schemaChanges(SourceRecord record, Struct value) {
    List<Event> out = new ArrayList<>();
    List<?> changes = value.getArray("tableChanges");
    String ddl = value.schema().field("ddl") == null ? null : value.getString("ddl");
    for (Object o : changes) {
      Struct change = (Struct) o;
      TableId id = parseId(change.getString("id"));
      TableInfo old = tables.get(id);
      if (old == null) {
        continue;
      }
      String type = change.getString("type");
      if ("DROP".equals(type)) {
        tables.remove(id);
        layouts.remove(id);
        out.add(new SchemaChangeEvent(id, SchemaChangeEvent.Kind.DROP_TABLE, null, null, null, ddl, position(record)));
        continue;
      }
      TableInfo now = TableDefinitions.of(id, change.getStruct("table"), old, config);
      if (now.schema().equals(old.schema())) {
        continue; // a DDL that changed nothing Sluice carries (an index, a comment)
      }
      tables.put(id, now);
      out.add(TableDefinitions.diff(old, now, ddl, position(record)));
    }
    return out;
  }

  /** {@code "db"."table"} or {@code db.table} to an id. */
  static TableId parseId(String text) {
    String t = text.replace("\"", "").replace("`", "");
    int dot = t.indexOf('.');
    return TableId.of(t.substring(0, dot), t.substring(dot + 1));
  }

  @Override
  public Position position(SourceRecord record) {
    Map<String, ?> o = record.sourceOffset();
    if (o == null || o.get("file") == null) {
      return null;
    }
    String file = o.get("file").toString();
    long pos = num(o.get("pos"));
    long event = num(o.get("event"));
    long row = num(o.get("row"));
    String gtids = o.get("gtids") == null ? null : o.get("gtids").toString();
    boolean data = record.value() instanceof Struct s && s.schema().field("op") != null;
    if (!data && event == 0 && row == 0) {
      return BinlogPosition.mark(file, pos, gtids);
    }
    String gtid = null;
    if (data) {
      Struct source = ((Struct) record.value()).getStruct("source");
      gtid = source.schema().field("gtid") == null ? null : source.getString("gtid");
    }
    return BinlogPosition.event(file, pos, event, row, gtid, gtids);
  }

  private static long num(Object o) {
    return o == null ? 0 : ((Number) o).longValue();
  }

  @Override
  public SluiceException failure(String message, Throwable error) {
    String all = message;
    for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
      all += " / " + t.getMessage();
      if (t.getCause() == null) {
        break;
      }
    }
    if (all.contains("Access denied")) {
      return new ConfigurationException("the binlog reader was refused: " + message
          + "; the user needs REPLICATION SLAVE and REPLICATION CLIENT", error);
    }
    if (all.contains("purged") || all.contains("no longer available") || all.contains("Could not find first log file")
        || all.contains("Could not find GTID state")) {
      return new ConfigurationException("the binlog position to resume from is no longer on the server: " + message
          + "; delete the checkpoint and start again with scan.startup.mode=initial to snapshot anew", error);
    }
    if (all.contains("server_id") || all.contains("server-id") || all.contains("same server")) {
      return new ConfigurationException("another replica uses server-id " + config.serverId() + ": " + message
          + "; choose a unique server-id", error);
    }
    return new ConnectionException(message, error);
  }
}
