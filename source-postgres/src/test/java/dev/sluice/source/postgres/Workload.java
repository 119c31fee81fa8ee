package dev.sluice.source.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writers doing random INSERT (new keys at the tail), UPDATE and DELETE (anywhere) on three tables
 * with an integer, a composite and a text key, in small transactions. Seeded; the seed is printed.
 */
final class Workload implements AutoCloseable {
  static final List<String> TABLES = List.of("w_int", "w_pair", "w_text");

  final AtomicLong writes = new AtomicLong();
  private final Db db;
  private final long seed;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;
  private volatile int rows;

  Workload(Db db, long seed) {
    this.db = db;
    this.seed = seed;
    System.out.println("Workload seed " + seed);
  }

  void create(int n) throws SQLException {
    rows = n;
    db.sql("CREATE TABLE w_int (id bigint PRIMARY KEY, v bigint NOT NULL, payload text)",
        "CREATE TABLE w_pair (a int, b int, v bigint NOT NULL, payload text, PRIMARY KEY (a, b))",
        "CREATE TABLE w_text (k varchar(40) PRIMARY KEY, v bigint NOT NULL, payload text)",
        "INSERT INTO w_int SELECT g, 0, md5(g::text) FROM generate_series(1, " + n + ") g",
        "INSERT INTO w_pair SELECT g % 7, g, 0, md5(g::text) FROM generate_series(1, " + n + ") g",
        "INSERT INTO w_text SELECT 'k' || g || CASE WHEN g % 3 = 0 THEN 'É' WHEN g % 3 = 1 THEN 'a' ELSE 'Z' END, 0, "
            + "md5(g::text) FROM generate_series(1, " + n + ") g");
  }

  void start(int writers) {
    running = true;
    for (int w = 0; w < writers; w++) {
      Random random = new Random(seed + w);
      int id = w;
      Thread t = new Thread(() -> run(random, id), "srcpg-writer-" + w);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void run(Random random, int writer) {
    long next = 1_000_000L * (writer + 1);
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      while (running) {
        int ops = 1 + random.nextInt(3);
        for (int i = 0; i < ops; i++) {
          String table = TABLES.get(random.nextInt(TABLES.size()));
          int op = random.nextInt(10);
          long key = 1 + random.nextInt(rows);
          if (op < 3) {
            next++;
            exec(c, insert(table), next);
          } else if (op < 8) {
            exec(c, update(table), key);
          } else {
            exec(c, delete(table), key);
          }
        }
        c.commit();
        writes.addAndGet(ops);
        Thread.onSpinWait();
        if (random.nextInt(4) == 0) {
          Thread.sleep(1); // pacing, not coordination: keeps the writers from starving the pipeline
        }
      }
    } catch (SQLException e) {
      if (running) {
        throw new IllegalStateException(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String insert(String table) {
    return switch (table) {
      case "w_int" -> "INSERT INTO w_int VALUES (?, 0, 'new')";
      case "w_pair" -> "INSERT INTO w_pair VALUES (9, ?, 0, 'new')";
      default -> "INSERT INTO w_text VALUES ('n' || ?, 0, 'new')";
    };
  }

  private static String update(String table) {
    return switch (table) {
      case "w_int" -> "UPDATE w_int SET v = v + 1, payload = md5(random()::text) WHERE id = ?";
      case "w_pair" -> "UPDATE w_pair SET v = v + 1 WHERE b = ? AND a = b % 7";
      default -> "UPDATE w_text SET v = v + 1 WHERE k LIKE 'k' || ? || '_'";
    };
  }

  private static String delete(String table) {
    return switch (table) {
      case "w_int" -> "DELETE FROM w_int WHERE id = ?";
      case "w_pair" -> "DELETE FROM w_pair WHERE b = ? AND a = b % 7";
      default -> "DELETE FROM w_text WHERE k LIKE 'k' || ? || '_'";
    };
  }

  private static void exec(Connection c, String sql, long key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, key);
      ps.executeUpdate();
    }
  }

  void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(10_000);
    }
    threads.clear();
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
