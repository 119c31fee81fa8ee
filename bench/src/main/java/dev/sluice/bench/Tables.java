package dev.sluice.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The bench's tables and their deterministic contents: every value is a function of the row number
 * n (1..rows), computed by the server itself from a 1000-row sequence table, so generation takes
 * a few INSERT ... SELECT statements and the same rows come out on every machine. A table is kept
 * between runs while {@code bench_meta} says it holds the same definition and row count.
 */
enum Tables {
  /** The narrow table. */
  NARROW("narrow", "id BIGINT NOT NULL PRIMARY KEY, i INT NOT NULL, s1 VARCHAR(60) NOT NULL, s2 VARCHAR(40), "
      + "d DECIMAL(12,2), t DATETIME(3)",
      "n, CRC32(n) % 2000000000, LEFT(CONCAT('name-', MD5(n), MD5(n + 1)), 20 + n % 40), "
          + "CONCAT('city ', n % 997, ' ', SUBSTR(MD5(n), 1, 8)), (n * 7919 % 100000000) / 100, "
          + "TIMESTAMP('2024-01-01') + INTERVAL (n * 7919 % 31536000000) * 1000 MICROSECOND"),
  /** A random-looking UUID text key in the server's default collation. */
  UUID_KEY("uuid_key", "id VARCHAR(36) NOT NULL PRIMARY KEY, i INT NOT NULL, s1 VARCHAR(60) NOT NULL, "
      + "d DECIMAL(12,2), t DATETIME(3)",
      "CONCAT_WS('-', SUBSTR(MD5(n), 1, 8), SUBSTR(MD5(n), 9, 4), SUBSTR(MD5(n), 13, 4), SUBSTR(MD5(n), 17, 4), "
          + "SUBSTR(MD5(n), 21, 12)), CRC32(n) % 2000000000, CONCAT('name-', MD5(n + 1)), (n * 7919 % 100000000) / 100, "
          + "TIMESTAMP('2024-01-01') + INTERVAL (n * 7919 % 31536000000) * 1000 MICROSECOND"),
  /** A composite key whose first column is 0 for 90 % of the rows. */
  SKEWED("skewed", "a INT NOT NULL, b BIGINT NOT NULL, s1 VARCHAR(60), d DECIMAL(12,2), PRIMARY KEY (a, b)",
      "IF(n % 10 = 0, n, 0), n, CONCAT('name-', MD5(n)), (n * 7919 % 100000000) / 100"),
  /** Rows of about 2 KB: a JSON document, a TEXT and a long VARCHAR. */
  WIDE("wide", "id BIGINT NOT NULL PRIMARY KEY, i INT NOT NULL, doc JSON, body TEXT, note VARCHAR(255), t DATETIME(3)",
      "n, CRC32(n) % 2000000000, JSON_OBJECT('id', n, 'sku', MD5(n), 'tags', JSON_ARRAY(n % 7, n % 11, n % 13), "
          + "'attrs', JSON_OBJECT('color', ELT(1 + n % 4, 'red', 'green', 'blue', 'black'), 'text', "
          + "REPEAT(MD5(n + 2), 10))), REPEAT(CONCAT(MD5(n), ' '), 36), REPEAT(MD5(n + 3), 6), "
          + "TIMESTAMP('2024-01-01') + INTERVAL (n * 7919 % 31536000000) * 1000 MICROSECOND");

  final String table;
  final String columns;
  final String values;

  Tables(String table, String columns, String values) {
    this.table = table;
    this.columns = columns;
    this.values = values;
  }

  /** The table's name in the bench database, with {@code rows} as a suffix when it is a scaled copy. */
  String name(long rows, boolean scaled) {
    return scaled ? table + "_" + rows : table;
  }

  /** Makes sure {@code name} holds exactly this table's {@code rows} rows; returns whether it had to generate them. */
  boolean ensure(Server server, String name, long rows) throws SQLException {
    String spec = "v1 " + columns + " | " + values + " | " + rows;
    try (Connection c = server.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS " + Server.DATABASE);
      s.execute("USE " + Server.DATABASE);
      s.execute("CREATE TABLE IF NOT EXISTS bench_meta (name VARCHAR(64) PRIMARY KEY, spec TEXT NOT NULL)");
      try (PreparedStatement ps = c.prepareStatement("SELECT spec FROM bench_meta WHERE name = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getString(1).equals(spec) && exists(c, name)) {
            return false;
          }
        }
      }
      ensureSequence(s);
      s.execute("DELETE FROM bench_meta WHERE name = '" + name + "'");
      s.execute("DROP TABLE IF EXISTS " + name);
      s.execute("CREATE TABLE " + name + " (" + columns + ")");
      // 100 000 rows a statement: n = from + h * 1000 + l + 1 over the sequence table crossed with itself.
      for (long from = 0; from < rows; from += 100_000) {
        long count = Math.min(rows - from, 100_000);
        s.execute("INSERT INTO " + name + " SELECT " + values + " FROM (SELECT " + from + " + h.n * 1000 + l.n + 1 AS n "
            + "FROM bench_seq h CROSS JOIN bench_seq l WHERE h.n < " + (count + 999) / 1000 + " AND h.n * 1000 + l.n < "
            + count + ") g ORDER BY n");
      }
      s.execute("ANALYZE TABLE " + name);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_meta VALUES (?, ?)")) {
        ps.setString(1, name);
        ps.setString(2, spec);
        ps.executeUpdate();
      }
      return true;
    }
  }

  private static boolean exists(Connection c, String name) throws SQLException {
    try (ResultSet rs = c.getMetaData().getTables(Server.DATABASE, null, name, null)) {
      return rs.next();
    }
  }

  /** bench_seq: 0..999, from ten digits crossed three times. */
  private static void ensureSequence(Statement s) throws SQLException {
    s.execute("CREATE TABLE IF NOT EXISTS bench_seq (n INT NOT NULL PRIMARY KEY)");
    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM bench_seq")) {
      rs.next();
      if (rs.getInt(1) == 1000) {
        return;
      }
    }
    s.execute("DELETE FROM bench_seq");
    s.execute("INSERT INTO bench_seq SELECT a.d * 100 + b.d * 10 + c.d FROM "
        + "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 "
        + "UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) a, "
        + "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 "
        + "UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) b, "
        + "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 "
        + "UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) c");
  }
}
