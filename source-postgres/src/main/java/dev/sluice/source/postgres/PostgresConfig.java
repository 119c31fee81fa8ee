package dev.sluice.source.postgres;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.TablePattern;
import dev.sluice.core.option.Options;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The validated settings of one PostgreSQL source, read once from its {@link Options}.
 * {@link #toString()} leaves the password out.
 */
public record PostgresConfig(
    String where, String host, int port, String user, String password, String database, List<TablePattern> include,
    String slot, String publication, String startupMode, int chunkSize, int fetchSize, String chunkKeyColumn,
    Duration connectTimeout, int poolSize, Map<String, String> jdbcProperties, Map<String, String> debezium) {

  public static PostgresConfig from(Options o) {
    String mode = o.get(PostgresOptions.STARTUP_MODE);
    String database = o.require(PostgresOptions.DATABASE);
    String slot = o.get(PostgresOptions.SLOT);
    if (slot == null) {
      slot = "sluice_" + database.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }
    if (!slot.matches("[a-z0-9_]{1,63}")) {
      throw new ConfigurationException(o.where() + ": option 'slot.name': '" + slot
          + "' is not a valid slot name; use lower-case letters, digits and underscores (at most 63)");
    }
    String publication = o.get(PostgresOptions.PUBLICATION);
    return new PostgresConfig(o.where(), o.require(PostgresOptions.HOSTNAME), o.get(PostgresOptions.PORT),
        o.require(PostgresOptions.USERNAME), o.require(PostgresOptions.PASSWORD), database,
        o.tablePatterns("tables", o.require(PostgresOptions.TABLES)), slot, publication == null ? slot : publication, mode,
        o.get(PostgresOptions.CHUNK_SIZE), o.get(PostgresOptions.FETCH_SIZE), o.get(PostgresOptions.CHUNK_KEY_COLUMN),
        o.get(PostgresOptions.CONNECT_TIMEOUT), o.get(PostgresOptions.POOL_SIZE),
        o.withPrefix(PostgresOptions.JDBC_PROPERTIES), o.withPrefix(PostgresOptions.DEBEZIUM));
  }

  /**
   * Whether {@code schema.table} is captured: a pattern selects it as {@code schema.table}, or, as a
   * Flink CDC selector of three parts, as {@code database.schema.table}.
   */
  public boolean captures(String schema, String table) {
    return include.stream().anyMatch(p -> p.matches(schema, table) || p.matches(database, schema, table));
  }

  @Override
  public String toString() {
    return "PostgresConfig[" + user + "@" + host + ":" + port + "/" + database + " tables=" + include + " slot=" + slot
        + "]";
  }
}
