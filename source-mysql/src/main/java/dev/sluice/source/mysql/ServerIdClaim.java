package dev.sluice.source.mysql;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.LogBatch;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure no other binlog reader uses this source's {@code server-id} while its log is open.
 *
 * <p>The server keeps one binlog dump per replica server id and silently drops the older reader when a
 * second one connects with the same id, so two pipelines sharing an id would take turns kicking each
 * other out. A binlog client that does not register (Debezium's does not) is invisible in
 * {@code SHOW SLAVE HOSTS} and the process list does not show the id, so Sluice readers announce
 * theirs: the open log holds the server-wide named lock {@code sluice.server-id.<id>} on a
 * dedicated connection, and a second reader with the same id is refused before it connects. Before
 * that the id is compared with the server's own {@code server_id} and with the replicas that did
 * register ({@code SHOW SLAVE HOSTS}, where the user may run it). Other unregistered binlog clients
 * with the same id are not seen; the reader's error when one kicks it still names the option.
 */
final class ServerIdClaim implements AutoCloseable {
  private final Connection connection;

  private ServerIdClaim(Connection connection) {
    this.connection = connection;
  }

  static ServerIdClaim acquire(MySqlConfig config) {
    long id = config.serverId();
    Connection c = null;
    try {
      c = connect(config);
      try (Statement s = c.createStatement()) {
        checkNotServerOwn(s, id);
        checkRegisteredReplicas(s, id);
        // The lock lives as long as the connection; keep the server from closing an idle one.
        s.execute("SET SESSION wait_timeout = 31536000");
      }
      String lock = "sluice.server-id." + id;
      try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 0), IS_USED_LOCK(?)")) {
        ps.setString(1, lock);
        ps.setString(2, lock);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) != 1) {
            throw inUse(id, "another Sluice binlog reader (server connection " + rs.getString(2) + ")");
          }
        }
      }
      return new ServerIdClaim(c);
    } catch (SQLException e) {
      closeQuietly(c);
      throw Connections.translate(config, e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private static Connection connect(MySqlConfig config) throws SQLException {
    Properties p = new Properties();
    config.jdbcProperties().forEach(p::setProperty);
    p.setProperty("user", config.user());
    p.setProperty("password", config.password());
    return DriverManager.getConnection(Connections.url(config), p);
  }

  private static void checkNotServerOwn(Statement s, long id) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.server_id")) {
      rs.next();
      if (rs.getLong(1) == id) {
        throw inUse(id, "the server itself (its server_id)");
      }
    }
  }

  private static void checkRegisteredReplicas(Statement s, long id) {
    try (ResultSet rs = s.executeQuery("SHOW SLAVE HOSTS")) {
      while (rs.next()) {
        if (rs.getLong("Server_id") == id) {
          throw inUse(id, "a registered replica at " + rs.getString("Host") + ":" + rs.getString("Port"));
        }
      }
    } catch (SQLException e) {
      // MariaDB wants REPLICATION MASTER ADMIN for this; without it only the lock below is checked.
    }
  }

  private static ConfigurationException inUse(long id, String by) {
    return new ConfigurationException("option 'server-id': server id " + id + " is already used by " + by
        + "; every binlog reader of a server needs its own id, so give this pipeline a different server-id");
  }

  /** The log with this claim released after it closes. */
  ChangeLog holdWhileOpen(ChangeLog log) {
    return new ChangeLog() {
      @Override
      public LogBatch poll(long timeout, TimeUnit unit) throws InterruptedException {
        return log.poll(timeout, unit);
      }

      @Override
      public Map<String, String> state() {
        return log.state();
      }

      @Override
      public void committed() {
        log.committed();
      }

      @Override
      public void close() {
        try {
          log.close();
        } finally {
          ServerIdClaim.this.close();
        }
      }
    };
  }

  /** Releases the id: closing the connection drops the lock. */
  @Override
  public void close() {
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // the lock goes with the session either way
      }
    }
  }
}
