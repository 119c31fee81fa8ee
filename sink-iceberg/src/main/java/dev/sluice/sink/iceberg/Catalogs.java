package dev.sluice.sink.iceberg;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.RESTCatalog;

/** Opens the catalog the options name, refusing an unwritable warehouse or an unreachable catalog by name. */
final class Catalogs {
  private Catalogs() {}

  static Catalog open(IcebergSinkConfig c) {
    String warehouse = c.warehouse();
    if (c.localWarehouse()) {
      Path dir = IcebergSinkConfig.localPath(warehouse);
      checkWritable(dir);
      warehouse = dir.toString();
    }
    Map<String, String> props = new HashMap<>(c.catalogProperties());
    props.putIfAbsent(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    Configuration conf = new Configuration();
    Catalog catalog;
    try {
      switch (c.catalogType()) {
        case "jdbc" -> {
          props.put(CatalogProperties.URI, c.catalogUri());
          // V1 adds the view columns; SQLite takes it, and it is what current Iceberg expects.
          props.putIfAbsent("jdbc.schema-version", "V1");
          if (c.catalogUri().startsWith("jdbc:sqlite:")) {
            // One connection, and a wait instead of SQLITE_BUSY when another process (a reader,
            // a second pipeline) holds the file's lock for a moment.
            props.putIfAbsent(CatalogProperties.CLIENT_POOL_SIZE, "1");
            props.putIfAbsent("jdbc.busy_timeout", "30000");
            java.nio.file.Path file = java.nio.file.Path.of(c.catalogUri().substring("jdbc:sqlite:".length()));
            if (file.getParent() != null) {
              try {
                java.nio.file.Files.createDirectories(file.getParent());
              } catch (IOException e) {
                throw new ConfigurationException("iceberg sink: cannot create the catalog's directory "
                    + file.getParent() + ": " + e.getMessage(), e);
              }
            }
          }
          JdbcCatalog jdbc = new JdbcCatalog();
          jdbc.setConf(conf);
          jdbc.initialize(c.catalogName(), props);
          catalog = jdbc;
        }
        case "hadoop" -> {
          HadoopCatalog hadoop = new HadoopCatalog();
          hadoop.setConf(conf);
          hadoop.initialize(c.catalogName(), props);
          catalog = hadoop;
        }
        default -> {
          props.put(CatalogProperties.URI, c.catalogUri());
          RESTCatalog rest = new RESTCatalog();
          rest.setConf(conf);
          rest.initialize(c.catalogName(), props);
          catalog = rest;
        }
      }
      if (catalog instanceof SupportsNamespaces ns) {
        ns.listNamespaces(); // reaches the catalog now, so an unreachable one is reported at start
      }
    } catch (RuntimeException e) {
      throw new ConnectionException("iceberg sink: catalog '" + c.catalogName() + "' (" + c.catalogType() + " at "
          + describe(c) + ") is unreachable: " + rootMessage(e), e);
    }
    return catalog;
  }

  /** Where the catalog is, without user or password a URL may hold. */
  static String describe(IcebergSinkConfig c) {
    if (c.catalogType().equals("hadoop")) {
      return c.warehouse();
    }
    String uri = c.catalogUri();
    int q = uri.indexOf('?');
    String base = q < 0 ? uri : uri.substring(0, q);
    return base.replaceAll("//[^/@]*@", "//");
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return t == e ? m : e.getMessage() + " (" + m + ")";
  }

  private static void checkWritable(Path dir) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".sluice-write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new ConfigurationException("iceberg sink: warehouse directory " + dir + " is not writable ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + "); choose another warehouse or fix its permissions", e);
    }
  }
}
