package dev.sluice.sink.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.sink.jdbc.dialect.Dialect;
import dev.sluice.sink.jdbc.dialect.Dialects;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Properties;

/**
 * The target database: a small HikariCP pool and the one connection the sink writes on. That
 * connection has autocommit off, so everything written since the last {@link #commit()} is one
 * open transaction: at-least-once mode commits it at flush, exactly-once mode together with the
 * checkpoint row. The connection is taken lazily, so a sink can be built while the target is down.
 */
final class Target implements AutoCloseable {
  private final JdbcSinkConfig config;
  private final Dialect dialect;
  private final HikariDataSource pool;
  private Connection connection;
  private String namespace;

  Target(JdbcSinkConfig config, Dialect dialect, String pipelineId) {
    this.config = config;
    this.dialect = dialect;
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("sluice-" + pipelineId + "-jdbc-sink");
    hc.setJdbcUrl(config.url());
    hc.setUsername(config.username());
    hc.setPassword(config.password());
    hc.setMaximumPoolSize(config.poolSize());
    hc.setMinimumIdle(0);
    hc.setAutoCommit(false);
    hc.setConnectionTimeout(Math.max(250, config.connectTimeout().toMillis()));
    hc.setValidationTimeout(Math.max(250, Math.min(5000, config.connectTimeout().toMillis())));
    // Do not connect while the sink is built: an unreachable target is reported by the first use,
    // as a retriable ConnectionException, not as a failure to construct.
    hc.setInitializationFailTimeout(-1);
    if (dialect.connectionInitSql() != null) {
      hc.setConnectionInitSql(dialect.connectionInitSql());
    }
    Properties props = new Properties();
    props.putAll(dialect.driverDefaults(config.connectTimeout()));
    props.putAll(config.jdbcProperties());
    hc.setDataSourceProperties(props);
    this.pool = new HikariDataSource(hc);
  }

  Dialect dialect() {
    return dialect;
  }

  /** The writing connection, opened on first use. */
  Connection connection() {
    if (connection == null) {
      try {
        connection = pool.getConnection();
      } catch (SQLException e) {
        if (refusedLogin(e)) {
          throw new ConfigurationException("JDBC sink: " + Dialects.scheme(config.url()) + " refused user '"
              + config.username() + "': " + rootMessage(e) + "; check options 'username' and 'password' and that the"
              + " user may connect to this database", e);
        }
        throw new ConnectionException("JDBC sink cannot reach " + Dialects.scheme(config.url()) + " as user '"
            + config.username() + "' within " + config.connectTimeout().toMillis() + " ms: " + rootMessage(e)
            + "; check option 'url', that the server is up and that it accepts this user", e);
      }
    }
    return connection;
  }

  /** The schema (PostgreSQL) or database (MySQL) the tables go to. */
  String namespace() throws SQLException {
    if (namespace == null) {
      if (config.targetSchema() != null) {
        namespace = config.targetSchema();
      } else {
        try (Statement st = connection().createStatement(); ResultSet rs = st.executeQuery(dialect.currentNamespaceQuery())) {
          rs.next();
          namespace = rs.getString(1);
        }
      }
    }
    return namespace;
  }

  void commit() throws SQLException {
    if (connection != null) {
      connection.commit();
    }
  }

  /**
   * Runs one DDL statement. Where DDL is transactional a failure is rolled back to a savepoint, so
   * the rows written before it stay in the open transaction.
   */
  void ddl(String sql) throws SQLException {
    Connection c = connection();
    if (!dialect.transactionalDdl()) {
      try (Statement st = c.createStatement()) {
        st.execute(sql);
      }
      return;
    }
    Savepoint sp = c.setSavepoint();
    try (Statement st = c.createStatement()) {
      st.execute(sql);
      c.releaseSavepoint(sp);
    } catch (SQLException e) {
      c.rollback(sp);
      throw e;
    }
  }

  /** Abandons the open transaction and the connection (after a failure, or at close). */
  void discard() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.rollback();
      } catch (SQLException e) {
        // the connection is broken; closing it below evicts it from the pool
      }
      try {
        c.close();
      } catch (SQLException e) {
        // nothing more to release
      }
    }
  }

  /** A wrong password or a user without access: not cured by retrying. */
  private static boolean refusedLogin(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException s && (s.getSQLState() != null && s.getSQLState().startsWith("28")
          || SqlErrors.isPermission(s))) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
  }

  @Override
  public void close() {
    discard();
    pool.close();
  }
}
