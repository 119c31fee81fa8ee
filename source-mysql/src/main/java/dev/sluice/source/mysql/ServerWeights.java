package dev.sluice.source.mysql;

import dev.sluice.core.SluiceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The server's collation weights of texts: {@code WEIGHT_STRING(CONVERT(? USING charset) COLLATE c)},
 * many texts to a statement. Runs over its own connection so a comparison made while the chunk
 * readers hold every pooled connection never waits for one of them.
 */
final class ServerWeights implements CollationOrder.Weigher {
  private static final int PER_STATEMENT = 512;

  private final DataSource connections;
  private final CollationOrder.Spec spec;
  private final Function<Exception, SluiceException> translate;

  ServerWeights(DataSource connections, CollationOrder.Spec spec, Function<Exception, SluiceException> translate) {
    this.connections = connections;
    this.spec = spec;
    this.translate = translate;
  }

  @Override
  public List<byte[]> weigh(List<String> texts) {
    List<byte[]> out = new ArrayList<>(texts.size());
    try (Connection c = connections.getConnection()) {
      for (int from = 0; from < texts.size(); from += PER_STATEMENT) {
        List<String> part = texts.subList(from, Math.min(texts.size(), from + PER_STATEMENT));
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < part.size(); i++) {
          sql.append(i == 0 ? "" : ", ").append("WEIGHT_STRING(CONVERT(? USING ").append(spec.charset())
              .append(") COLLATE ").append(spec.collation()).append(')');
        }
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
          for (int i = 0; i < part.size(); i++) {
            s.setString(i + 1, part.get(i));
          }
          try (ResultSet r = s.executeQuery()) {
            r.next();
            for (int i = 0; i < part.size(); i++) {
              out.add(orEmpty(r.getBytes(i + 1)));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw translate.apply(e);
    }
    return out;
  }

  /** Pairs made by the server from the two strings: one short statement whatever the table's size. */
  @Override
  public List<byte[]> weighPairs(String c, String members) {
    int n = members.codePointCount(0, members.length());
    String w1 = "WEIGHT_STRING(CONVERT(CONCAT(?, SUBSTRING(?, i, 1)) USING " + spec.charset() + ") COLLATE "
        + spec.collation() + ")";
    String w2 = "WEIGHT_STRING(CONVERT(CONCAT(SUBSTRING(?, i, 1), ?) USING " + spec.charset() + ") COLLATE "
        + spec.collation() + ")";
    String sql = "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT " + w1 + ", "
        + w2 + " FROM n ORDER BY i";
    List<byte[]> out = new ArrayList<>(2 * n);
    try (Connection conn = connections.getConnection(); PreparedStatement s = conn.prepareStatement(sql)) {
      s.setInt(1, n);
      s.setString(2, c);
      s.setString(3, members);
      s.setString(4, members);
      s.setString(5, c);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(orEmpty(r.getBytes(1)));
          out.add(orEmpty(r.getBytes(2)));
        }
      }
    } catch (SQLException e) {
      throw translate.apply(e);
    }
    if (out.size() != 2 * n) {
      throw new IllegalStateException("expected " + 2 * n + " pair weights, got " + out.size());
    }
    return out;
  }

  private static byte[] orEmpty(byte[] w) {
    return w == null ? new byte[0] : w;
  }

  /** All 16384 pairs in one statement: the server makes them, so nothing is sent but the query. */
  @Override
  public List<byte[]> weighAsciiPairs() {
    String sql = "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 127) "
        + "SELECT WEIGHT_STRING(CONVERT(CONCAT(CHAR(a.i USING utf8mb4), CHAR(b.i USING utf8mb4)) USING "
        + spec.charset() + ") COLLATE " + spec.collation() + ") FROM n a CROSS JOIN n b ORDER BY a.i, b.i";
    List<byte[]> out = new ArrayList<>(128 * 128);
    try (Connection c = connections.getConnection(); PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(orEmpty(r.getBytes(1)));
      }
    } catch (SQLException e) {
      throw translate.apply(e);
    }
    if (out.size() != 128 * 128) {
      throw new IllegalStateException("expected 16384 pair weights, got " + out.size());
    }
    return out;
  }
}
