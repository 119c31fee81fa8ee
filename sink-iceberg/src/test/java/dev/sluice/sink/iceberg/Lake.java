package dev.sluice.sink.iceberg;

import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.option.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.io.CloseableIterable;

/** A warehouse on the local disk for tests: sinks on it, and its tables read back through Iceberg's generic reader. */
final class Lake {
  final Path warehouse;

  Lake(Path warehouse) {
    this.warehouse = warehouse;
  }

  Map<String, String> options(Map<String, String> more) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("warehouse", warehouse.toString());
    o.putAll(more);
    return o;
  }

  IcebergSink sink(String pipeline, Map<String, String> more) {
    Options o = Options.parse("test sink", IcebergSinkConfig.OPTIONS, options(more));
    return new IcebergSink(IcebergSinkConfig.from(o), pipeline);
  }

  static Table table(Catalog catalog, String ns, String name) {
    return catalog.loadTable(TableIdentifier.of(ns, name));
  }

  /** The table's rows, none while it does not exist yet. */
  static Map<Key, Row> rowsIfAny(Catalog catalog, String ns, TableSchema source) {
    if (!catalog.tableExists(TableIdentifier.of(ns, source.id().table()))) {
      return Map.of();
    }
    return rows(table(catalog, ns, source.id().table()), source, null);
  }

  /** The table's rows by key, in Sluice's value types; a key met twice is reported in {@code duplicates}. */
  static Map<Key, Row> rows(Table table, TableSchema source, List<String> duplicates) {
    table.refresh();
    Map<Key, Row> out = new HashMap<>();
    if (table.currentSnapshot() == null) {
      return out;
    }
    try (CloseableIterable<org.apache.iceberg.data.Record> records = IcebergGenerics.read(table).build()) {
      for (org.apache.iceberg.data.Record r : records) {
        Object[] v = new Object[source.columns().size()];
        for (int i = 0; i < v.length; i++) {
          Column c = source.columns().get(i);
          v[i] = fromIceberg(r.getField(c.name()), c.type());
        }
        Row row = Row.wrap(v);
        Key k = source.keyOf(row);
        if (out.put(k, row) != null && duplicates != null) {
          duplicates.add(table.name() + " key " + k);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The first differences between two tables' rows, for failure messages. */
  static String diff(Map<Key, Row> expected, Map<Key, Row> actual) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<Key, Row> e : expected.entrySet()) {
      Row a = actual.get(e.getKey());
      if (a == null) {
        out.add("missing " + e.getValue());
      } else if (!a.equals(e.getValue())) {
        out.add("expected " + e.getValue() + " got " + a);
      }
    }
    for (Map.Entry<Key, Row> e : actual.entrySet()) {
      if (!expected.containsKey(e.getKey())) {
        out.add("extra " + e.getValue());
      }
    }
    return out.size() + " differences: " + out.subList(0, Math.min(20, out.size()));
  }

  /** Every row, for tables without a key. */
  static List<org.apache.iceberg.data.Record> records(Table table) {
    table.refresh();
    List<org.apache.iceberg.data.Record> out = new ArrayList<>();
    if (table.currentSnapshot() == null) {
      return out;
    }
    try (CloseableIterable<org.apache.iceberg.data.Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static Object fromIceberg(Object v, LogicalType t) {
    if (v == null) {
      return null;
    }
    return switch (t.kind()) {
      case BYTES -> {
        ByteBuffer b = ((ByteBuffer) v).duplicate();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        yield a;
      }
      case TIMESTAMP_TZ -> ((OffsetDateTime) v).toInstant();
      case DECIMAL -> v instanceof String s ? new BigDecimal(s) : v;
      case ARRAY -> ((List<?>) v).stream().map(e -> fromIceberg(e, t.element())).toList();
      default -> v;
    };
  }

  /** Per table: the checkpoint ids its snapshot summaries name, with repeats. */
  static List<String> checkpointIds(Table table) {
    table.refresh();
    List<String> ids = new ArrayList<>();
    for (Snapshot s : table.snapshots()) {
      String id = s.summary().get("sluice.checkpoint");
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }
}
