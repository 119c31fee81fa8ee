package dev.sluice.sink.iceberg;

import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TablePattern;
import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import dev.sluice.core.sink.MetadataColumn;
import dev.sluice.core.sink.SchemaChangePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Iceberg sink's options, declared once (validation, defaults and {@code sluice describe} come
 * from {@link #OPTIONS}); the record holds the parsed values. Catalog properties may hold secrets
 * (object store keys), so {@link #toString()} leaves them out.
 */
public record IcebergSinkConfig(
    String warehouse, String catalogType, String catalogUri, String catalogName, Map<String, String> catalogProperties,
    String namespace, Duration commitInterval, boolean exactlyOnce, SchemaChangePolicy schemaChanges,
    List<PartitionRule> partitionRules, List<MetadataColumn> metadataColumns, boolean appendWithoutKey,
    long targetFileSize, boolean wideDecimalAsString, Duration expireSnapshotsOlderThan, Duration compactInterval) {

  /** {@code partition.by} for the tables a pattern selects: Iceberg transforms of columns. */
  public record PartitionRule(TablePattern tables, List<String> fields) {}

  public static final Option<String> WAREHOUSE = Option.string("warehouse",
      "where the tables' files go: a directory, or a URI (file://, s3://, ...) the catalog's FileIO writes").asRequired();
  public static final Option<String> CATALOG_TYPE = Option.oneOf("catalog.type", List.of("jdbc", "hadoop", "rest"),
      "jdbc: a JDBC catalog (by default in a SQLite file in the warehouse); hadoop: metadata files only; rest: an "
          + "Iceberg REST catalog server").withDefault("jdbc");
  public static final Option<String> CATALOG_URI = Option.string("catalog.uri",
      "the JDBC catalog's URL (default jdbc:sqlite:<warehouse>/catalog.db) or the REST catalog's URL");
  public static final Option<String> CATALOG_NAME = Option.string("catalog.name",
      "the catalog's name (the JDBC catalog keeps it in each row)").withDefault("sluice");
  public static final Option<String> CATALOG_PROPERTIES = Option.prefix("catalog.properties.",
      "passed to the catalog as they are: FileIO options (io-impl, s3.endpoint, ...), credentials, jdbc.user");
  public static final Option<String> NAMESPACE = Option.string("namespace",
      "one namespace for every table; default: the source table's database (its schema for db.schema.table)");
  public static final Option<Duration> COMMIT_INTERVAL = Option.duration("commit.interval",
      "one Iceberg commit per table per interval (and at stop); it is the pipeline's checkpoint interval")
      .withDefault("60s");
  public static final Option<String> DELIVERY = Option.oneOf("sink.delivery-guarantee",
      List.of("exactly-once", "at-least-once"), "exactly-once (unless the sluice block says otherwise): the "
      + "checkpoint commits with the data, its id in the snapshot summary").withDefault("exactly-once");
  public static final Option<SchemaChangePolicy> SCHEMA_CHANGE_BEHAVIOR = new Option<>("schema.change.behavior",
      "evolve|try_evolve|lenient|ignore|exception", "lenient", false, false,
      "what a source schema change does to the Iceberg table (see the module README)", SchemaChangePolicy::parse);
  public static final Option<List<PartitionRule>> PARTITION_BY = new Option<>("partition.by", "rules", null, false,
      false, "per table pattern, Iceberg partition transforms: \"db.orders: days(created_at), bucket(16, id); "
          + "db.logs: region\"", IcebergSinkConfig::parsePartitionRules);
  public static final Option<List<MetadataColumn>> METADATA_COLUMNS = new Option<>("metadata.columns", "list", null,
      false, false, "extra columns to fill: any of source_table, op, source_ts", MetadataColumn::parseList);
  public static final Option<String> TABLE_WITHOUT_KEY = Option.oneOf("table.without-key", List.of("refuse", "append"),
      "a source table without a primary key: refuse it, or append every change as a row (with __op)")
      .withDefault("refuse");
  public static final Option<Long> FILE_TARGET_SIZE = new Option<>("file.target-size", "size", "128mb", false, false,
      "data files roll at about this size", IcebergSinkConfig::parseSize);
  public static final Option<String> DECIMAL_OVERFLOW = Option.oneOf("decimal.overflow", List.of("string", "refuse"),
      "a decimal wider than 38 digits or of unbounded precision: keep its exact digits as text, or refuse the table")
      .withDefault("string");
  public static final Option<Duration> EXPIRE_SNAPSHOTS = Option.duration("maintenance.expire-snapshots.older-than",
      "expire snapshots older than this after commits (off by default)");
  public static final Option<Duration> COMPACT_INTERVAL = Option.duration("maintenance.compact.interval",
      "rewrite each table's small data files into target-size ones this often (off by default)");

  public static final List<Option<?>> OPTIONS = List.of(WAREHOUSE, CATALOG_TYPE, CATALOG_URI, CATALOG_NAME,
      CATALOG_PROPERTIES, NAMESPACE, COMMIT_INTERVAL, DELIVERY, SCHEMA_CHANGE_BEHAVIOR, PARTITION_BY, METADATA_COLUMNS,
      TABLE_WITHOUT_KEY, FILE_TARGET_SIZE, DECIMAL_OVERFLOW, EXPIRE_SNAPSHOTS, COMPACT_INTERVAL);

  public static IcebergSinkConfig from(Options o) {
    List<PartitionRule> rules = o.get(PARTITION_BY);
    List<MetadataColumn> meta = o.get(METADATA_COLUMNS);
    String warehouse = o.require(WAREHOUSE).trim();
    String type = o.get(CATALOG_TYPE);
    String uri = o.get(CATALOG_URI);
    if (uri == null && type.equals("jdbc")) {
      uri = "jdbc:sqlite:" + localPath(warehouse).resolve("catalog.db");
    }
    if (uri == null && type.equals("rest")) {
      throw new dev.sluice.core.SluiceException.ConfigurationException(o.where()
          + ": option 'catalog.uri' must be set for catalog.type rest (the REST catalog's URL)");
    }
    if (o.get(COMMIT_INTERVAL).isZero() || o.get(COMMIT_INTERVAL).isNegative()) {
      throw new dev.sluice.core.SluiceException.ConfigurationException(o.where()
          + ": option 'commit.interval' must be positive, got " + o.raw(COMMIT_INTERVAL.name()));
    }
    return new IcebergSinkConfig(warehouse, type, uri, o.get(CATALOG_NAME), o.withPrefix(CATALOG_PROPERTIES),
        o.get(NAMESPACE), o.get(COMMIT_INTERVAL), o.get(DELIVERY).equals("exactly-once"), o.get(SCHEMA_CHANGE_BEHAVIOR),
        rules == null ? List.of() : rules, meta == null ? List.of() : meta, o.get(TABLE_WITHOUT_KEY).equals("append"),
        o.get(FILE_TARGET_SIZE), o.get(DECIMAL_OVERFLOW).equals("string"), o.get(EXPIRE_SNAPSHOTS),
        o.get(COMPACT_INTERVAL));
  }

  public IcebergSinkConfig {
    catalogProperties = Map.copyOf(catalogProperties);
    partitionRules = List.copyOf(partitionRules);
    metadataColumns = List.copyOf(metadataColumns);
  }

  /** The warehouse as a local directory: a plain path or a {@code file:} URI. */
  static Path localPath(String warehouse) {
    if (warehouse.startsWith("file://")) {
      return Path.of(java.net.URI.create(warehouse));
    }
    if (warehouse.startsWith("file:")) {
      return Path.of(warehouse.substring("file:".length()));
    }
    return Path.of(warehouse).toAbsolutePath();
  }

  /** Whether the warehouse is on the local disk (not an object store URI). */
  boolean localWarehouse() {
    return !warehouse.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") || warehouse.startsWith("file:");
  }

  /** The partition fields for a table: those of the first rule selecting it. */
  List<String> partitionFields(TableId source, String target) {
    for (PartitionRule r : partitionRules) {
      if (r.tables().matches(source) || r.tables().matches(target.split("\\.", -1))) {
        return r.fields();
      }
    }
    return List.of();
  }

  static List<PartitionRule> parsePartitionRules(String text) {
    List<PartitionRule> out = new ArrayList<>();
    for (String rule : text.split(";")) {
      if (rule.isBlank()) {
        continue;
      }
      int colon = rule.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("expected '<table pattern>: <transform>, ...' (e.g. \"db.orders: "
            + "days(created_at), bucket(16, id)\"), got '" + rule.trim() + "'");
      }
      TablePattern pattern = TablePattern.compile(rule.substring(0, colon));
      List<String> fields = splitFields(rule.substring(colon + 1));
      if (fields.isEmpty()) {
        throw new IllegalArgumentException("no partition field after '" + rule.substring(0, colon).trim() + ":'");
      }
      for (String f : fields) {
        Partitioning.parseField(f); // refuses what is not a transform
      }
      out.add(new PartitionRule(pattern, fields));
    }
    return List.copyOf(out);
  }

  /** Splits at the commas outside parentheses: {@code bucket(16, id), days(ts)}. */
  private static List<String> splitFields(String text) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        out.add(cur.toString().trim());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString().trim());
    return out.stream().filter(s -> !s.isEmpty()).toList();
  }

  /** {@code 128mb}, {@code 512kb}, {@code 1gb} or plain bytes. */
  static long parseSize(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    for (String[] u : new String[][] {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"b", "1"}}) {
      if (s.endsWith(u[0])) {
        unit = Long.parseLong(u[1]);
        s = s.substring(0, s.length() - u[0].length()).trim();
        break;
      }
    }
    try {
      long n = Long.parseLong(s);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("expected a size such as 128mb, 512kb or 1gb, got '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return "IcebergSinkConfig[warehouse=" + warehouse + ", catalog.type=" + catalogType + ", catalog.name="
        + catalogName + ", namespace=" + namespace + ", commit.interval=" + commitInterval + ", exactlyOnce="
        + exactlyOnce + ", schema.change.behavior=" + schemaChanges + "]";
  }
}
