package dev.sluice.cli.demo;

import dev.sluice.cli.demo.Shop.Col;
import dev.sluice.cli.demo.Shop.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The Iceberg warehouse the iceberg sink wrote, with its embedded catalog ({@code catalog.db}),
 * read with Iceberg's generic reader as any Java program would read it: the live rows, equality
 * deletes applied.
 */
final class IcebergCopy implements Copy {
  /** The name the sink gives its catalog by default; a JDBC catalog keeps its tables under it. */
  static final String CATALOG_NAME = "sluice";

  private final JdbcCatalog catalog;

  IcebergCopy(Path warehouse) {
    if (!Files.exists(warehouse.resolve("catalog.db"))) {
      catalog = null;
      return;
    }
    catalog = new JdbcCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize(CATALOG_NAME, Map.of(CatalogProperties.URI, "jdbc:sqlite:" + warehouse.resolve("catalog.db"),
        CatalogProperties.WAREHOUSE_LOCATION, warehouse.toString(), "jdbc.schema-version", "V1"));
  }

  @Override
  public String kind() {
    return "Iceberg";
  }

  @Override
  public Checksum checksum(Table t) throws IOException {
    TableIdentifier id = find(t.name());
    if (id == null) {
      return null;
    }
    List<String> names = t.columns().stream().map(Col::name).toList();
    Checksum.Sum sum = new Checksum.Sum();
    String[] values = new String[names.size()];
    try (CloseableIterable<Record> rows = IcebergGenerics.read(catalog.loadTable(id)).select(names).build()) {
      for (Record r : rows) {
        for (int i = 0; i < values.length; i++) {
          values[i] = Checksum.canonical(r.getField(names.get(i)), t.columns().get(i).kind());
        }
        sum.add(values);
      }
    }
    return sum.result();
  }

  /** The table of that name in any namespace (the sink names namespaces after the source's database and schema). */
  private TableIdentifier find(String table) {
    if (catalog == null) {
      return null;
    }
    Deque<Namespace> pending = new ArrayDeque<>(catalog.listNamespaces());
    while (!pending.isEmpty()) {
      Namespace ns = pending.pop();
      for (TableIdentifier id : catalog.listTables(ns)) {
        if (id.name().equals(table)) {
          return id;
        }
      }
      pending.addAll(catalog.listNamespaces(ns));
    }
    return null;
  }

  @Override
  public void close() {
    if (catalog != null) {
      catalog.close();
    }
  }
}
