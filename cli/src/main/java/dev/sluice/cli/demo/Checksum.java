package dev.sluice.cli.demo;

import dev.sluice.cli.demo.Shop.Col;
import dev.sluice.cli.demo.Shop.Kind;
import dev.sluice.cli.demo.Shop.Table;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.stream.Collectors;

/**
 * A table's row count and checksum, computed the same way from the source and from the target: each
 * row's values in a canonical text form (exact decimal digits, instants in UTC ISO-8601, booleans as
 * {@code true}/{@code false}, NULL as its own marker), hashed with SHA-256; the checksum is the sum
 * of the rows' first 64 bits, so it does not depend on row order and needs no memory per row.
 */
record Checksum(long rows, long sum) {

  /** How one database hands back a value of each kind, in the canonical form. */
  enum Side {
    POSTGRES {
      @Override
      String read(ResultSet rs, int i, Kind kind) throws SQLException {
        return switch (kind) {
          case LONG -> nullable(rs, Long.toString(rs.getLong(i)));
          case DECIMAL -> canonical(rs.getBigDecimal(i));
          case TEXT -> rs.getString(i);
          case TIMESTAMPTZ -> canonical(rs.getObject(i, OffsetDateTime.class));
          case BOOLEAN -> nullable(rs, Boolean.toString(rs.getBoolean(i)));
        };
      }
    },
    /** The SQLite file the JDBC sink wrote: decimals and instants as text, booleans as 0/1. */
    SQLITE {
      @Override
      String read(ResultSet rs, int i, Kind kind) throws SQLException {
        return canonical(rs.getObject(i), kind);
      }
    };

    abstract String read(ResultSet rs, int i, Kind kind) throws SQLException;
  }

  private static String nullable(ResultSet rs, String value) throws SQLException {
    return rs.wasNull() ? null : value;
  }

  /** The exact digits with the column's scale: 12.50 stays 12.50, never 12.5. */
  private static String canonical(BigDecimal d) {
    return d == null ? null : d.toPlainString();
  }

  private static String canonical(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  /**
   * A value as a target hands it back, in the canonical form: decimals and instants as objects
   * (Iceberg) or as text (SQLite), booleans as booleans or 0/1.
   */
  static String canonical(Object v, Kind kind) {
    if (v == null) {
      return null;
    }
    return switch (kind) {
      case LONG -> Long.toString(((Number) v).longValue());
      case DECIMAL -> canonical(v instanceof BigDecimal d ? d : new BigDecimal(v.toString()));
      case TEXT -> v.toString();
      case TIMESTAMPTZ -> v instanceof OffsetDateTime t ? canonical(t) : Instant.parse(v.toString()).toString();
      case BOOLEAN -> v instanceof Boolean b ? b.toString() : Boolean.toString(((Number) v).longValue() != 0);
    };
  }

  static Checksum of(Connection c, String qualifiedTable, Table table, Side side) throws SQLException {
    String sql = "SELECT " + table.columns().stream().map(Col::name).collect(Collectors.joining(", "))
        + " FROM " + qualifiedTable;
    Sum sum = new Sum();
    String[] values = new String[table.columns().size()];
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false); // PostgreSQL streams through a cursor only inside a transaction
    try (Statement st = c.createStatement()) {
      st.setFetchSize(2000);
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          for (int i = 0; i < values.length; i++) {
            values[i] = side.read(rs, i + 1, table.columns().get(i).kind());
          }
          sum.add(values);
        }
      }
    } finally {
      c.rollback();
      c.setAutoCommit(auto);
    }
    return sum.result();
  }

  /** Adds up rows given as their canonical values, in any order. */
  static final class Sum {
    private final MessageDigest sha = sha256();
    private final StringBuilder line = new StringBuilder();
    private long rows;
    private long sum;

    void add(String[] values) {
      line.setLength(0);
      for (String v : values) {
        line.append(v == null ? "\u0000" : v).append('\u001f');
      }
      byte[] h = sha.digest(line.toString().getBytes(StandardCharsets.UTF_8));
      long first = 0;
      for (int b = 0; b < 8; b++) {
        first = first << 8 | (h[b] & 0xff);
      }
      sum += first;
      rows++;
    }

    Checksum result() {
      return new Checksum(rows, sum);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  String hex() {
    return String.format("%016x", sum);
  }
}
