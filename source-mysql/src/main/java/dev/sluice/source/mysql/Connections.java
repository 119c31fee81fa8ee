package dev.sluice.source.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import java.sql.SQLException;

/** The read-only, autocommit connection pool of a source, and what its failures mean. */
final class Connections {
  private Connections() {}

  static HikariDataSource pool(MySqlConfig config, String name) {
    return pool(config, name, config.poolSize());
  }

  static HikariDataSource pool(MySqlConfig config, String name, int size) {
    HikariConfig h = new HikariConfig();
    h.setPoolName("sluice-" + name + "-jdbc");
    h.setJdbcUrl(url(config));
    h.setUsername(config.user());
    h.setPassword(config.password());
    h.setReadOnly(true);
    h.setAutoCommit(true);
    h.setMaximumPoolSize(size);
    h.setMinimumIdle(0);
    h.setConnectionTimeout(Math.max(250, config.connectTimeout().toMillis()));
    h.setInitializationFailTimeout(-1);
    config.jdbcProperties().forEach(h::addDataSourceProperty);
    return new HikariDataSource(h);
  }

  static String url(MySqlConfig config) {
    return "jdbc:mysql://" + config.host() + ":" + config.port() + "/?allowPublicKeyRetrieval=true"
        + "&useCursorFetch=true&tinyInt1isBit=false&yearIsDateType=false&characterEncoding=UTF-8"
        + "&connectTimeout=" + config.connectTimeout().toMillis();
  }

  /** A connection failure: bad credentials are a configuration error, the rest retriable. */
  static SluiceException translate(MySqlConfig config, Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = String.valueOf(e.getMessage()) + " / " + root.getMessage();
    if (msg.contains("Access denied")) {
      return new ConfigurationException("access denied for user '" + config.user() + "' at " + config.host() + ":"
          + config.port() + "; check the username and password options", e);
    }
    if (e instanceof SQLException s && s.getErrorCode() == 1227) {
      return new ConfigurationException("user '" + config.user() + "' lacks a privilege: " + s.getMessage(), e);
    }
    if (e instanceof HikariPool.PoolInitializationException || msg.contains("Communications link failure")
        || msg.contains("Connection refused") || msg.contains("timed out") || msg.contains("Connection is not available")) {
      return new ConnectionException("cannot reach the server at " + config.host() + ":" + config.port()
          + " (" + root.getMessage() + "); check the hostname and port options and that the server is up", e);
    }
    return new ConnectionException("server " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
  }
}
