package dev.sluice.e2e.pipeline;

import dev.sluice.testsupport.JdbcEndpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A MySQL database (or a PostgreSQL schema) of one table, {@code orders(id, name, qty, version)},
 * and a writer thread making random inserts (new ids at the tail), updates and deletes on it, each
 * stamping a new version.
 */
final class MySqlWorkload implements AutoCloseable {
  final JdbcEndpoint server;
  final String database;
  private final String container;
  private final long seed;
  private final AtomicLong version = new AtomicLong(1_000_000);
  private volatile boolean running;
  private Thread writer;
  private final AtomicLong writes = new AtomicLong();
  private volatile Throwable writerError;

  MySqlWorkload(JdbcEndpoint server, String database, long seed) {
    this(server, database, seed, "DATABASE");
  }

  /** @param container what holds the table: DATABASE (MySQL) or SCHEMA (PostgreSQL) */
  MySqlWorkload(JdbcEndpoint server, String database, long seed, String container) {
    this.server = server;
    this.database = database;
    this.seed = seed;
    this.container = container;
  }

  void create(int rows) throws SQLException {
    try (Connection c = server.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("DROP " + container + " IF EXISTS " + database + cascade());
      s.execute("CREATE " + container + " " + database);
      s.execute("CREATE TABLE " + database + ".orders (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, "
          + "qty INT NOT NULL, version BIGINT NOT NULL)");
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + database + ".orders VALUES (?, ?, ?, ?)")) {
        for (int i = 1; i <= rows; i++) {
          ps.setLong(1, i);
          ps.setString(2, "order-" + i);
          ps.setInt(3, i % 100);
          ps.setLong(4, i);
          ps.addBatch();
          if (i % 1000 == 0) {
            ps.executeBatch();
            c.commit();
          }
        }
        ps.executeBatch();
        c.commit();
      }
    }
  }

  void startWriting() {
    running = true;
    writer = new Thread(this::writeLoop, "e2e-mysql-writer");
    writer.setDaemon(true);
    writer.start();
  }

  private void writeLoop() {
    Random r = new Random(seed);
    try (Connection c = server.connectAsAdmin()) {
      long maxId;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(id) FROM " + database + ".orders")) {
        rs.next();
        maxId = rs.getLong(1);
      }
      while (running) {
        int op = r.nextInt(10);
        long v = version.incrementAndGet();
        if (op < 4) {
          maxId++;
          exec(c, "INSERT INTO " + database + ".orders VALUES (" + maxId + ", 'new-" + maxId + "', " + r.nextInt(100)
              + ", " + v + ")");
        } else if (op < 8) {
          exec(c, "UPDATE " + database + ".orders SET qty = " + r.nextInt(100) + ", version = " + v + " WHERE id = "
              + (1 + r.nextLong(maxId)));
        } else {
          exec(c, "DELETE FROM " + database + ".orders WHERE id = " + (1 + r.nextLong(maxId)));
        }
        writes.incrementAndGet();
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
      }
    } catch (SQLException | RuntimeException e) {
      writerError = e;
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  void stopWriting() throws InterruptedException {
    running = false;
    if (writer != null) {
      writer.join();
    }
    if (writerError != null) {
      throw new AssertionError("the writer failed", writerError);
    }
  }

  long writes() {
    return writes.get();
  }

  /** id to "name|qty|version", the form the tests compare sinks in. */
  Map<Long, String> rows() throws SQLException {
    Map<Long, String> out = new TreeMap<>();
    try (Connection c = server.connectAsAdmin(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name, qty, version FROM " + database + ".orders")) {
      while (rs.next()) {
        out.put(rs.getLong(1), rs.getString(2) + "|" + rs.getInt(3) + "|" + rs.getLong(4));
      }
    }
    return out;
  }

  private String cascade() {
    return container.equals("SCHEMA") ? " CASCADE" : "";
  }

  @Override
  public void close() throws Exception {
    running = false;
    try (Connection c = server.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("DROP " + container + " IF EXISTS " + database + cascade());
    }
  }
}
