package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A string key in the server's default collation (MySQL 8: {@code utf8mb4_0900_ai_ci}, MariaDB:
 * {@code utf8mb4_general_ci}), case- and accent-insensitive: UUIDs and mixed-case words, accented
 * and not. Writers insert, update, delete, change a key's case or accents (the same row in the
 * collation) and move rows to other keys while the parallel snapshot reads small chunks, and after;
 * once caught up, the sink equals the table row for row.
 */
class CollationKeysIT {
  @TempDir Path dir;

  private static final String[] SYLLABLES = {"ka", "Ré", "mo", "LU", "sé", "Ti", "na", "ÑA", "be", "Zo", "qu", "ÉL"};

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void sinkEqualsSourceWithConcurrentWritesOnADefaultCollationKey(String server) throws Exception {
    long seed = ThreadLocalRandom.current().nextLong();
    System.out.println("collation keys seed " + seed);
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.ci_keys (k VARCHAR(64) NOT NULL PRIMARY KEY, v VARCHAR(64)) CHARACTER SET utf8mb4");
      try (Connection c = db.admin(); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
              + db.name + "' AND TABLE_NAME = 'ci_keys' AND COLUMN_NAME = 'k'")) {
        r.next();
        assertThat(r.getString(1)).isEqualTo(db.mariadb ? "utf8mb4_general_ci" : "utf8mb4_0900_ai_ci");
      }
      Random random = new Random(seed);
      try (Connection c = db.admin();
          PreparedStatement ps = c.prepareStatement("INSERT IGNORE INTO ci_keys VALUES (?, 'init')")) {
        c.setAutoCommit(false);
        for (int i = 0; i < 2000; i++) {
          ps.setString(1, newKey(random));
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      }
      Writers w = new Writers(db, seed);
      try (MySqlSource source = db.source()) {
        CollectingSink sink = new CollectingSink();
        w.start(2);
        Pipeline p = SourceFixtures.pipeline("ci", source, sink, dir, 4, 80);
        await().atMost(Duration.ofSeconds(90)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        long after = w.writes.get() + 300;
        await().atMost(Duration.ofSeconds(30)).until(() -> w.writes.get() > after);
        w.stop();
        assertThat(w.keyChanges.get()).as("keys changed within their collation class").isPositive();
        TableId t = db.table("ci_keys");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(SourceFixtures.differences(sink.rows(t), SourceFixtures.contents(source, t))).isEmpty());
        // A key changed to an equal value arrives as a delete of the old value and an insert of the
        // new one, which is what lets the engine keep rows by value (see the README).
        db.sql("INSERT INTO $db.ci_keys VALUES ('case-change-probe', 'x')",
            "UPDATE $db.ci_keys SET k = 'Case-Change-Probe' WHERE k = 'case-change-probe'");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sink.events().stream()
            .filter(e -> e.table().equals(t) && String.valueOf(e.key().get(0)).equalsIgnoreCase("case-change-probe"))
            .map(e -> e.op() + " " + e.key().get(0)).toList())
            .containsExactly("INSERT case-change-probe", "DELETE case-change-probe", "INSERT Case-Change-Probe"));
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      } finally {
        w.stop();
      }
    }
  }

  static String newKey(Random random) {
    if (random.nextBoolean()) {
      return new UUID(random.nextLong(), random.nextLong()).toString();
    }
    StringBuilder b = new StringBuilder();
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      b.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
    }
    return b.append(random.nextInt(100)).toString();
  }

  /** The same key in the collation: other case or accents. */
  static String sameInCollation(String k, Random random) {
    StringBuilder b = new StringBuilder();
    for (char ch : k.toCharArray()) {
      char c = random.nextBoolean() ? Character.toUpperCase(ch) : Character.toLowerCase(ch);
      b.append(switch (c) {
        case 'e' -> random.nextBoolean() ? 'é' : 'e';
        case 'é' -> random.nextBoolean() ? 'e' : 'è';
        case 'E' -> 'É';
        case 'É' -> 'E';
        default -> c;
      });
    }
    return b.toString();
  }

  private static final class Writers {
    private final Db db;
    private final long seed;
    private final List<Thread> threads = new ArrayList<>();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong keyChanges = new AtomicLong();
    private volatile boolean stop;
    private volatile Throwable failure;

    Writers(Db db, long seed) {
      this.db = db;
      this.seed = seed;
    }

    void start(int n) {
      for (int i = 0; i < n; i++) {
        Random random = new Random(seed + 1 + i);
        Thread t = new Thread(() -> run(random), "collation-writer-" + i);
        threads.add(t);
        t.start();
      }
    }

    private void run(Random random) {
      try (Connection c = db.admin()) {
        while (!stop) {
          int op = random.nextInt(10);
          if (op < 3) {
            update(c, "INSERT IGNORE INTO ci_keys VALUES (?, 'ins')", newKey(random));
          } else {
            String k = randomKey(c, random);
            if (k == null) {
              continue;
            }
            if (op < 5) {
              update(c, "UPDATE ci_keys SET v = 'upd" + random.nextInt(1000) + "' WHERE k = ?", k);
            } else if (op < 7) {
              if (update(c, "UPDATE IGNORE ci_keys SET k = ? WHERE k = ?", sameInCollation(k, random), k) > 0) {
                keyChanges.incrementAndGet();
              }
            } else if (op < 8) {
              update(c, "UPDATE IGNORE ci_keys SET k = ? WHERE k = ?", newKey(random), k);
            } else {
              update(c, "DELETE FROM ci_keys WHERE k = ?", k);
            }
          }
          writes.incrementAndGet();
        }
      } catch (SQLException | RuntimeException e) {
        failure = e;
      }
    }

    private static int update(Connection c, String sql, String... args) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          ps.setString(i + 1, args[i]);
        }
        return ps.executeUpdate();
      }
    }

    /** An existing key anywhere in the table, chunks being read included. */
    private static String randomKey(Connection c, Random random) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT k FROM ci_keys WHERE k >= ? ORDER BY k LIMIT 1")) {
        ps.setString(1, newKey(random).substring(0, 2));
        try (ResultSet r = ps.executeQuery()) {
          return r.next() ? r.getString(1) : null;
        }
      }
    }

    void stop() throws InterruptedException {
      stop = true;
      for (Thread t : threads) {
        t.join();
      }
      if (failure != null) {
        throw new AssertionError("writer failed", failure);
      }
    }
  }
}
