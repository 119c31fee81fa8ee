package dev.sluice.source.postgres;

import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.event.TableId;
import dev.sluice.core.option.Options;
import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A private database {@code srcpg_<random>} on the test server, owned by the test user (so the
 * source can create its publication), with its own slot; both dropped on close.
 */
final class Db implements AutoCloseable {
  final JdbcEndpoint endpoint;
  final String name;

  Db() throws SQLException {
    this.endpoint = TestServers.postgres();
    this.name = "srcpg_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    try (Connection c = endpoint.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + " OWNER " + endpoint.user());
    }
  }

  String url() {
    return "jdbc:postgresql://" + endpoint.host() + ":" + endpoint.port() + "/" + name;
  }

  /** A connection to this database as the test (replication) user, autocommit. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), endpoint.user(), endpoint.password());
  }

  void sql(String... statements) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String st : statements) {
        s.execute(st);
      }
    }
  }

  /** An LSN a query returns as text (0 for null). */
  long lsn(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() && rs.getString(1) != null ? Lsn.parse(rs.getString(1)) : 0;
    }
  }

  /** What this database's slot has confirmed. */
  long confirmedLsn() throws SQLException {
    return lsn("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE database = current_database()");
  }

  Map<String, String> options() {
    Map<String, String> o = new HashMap<>();
    o.put("hostname", endpoint.host());
    o.put("port", Integer.toString(endpoint.port()));
    o.put("username", endpoint.user());
    o.put("password", endpoint.password());
    o.put("database-name", name);
    o.put("tables", "public\\..*");
    return o;
  }

  PostgresSource source(Map<String, String> overrides) {
    Map<String, String> o = options();
    o.putAll(overrides);
    return (PostgresSource) new PostgresSourceFactory().create(Options.parse("test source", PostgresOptions.ALL, o));
  }

  PostgresSource source() {
    return source(Map.of());
  }

  /**
   * A source for a restart: the server may still show the slot active for a moment after the
   * previous reader's connection closed (a retriable refusal), so this retries until it is free.
   */
  PostgresSource restartedSource(Map<String, String> overrides) {
    AtomicReference<PostgresSource> made = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(ConnectionException.class)
        .until(() -> {
          made.set(source(overrides));
          return true;
        });
    return made.get();
  }

  TableId table(String t) {
    return new TableId(name, "public", t);
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = endpoint.connectAsAdmin(); Statement s = c.createStatement()) {
      // A terminated walsender lets go of its slot a moment later: retry the drop while it is in use.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (true) {
        s.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = '" + name
            + "' AND active_pid IS NOT NULL");
        try {
          s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + name
              + "'");
          break;
        } catch (SQLException e) {
          if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
            throw e;
          }
          try {
            Thread.sleep(100);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }
}
