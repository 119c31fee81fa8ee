package dev.sluice.source.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import java.sql.SQLException;

/** The read-only connection pool of a source, and what its failures mean. */
final class Connections {
  private Connections() {}

  static HikariDataSource pool(PostgresConfig config, String name) {
    HikariConfig h = new HikariConfig();
    h.setPoolName("sluice-" + name + "-jdbc");
    h.setJdbcUrl(url(config));
    h.setUsername(config.user());
    h.setPassword(config.password());
    h.setAutoCommit(true);
    h.setMaximumPoolSize(config.poolSize());
    h.setMinimumIdle(0);
    h.setConnectionTimeout(Math.max(250, config.connectTimeout().toMillis()));
    h.setInitializationFailTimeout(-1);
    h.addDataSourceProperty("ApplicationName", "sluice");
    // Text forms of timestamptz are read in UTC, whatever the JVM or server zone; intervals in ISO 8601.
    h.setConnectionInitSql("SET TIME ZONE 'UTC'; SET intervalstyle = 'iso_8601'");
    config.jdbcProperties().forEach(h::addDataSourceProperty);
    return new HikariDataSource(h);
  }

  static String url(PostgresConfig config) {
    return "jdbc:postgresql://" + config.host() + ":" + config.port() + "/" + config.database()
        + "?connectTimeout=" + Math.max(1, config.connectTimeout().toSeconds());
  }

  /** A failure: bad credentials or a missing database are configuration errors, the rest retriable. */
  static SluiceException translate(PostgresConfig config, Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String state = e instanceof SQLException s ? String.valueOf(s.getSQLState())
        : root instanceof SQLException s ? String.valueOf(s.getSQLState()) : "";
    String where = config.host() + ":" + config.port() + "/" + config.database();
    if (state.equals("28P01") || state.equals("28000")) {
      return new ConfigurationException("access denied for user '" + config.user() + "' at " + where
          + "; check the username and password options (and pg_hba.conf)", e);
    }
    if (state.equals("3D000")) {
      return new ConfigurationException("database '" + config.database() + "' does not exist at " + config.host() + ":"
          + config.port() + "; check the database-name option", e);
    }
    if (state.equals("42501")) {
      return new ConfigurationException("user '" + config.user() + "' lacks a privilege at " + where + ": "
          + root.getMessage(), e);
    }
    if (e instanceof HikariPool.PoolInitializationException || state.startsWith("08")
        || String.valueOf(root.getMessage()).contains("Connection refused")
        || String.valueOf(e.getMessage()).contains("Connection is not available")) {
      return new ConnectionException("cannot reach the server at " + config.host() + ":" + config.port() + " ("
          + root.getMessage() + "); check the hostname and port options and that the server is up", e);
    }
    return new ConnectionException("server " + where + ": " + e.getMessage(), e);
  }
}
