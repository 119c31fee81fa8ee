package dev.sluice.sink.jdbc;

import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import dev.sluice.core.sink.MetadataColumn;
import dev.sluice.core.sink.SchemaChangePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The JDBC sink's options, declared once: validation, defaults and {@code sluice describe} come
 * from {@link #OPTIONS}; the record holds the parsed values. {@link #toString()} leaves the
 * password out.
 */
public record JdbcSinkConfig(
    String url, String username, String password, String targetSchema, String tableNamePattern,
    SchemaChangePolicy schemaChanges, boolean softDelete, List<MetadataColumn> metadataColumns, int batchSize,
    int poolSize, Duration connectTimeout, String checkpointTable, boolean keepTransactions, Duration transactionMaxWait,
    Map<String, String> jdbcProperties) {

  public static final Option<String> URL = Option.string("url",
      "JDBC URL of the target database (jdbc:postgresql:, jdbc:mysql:, jdbc:mariadb: or jdbc:sqlite:)").asRequired();
  public static final Option<String> USERNAME = Option.string("username", "user the sink logs in as");
  public static final Option<String> PASSWORD = Option.password("password", "password of the user");
  public static final Option<String> TARGET_SCHEMA = Option.string("target.schema",
      "schema (PostgreSQL) or database (MySQL/MariaDB) the tables are written to; default: the connection's current one");
  public static final Option<String> TABLE_NAME_PATTERN = Option.string("table.name.pattern",
      "name of the target table; ${catalog}, ${schema} and ${table} are the source table's parts").withDefault("${table}");
  public static final Option<SchemaChangePolicy> SCHEMA_CHANGE_BEHAVIOR = new Option<>("schema.change.behavior",
      "evolve|try_evolve|lenient|ignore|exception", "lenient", false, false,
      "what a source schema change does to the target table (see the module README)", SchemaChangePolicy::parse);
  public static final Option<String> DELETE_MODE = Option.oneOf("delete.mode", List.of("hard", "soft"),
      "hard: delete the row; soft: keep it with __deleted = true and __deleted_at").withDefault("hard");
  public static final Option<List<MetadataColumn>> METADATA_COLUMNS = new Option<>("metadata.columns", "list", null,
      false, false, "extra columns to fill: any of source_table, op, source_ts", MetadataColumn::parseList);
  public static final Option<Integer> BATCH_SIZE = Option.integer("batch.size", 1,
      "changes buffered (after collapsing each key to its last change) before they are sent").withDefault("1000");
  public static final Option<Integer> POOL_SIZE = Option.integer("pool.size", 1,
      "connections the sink may hold").withDefault("2");
  public static final Option<Duration> CONNECT_TIMEOUT = Option.duration("connect.timeout",
      "how long to wait for a connection before reporting the target unreachable").withDefault("10s");
  public static final Option<String> CHECKPOINT_TABLE = Option.string("checkpoint.table",
      "table holding the pipeline's checkpoint in exactly-once delivery, in target.schema").withDefault("sluice_checkpoints");
  public static final Option<String> TRANSACTION_BOUNDARIES = Option.oneOf("transaction.boundaries",
      List.of("ignore", "keep"), "keep: commit only between source transactions, so that each one is applied in one "
          + "target transaction; ignore: commit at any checkpoint").withDefault("ignore");
  public static final Option<Duration> TRANSACTION_MAX_WAIT = Option.duration("transaction.max.wait",
      "with transaction.boundaries keep: how long a checkpoint may wait for the source transaction in progress to end "
          + "before it commits inside it").withDefault("60s");
  public static final Option<String> JDBC_PROPERTIES = Option.prefix("jdbc.properties.",
      "passed to the JDBC driver as connection properties, e.g. jdbc.properties.sslmode");

  public static final List<Option<?>> OPTIONS = List.of(URL, USERNAME, PASSWORD, TARGET_SCHEMA, TABLE_NAME_PATTERN,
      SCHEMA_CHANGE_BEHAVIOR, DELETE_MODE, METADATA_COLUMNS, BATCH_SIZE, POOL_SIZE, CONNECT_TIMEOUT, CHECKPOINT_TABLE,
      TRANSACTION_BOUNDARIES, TRANSACTION_MAX_WAIT, JDBC_PROPERTIES);

  public static JdbcSinkConfig from(Options o) {
    List<MetadataColumn> meta = o.get(METADATA_COLUMNS);
    return new JdbcSinkConfig(o.require(URL), o.get(USERNAME), o.get(PASSWORD), o.get(TARGET_SCHEMA),
        o.get(TABLE_NAME_PATTERN), o.get(SCHEMA_CHANGE_BEHAVIOR), o.get(DELETE_MODE).equals("soft"),
        meta == null ? List.of() : meta, o.get(BATCH_SIZE), o.get(POOL_SIZE), o.get(CONNECT_TIMEOUT),
        o.get(CHECKPOINT_TABLE), o.get(TRANSACTION_BOUNDARIES).equals("keep"), o.get(TRANSACTION_MAX_WAIT),
        o.withPrefix(JDBC_PROPERTIES));
  }

  public JdbcSinkConfig {
    metadataColumns = List.copyOf(metadataColumns);
    jdbcProperties = Map.copyOf(jdbcProperties);
  }

  @Override
  public String toString() {
    return "JdbcSinkConfig[url=" + dev.sluice.sink.jdbc.dialect.Dialects.scheme(url) + ", username=" + username
        + ", targetSchema=" + targetSchema + ", tableNamePattern=" + tableNamePattern + ", schemaChanges="
        + schemaChanges + ", softDelete=" + softDelete + ", metadataColumns=" + metadataColumns + ", batchSize="
        + batchSize + ", poolSize=" + poolSize + ", checkpointTable=" + checkpointTable + ", keepTransactions=" + keepTransactions
        + ", transactionMaxWait=" + transactionMaxWait + "]";
  }
}
