package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For every supported collation the server has, the Java order agrees with the server on many random
 * strings (ASCII with punctuation, tabs, spaces and trailing spaces, mixed case, accents precomposed
 * and combining, contractions of tailored languages, CJK, emoji): sorted in Java, neighbours compare
 * as the server's {@code ORDER BY} ranks them (equal exactly when the server ranks them equal) and as
 * its {@code STRCMP} compares them. Printable ASCII is ordered from the table, without the server.
 */
class CollationOrderIT {
  private static final List<String> MYSQL = List.of("utf8mb4_0900_ai_ci", "utf8mb4_0900_as_ci", "utf8mb4_0900_as_cs",
      "utf8mb4_general_ci", "utf8mb4_unicode_ci", "utf8mb4_unicode_520_ci", "utf8mb3_general_ci", "utf8mb3_unicode_ci");
  private static final List<String> MARIADB = List.of("utf8mb4_general_ci", "utf8mb4_unicode_ci",
      "utf8mb4_unicode_520_ci", "utf8mb4_uca1400_ai_ci", "utf8mb4_general_nopad_ci", "utf8mb4_unicode_nopad_ci",
      "utf8mb4_uca1400_nopad_ai_ci", "utf8mb4_unicode_520_nopad_ci", "utf8mb3_general_ci", "utf8mb3_unicode_ci");
  private static final String[] PIECES = {"é", "É", "e\u0301", "è", "ß", "ss", "SS", "æ", "Æ", "ae", "ø", "å", "ñ",
      "ü", "ı", "İ", "l·", "L·", "ch", "CH", "ll", "dzs", "中", "文", "한", "\u00A0", "\u200B", "😀", "😁", "🙂",
      "\uD83D\uDC4D\uD83C\uDFFD"};
  private static final int STRINGS = 1200;

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void javaOrderAgreesWithTheServer(String server) throws Exception {
    long seed = ThreadLocalRandom.current().nextLong();
    System.out.println("collation order seed " + seed);
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.anchor (id INT PRIMARY KEY)");
      try (MySqlSource source = db.source(Map.of("tables", db.name + "\\.anchor"));
          HikariDataSource weights = Connections.pool(source.config(), "collation-order-it", 1)) {
        int n = 0;
        for (String collation : db.mariadb ? MARIADB : MYSQL) {
          CollationOrder.Spec spec = CollationOrder.spec(collation);
          assertThat(spec).as(collation).isNotNull();
          CollationOrder order = new CollationOrder(spec,
              new ServerWeights(weights, spec, e -> Connections.translate(source.config(), e)));
          for (char c = ' '; c < 127; c++) {
            assertThat(order.local(c)).as(collation + ": '" + c + "' ordered from the table").isTrue();
          }
          assertThat(order.local('\u00E9')).as(collation + ": é learned").isTrue();
          if (collation.contains("uca1400")) {
            // MariaDB's UCA 14.0.0 contracts "l·" (DUCET's Catalan rule): the dot must stay off the table.
            assertThat(order.local('\u00B7')).as(collation + ": middle dot").isFalse();
          }
          check(db, "p" + n++, order, strings(new Random(seed), !spec.charset().equals("utf8mb4")));
        }
      }
    }
  }

  private static List<String> strings(Random random, boolean bmpOnly) {
    List<String> out = new ArrayList<>();
    while (out.size() < STRINGS) {
      if (!out.isEmpty() && random.nextInt(5) == 0) {
        // A variant of an earlier string: other case, trailing spaces or a tab: equal or adjacent.
        String s = out.get(random.nextInt(out.size()));
        out.add(switch (random.nextInt(4)) {
          case 0 -> s.toUpperCase(Locale.ROOT);
          case 1 -> s.toLowerCase(Locale.ROOT);
          case 2 -> s + " ".repeat(1 + random.nextInt(3));
          default -> s + "\t";
        });
        continue;
      }
      StringBuilder b = new StringBuilder();
      int len = random.nextInt(9);
      boolean asciiOnly = random.nextBoolean();
      for (int i = 0; i < len; i++) {
        int kind = random.nextInt(10);
        if (!asciiOnly && kind < 3) {
          String p = PIECES[random.nextInt(PIECES.length)];
          if (bmpOnly && p.codePoints().anyMatch(Character::isSupplementaryCodePoint)) {
            p = "ö";
          }
          b.append(p);
        } else if (kind < 5) {
          b.append((char) (random.nextBoolean() ? 'a' + random.nextInt(4) : 'A' + random.nextInt(4)));
        } else if (kind == 5) {
          b.append(random.nextBoolean() ? ' ' : '\t');
        } else {
          b.append((char) (' ' + random.nextInt(95)));
        }
      }
      if (random.nextInt(4) == 0) {
        b.append(" ".repeat(1 + random.nextInt(2)));
      }
      out.add(b.toString());
    }
    return out;
  }

  private static void check(Db db, String table, CollationOrder order, List<String> strings) throws SQLException {
    String collation = order.spec().collation();
    String cs = order.spec().charset();
    db.sql("CREATE TABLE $db." + table + " (id INT PRIMARY KEY, s VARCHAR(64) CHARACTER SET " + cs + " COLLATE "
        + collation + " NOT NULL)");
    int[] rank = new int[strings.size()];
    try (Connection c = db.admin()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
        for (int i = 0; i < strings.size(); i++) {
          ps.setInt(1, i);
          ps.setString(2, strings.get(i));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
      try (PreparedStatement ps = c.prepareStatement("SELECT id, s, DENSE_RANK() OVER (ORDER BY s) FROM " + table);
          ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          int id = r.getInt(1);
          assertThat(r.getString(2)).as("stored as given").isEqualTo(strings.get(id));
          rank[id] = r.getInt(3);
        }
      }
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < strings.size(); i++) {
        ids.add(i);
      }
      ids.sort(Comparator.comparing(strings::get, order));
      List<int[]> adjacent = new ArrayList<>();
      for (int i = 1; i < ids.size(); i++) {
        int a = ids.get(i - 1);
        int b = ids.get(i);
        int cmp = Integer.signum(order.compare(strings.get(a), strings.get(b)));
        int server = Integer.signum(Integer.compare(rank[a], rank[b]));
        assertThat(cmp).as(collation + ": " + show(strings.get(a)) + " vs " + show(strings.get(b))
            + " (server ranks " + rank[a] + ", " + rank[b] + ")").isEqualTo(server);
        adjacent.add(new int[] {a, b, cmp});
      }
      // The comparison operator itself, which the range SELECTs use.
      for (int from = 0; from < adjacent.size(); from += 200) {
        List<int[]> part = adjacent.subList(from, Math.min(adjacent.size(), from + 200));
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < part.size(); i++) {
          sql.append(i == 0 ? "" : ", ").append("STRCMP(CONVERT(? USING ").append(cs).append(") COLLATE ")
              .append(collation).append(", CONVERT(? USING ").append(cs).append(") COLLATE ").append(collation)
              .append(')');
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
          for (int i = 0; i < part.size(); i++) {
            ps.setString(2 * i + 1, strings.get(part.get(i)[0]));
            ps.setString(2 * i + 2, strings.get(part.get(i)[1]));
          }
          try (ResultSet r = ps.executeQuery()) {
            r.next();
            for (int i = 0; i < part.size(); i++) {
              int[] p = part.get(i);
              assertThat(r.getInt(i + 1)).as(collation + ": STRCMP(" + show(strings.get(p[0])) + ", "
                  + show(strings.get(p[1])) + ")").isEqualTo(p[2]);
            }
          }
        }
      }
    }
  }

  private static String show(String s) {
    StringBuilder b = new StringBuilder("'");
    s.codePoints().forEach(cp -> b.append(cp >= 0x20 && cp < 0x7f ? Character.toString(cp)
        : String.format("\\u{%x}", cp)));
    return b.append('\'').toString();
  }
}
