package dev.sluice.source.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Four tables (integer key, composite key, string key, no primary key) filled with rows, and writer
 * threads doing random INSERT (often at the tail), UPDATE and DELETE on them until stopped.
 */
final class Workload implements AutoCloseable {
  static final List<String> TABLES = List.of("t_int", "t_comp", "t_str", "t_nopk");

  private final Db db;
  private final long seed;
  private final List<Thread> writers = new ArrayList<>();
  private final AtomicLong nextId = new AtomicLong(1_000_000);
  final AtomicLong writes = new AtomicLong();
  private volatile boolean stop;
  private volatile Throwable failure;

  Workload(Db db, long seed) {
    this.db = db;
    this.seed = seed;
  }

  void create(int rowsPerTable) throws SQLException {
    db.sql("CREATE TABLE $db.t_int (id INT PRIMARY KEY, v VARCHAR(64), n BIGINT)",
        "CREATE TABLE $db.t_comp (a INT NOT NULL, b VARCHAR(20) COLLATE utf8mb4_bin NOT NULL, v VARCHAR(64), "
            + "PRIMARY KEY (a, b))",
        "CREATE TABLE $db.t_str (k VARCHAR(40) COLLATE utf8mb4_bin PRIMARY KEY, v VARCHAR(64))",
        "CREATE TABLE $db.t_nopk (id BIGINT NOT NULL, v VARCHAR(64), UNIQUE KEY (id))");
    try (Connection c = db.admin()) {
      c.setAutoCommit(false);
      for (int i = 1; i <= rowsPerTable; i++) {
        insert(c, "t_int", i, "init");
        insert(c, "t_comp", i, "init");
        insert(c, "t_str", i, "init");
        insert(c, "t_nopk", i, "init");
        if (i % 500 == 0) {
          c.commit();
        }
      }
      c.commit();
    }
  }

  private static void insert(Connection c, String table, long i, String v) throws SQLException {
    String sql = switch (table) {
      case "t_int" -> "INSERT INTO t_int VALUES (?, ?, ?)";
      case "t_comp" -> "INSERT INTO t_comp VALUES (?, ?, ?)";
      case "t_str" -> "INSERT INTO t_str VALUES (?, ?)";
      default -> "INSERT INTO t_nopk VALUES (?, ?)";
    };
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      switch (table) {
        case "t_int" -> {
          ps.setLong(1, i);
          ps.setString(2, v);
          ps.setLong(3, i);
        }
        case "t_comp" -> {
          ps.setLong(1, i / 3);
          ps.setString(2, "b" + i);
          ps.setString(3, v);
        }
        case "t_str" -> {
          ps.setString(1, String.format("key-%09d", i));
          ps.setString(2, v);
        }
        default -> {
          ps.setLong(1, i);
          ps.setString(2, v);
        }
      }
      ps.executeUpdate();
    }
  }

  void start(int threads) {
    System.out.println("workload seed " + seed);
    for (int t = 0; t < threads; t++) {
      Random random = new Random(seed + t);
      Thread w = new Thread(() -> run(random), "workload-writer-" + t);
      writers.add(w);
      w.start();
    }
  }

  private void run(Random random) {
    try (Connection c = db.admin()) {
      while (!stop) {
        String table = TABLES.get(random.nextInt(TABLES.size()));
        int op = random.nextInt(10);
        if (op < 4) {
          insert(c, table, nextId.incrementAndGet(), "ins");
        } else if (op < 7) {
          try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + table + " SET v = 'upd" + random.nextInt(1000) + "' " + randomRow(c, table, random));
          }
        } else {
          try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + table + " " + randomRow(c, table, random));
          }
        }
        writes.incrementAndGet();
      }
    } catch (SQLException | RuntimeException e) {
      failure = e;
    }
  }

  /** A WHERE clause picking one existing row, anywhere in the table (chunks being read included). */
  private static String randomRow(Connection c, String table, Random random) throws SQLException {
    String key = switch (table) {
      case "t_int", "t_nopk" -> "id";
      case "t_comp" -> "b";
      default -> "k";
    };
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + key + " FROM " + table
        + " WHERE " + key + " >= " + (key.equals("id") ? Integer.toString(random.nextInt(4000))
            : "'" + (key.equals("b") ? "b" : "key-") + random.nextInt(4000) + "'") + " LIMIT 1")) {
      if (!rs.next()) {
        return "WHERE 1 = 0";
      }
      return "WHERE " + key + " = '" + rs.getString(1) + "'";
    }
  }

  void stop() throws InterruptedException {
    stop = true;
    for (Thread w : writers) {
      w.join();
    }
    if (failure != null) {
      throw new AssertionError("writer failed", failure);
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
