package dev.sluice.e2e.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The workload's table as an Iceberg warehouse written by the iceberg sink holds it, read with
 * Iceberg's generic reader through the embedded catalog ({@code <warehouse>/catalog.db}, catalog
 * name {@code sluice}), the way any Java program would read it.
 */
final class IcebergTables {
  private IcebergTables() {}

  /** Live rows of {@code namespace.orders}: id to "name|qty|version"; every id must be there once. */
  static Map<Long, String> rows(Path warehouse, String namespace) {
    Map<Long, String> out = new TreeMap<>();
    List<Long> twice = new ArrayList<>();
    withTable(warehouse, namespace, t -> {
      try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
        for (Record r : records) {
          long id = ((Number) r.getField("id")).longValue();
          String before = out.put(id, r.getField("name") + "|" + r.getField("qty") + "|" + r.getField("version"));
          if (before != null) {
            twice.add(id);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    if (!twice.isEmpty()) {
      throw new AssertionError("ids live more than once in " + namespace + ".orders: "
          + twice.subList(0, Math.min(20, twice.size())) + " (" + twice.size() + " in all)");
    }
    return out;
  }

  /** How many rows {@link #rows} finds, or -1 while the table cannot be read yet (being created). */
  static int rowsOrNone(Path warehouse, String namespace) {
    try {
      return rows(warehouse, namespace).size();
    } catch (RuntimeException notReadable) {
      return -1;
    }
  }

  /** The summary of every snapshot of {@code namespace.orders}, oldest first. */
  static List<Map<String, String>> summaries(Path warehouse, String namespace) {
    List<Map<String, String>> out = new ArrayList<>();
    withTable(warehouse, namespace, t -> {
      for (Snapshot s : t.snapshots()) {
        out.add(new HashMap<>(s.summary()));
      }
    });
    return out;
  }

  private static void withTable(Path warehouse, String namespace, java.util.function.Consumer<Table> use) {
    if (!Files.exists(warehouse.resolve("catalog.db"))) {
      return;
    }
    JdbcCatalog catalog = new JdbcCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize("sluice", Map.of(CatalogProperties.URI, "jdbc:sqlite:" + warehouse.resolve("catalog.db"),
        CatalogProperties.WAREHOUSE_LOCATION, warehouse.toString(), "jdbc.schema-version", "V1"));
    try {
      use.accept(catalog.loadTable(TableIdentifier.of(namespace, "orders")));
    } catch (NoSuchTableException notYet) {
      // the sink creates it with its first commit
    } finally {
      catalog.close();
    }
  }
}
