package dev.sluice.source.mysql;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.TablePattern;
import dev.sluice.core.option.Options;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The validated settings of one MySQL source, read once from its {@link Options}. {@link #toString()}
 * leaves the password out.
 */
public record MySqlConfig(
    String where, String host, int port, String user, String password, List<TablePattern> include, List<TablePattern> exclude,
    long serverId, String serverTimeZone, String startupMode, StartAt startAt, int chunkSize, int fetchSize, String chunkKeyColumn,
    Duration connectTimeout, int poolSize, MySqlValues.ZeroDates zeroDates, Map<String, String> jdbcProperties,
    Map<String, String> debezium) {

  public static MySqlConfig from(Options o) {
    String mode = o.get(MySqlOptions.STARTUP_MODE);
    return new MySqlConfig(o.where(), o.require(MySqlOptions.HOSTNAME), o.get(MySqlOptions.PORT),
        o.require(MySqlOptions.USERNAME), o.require(MySqlOptions.PASSWORD),
        patterns(o, "tables", o.require(MySqlOptions.TABLES)),
        patterns(o, "tables.exclude", o.get(MySqlOptions.TABLES_EXCLUDE)),
        serverId(o), o.get(MySqlOptions.SERVER_TIME_ZONE), mode, StartAt.from(o, mode), o.get(MySqlOptions.CHUNK_SIZE),
        o.get(MySqlOptions.FETCH_SIZE), o.get(MySqlOptions.CHUNK_KEY_COLUMN), o.get(MySqlOptions.CONNECT_TIMEOUT),
        o.get(MySqlOptions.POOL_SIZE),
        MySqlValues.ZeroDates.of(o.get(MySqlOptions.ZERO_DATE_HANDLING)), o.withPrefix(MySqlOptions.JDBC_PROPERTIES), o.withPrefix(MySqlOptions.DEBEZIUM));
  }

  private static List<TablePattern> patterns(Options o, String option, List<String> patterns) {
    return patterns == null ? List.of() : o.tablePatterns(option, patterns);
  }

  private static long serverId(Options o) {
    String text = o.get(MySqlOptions.SERVER_ID).trim();
    String first = text.contains("-") ? text.substring(0, text.indexOf('-')).trim() : text;
    try {
      long id = Long.parseLong(first);
      if (id < 1 || id > 4294967295L) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw new ConfigurationException(o.where() + ": option 'server-id': expected a number from 1 to 4294967295 "
          + "or a range like 5400-5404, got '" + text + "'");
    }
  }

  /** Whether {@code db.table} is captured. */
  public boolean captures(String database, String table) {
    return include.stream().anyMatch(p -> p.matches(database, table))
        && exclude.stream().noneMatch(p -> p.matches(database, table));
  }

  @Override
  public String toString() {
    return "MySqlConfig[" + user + "@" + host + ":" + port + " tables=" + include + "]";
  }
}
