package dev.sluice.source.mysql;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.KeySpace;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The snapshot's SQL: key bounds, chunk boundaries and range reads, each one autocommit statement
 * without locks. Composite keys compare in the key's index order, spelled out column by column
 * ({@link #compared}) so that the server reads a range of the index.
 */
final class ChunkQueries {
  private final DataSource pool;
  private final MySqlConfig config;

  ChunkQueries(DataSource pool, MySqlConfig config) {
    this.pool = pool;
    this.config = config;
  }

  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String table(TableSchema t) {
    return quote(t.id().catalog()) + "." + quote(t.id().table());
  }

  private static String keyList(TableSchema t, String suffix) {
    return t.keyColumns().stream().map(c -> quote(c) + suffix).collect(Collectors.joining(", "));
  }

  /**
   * The table's key compared with a key value, {@code op} being {@code >} or {@code <=}, spelled out
   * column by column: {@code (k1 > ? OR (k1 = ? AND (k2 > ?)))}. MySQL 8 reads the whole index for a
   * row constructor compared this way, {@code (k1, k2) > (?, ?)}, which makes every chunk of a
   * composite key cost a scan of the table; for this form it reads only the key's range. The
   * placeholders take the values in the order {@link #bindCompared} gives them.
   */
  static String compared(List<String> quotedKeys, String op) {
    String strict = op.equals(">") ? ">" : "<";
    int n = quotedKeys.size();
    String inner = quotedKeys.get(n - 1) + " " + op + " ?";
    for (int i = n - 2; i >= 0; i--) {
      String k = quotedKeys.get(i);
      inner = k + " " + strict + " ? OR (" + k + " = ? AND (" + inner + "))";
    }
    return "(" + inner + ")";
  }

  private static String compared(TableSchema t, String op) {
    return compared(t.keyColumns().stream().map(ChunkQueries::quote).toList(), op);
  }

  private static String selectList(TableInfo info, List<Integer> columns) {
    return columns.stream().map(i -> MySqlValues.selectExpression(info.kind(i),
        quote(info.schema().columns().get(i).name()))).collect(Collectors.joining(", "));
  }

  KeySpace keySpace(TableInfo info) {
    TableSchema t = info.schema();
    Key min = firstKey(info, "ASC");
    if (min == null) {
      return KeySpace.EMPTY;
    }
    Key max = firstKey(info, "DESC");
    long rows = 0;
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, t.id().catalog());
      ps.setString(2, t.id().table());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          rows = rs.getLong(1);
        }
      }
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
    return new KeySpace(min, max, rows);
  }

  private Key firstKey(TableInfo info, String direction) {
    TableSchema t = info.schema();
    String sql = "SELECT " + selectList(info, keyPositions(t)) + " FROM " + table(t) + " ORDER BY "
        + keyList(t, " " + direction) + " LIMIT 1";
    return queryKey(info, sql, null);
  }

  Key chunkBoundary(TableInfo info, Key after, long rows) {
    TableSchema t = info.schema();
    String where = after == null ? "" : " WHERE " + compared(t, ">");
    String sql = "SELECT " + selectList(info, keyPositions(t)) + " FROM " + table(t) + where + " ORDER BY "
        + keyList(t, "") + " LIMIT 1 OFFSET " + (rows - 1);
    return queryKey(info, sql, after);
  }

  private Key queryKey(TableInfo info, String sql, Key param) {
    TableSchema t = info.schema();
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (param != null) {
        bindCompared(ps, 1, param);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        List<Integer> pos = keyPositions(t);
        Object[] k = new Object[pos.size()];
        for (int i = 0; i < k.length; i++) {
          int col = pos.get(i);
          k[i] = value(rs, i + 1, info, col, t.id() + "." + t.columns().get(col).name());
        }
        MySqlValues.settleZeroDates(info, k, true, config.zeroDates());
        return Key.of(k);
      }
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  void readChunk(TableInfo info, KeyRange range, Predicate<Row> consumer) {
    TableSchema t = info.schema();
    List<Integer> all = java.util.stream.IntStream.range(0, t.columns().size()).boxed().toList();
    StringBuilder sql = new StringBuilder("SELECT ").append(selectList(info, all)).append(" FROM ").append(table(t));
    if (range.lo() != null || range.hi() != null) {
      sql.append(" WHERE ");
      if (range.lo() != null) {
        sql.append(compared(t, ">"));
      }
      if (range.hi() != null) {
        sql.append(range.lo() != null ? " AND " : "").append(compared(t, "<="));
      }
    }
    if (t.hasKey()) {
      sql.append(" ORDER BY ").append(keyList(t, ""));
    }
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString(),
        ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      // A bounded range is streamed row by row as the server reads it; a server-side cursor would
      // first copy the whole result into a temporary table (twice the reader's time and several
      // times the server's CPU in the bench). Only the open-ended last range, which rows inserted
      // at the tail can make as long as the table, keeps the cursor, so that a read stopped early
      // (at the chunk's row or byte bound) is not followed by draining the rest off the wire. A
      // table without a key is read whole and never stopped early: streamed too, rather than
      // copied whole into a temporary table first.
      ps.setFetchSize(range.hi() == null && t.hasKey() ? config.fetchSize() : Integer.MIN_VALUE);
      int p = 1;
      if (range.lo() != null) {
        p = bindCompared(ps, p, range.lo());
      }
      if (range.hi() != null) {
        bindCompared(ps, p, range.hi());
      }
      try (ResultSet rs = ps.executeQuery()) {
        int n = all.size();
        // Each column's reader chosen once per chunk, not once per value read.
        MySqlValues.ColumnReader[] readers = new MySqlValues.ColumnReader[n];
        for (int i = 0; i < n; i++) {
          readers[i] = MySqlValues.reader(info.kind(i), info.length(i), t.id() + "." + t.columns().get(i).name(),
              resultCharset(rs, i + 1));
        }
        readRows(rs, readers, info, consumer);
      }
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  /**
   * The character set the driver decodes result column {@code index}'s text in (the column's, as
   * the server sends it), or {@code null} when it cannot tell; then the column is read with
   * {@code getString}.
   */
  private static java.nio.charset.Charset resultCharset(ResultSet rs, int index) {
    try {
      String encoding = rs.getMetaData().unwrap(com.mysql.cj.jdbc.result.ResultSetMetaData.class)
          .getColumnCharacterEncoding(index);
      return encoding == null ? null : java.nio.charset.Charset.forName(encoding);
    } catch (SQLException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The rows of a chunk's result, until it ends or {@code consumer} wants no more. Kept apart from
   * the query's making: the JIT compiles this loop on its own, and need not also compile (and
   * inline) the SQL building that runs once per chunk, which more than doubled its compile time.
   */
  private void readRows(ResultSet rs, MySqlValues.ColumnReader[] readers, TableInfo info, Predicate<Row> consumer)
      throws SQLException {
    int n = readers.length;
    // Only a temporal column can hold a zero date (the marker, or null in a NOT NULL column).
    int[] temporal = MySqlValues.temporalColumns(info);
    while (rs.next()) {
      Object[] v = new Object[n];
      for (int i = 0; i < n; i++) {
        v[i] = readers[i].read(rs, i + 1);
      }
      for (int i : temporal) {
        if (v[i] == MySqlValues.ZERO_DATE || v[i] == null) {
          MySqlValues.settleZeroDates(info, v, false, config.zeroDates());
          break;
        }
      }
      if (!consumer.test(Row.wrap(v))) {
        return;
      }
    }
  }

  private static List<Integer> keyPositions(TableSchema t) {
    return t.keyColumns().stream().map(t::columnIndex).toList();
  }

  /** Binds a key's values for {@link #compared}: each value twice (greater, equal), the last once. */
  private static int bindCompared(PreparedStatement ps, int start, Key key) throws SQLException {
    int p = start;
    for (int i = 0; i < key.size(); i++) {
      bind(ps, p++, key.get(i));
      if (i < key.size() - 1) {
        bind(ps, p++, key.get(i));
      }
    }
    return p;
  }

  private static void bind(PreparedStatement ps, int p, Object v) throws SQLException {
    if (v instanceof LocalDate || v instanceof LocalDateTime) {
      ps.setString(p, v.toString().replace('T', ' '));
    } else if (v instanceof BigDecimal d) {
      ps.setBigDecimal(p, d);
    } else {
      ps.setObject(p, v);
    }
  }

  /** Column {@code col} of {@code info} (called {@code name} in errors) from result column {@code index}. */
  private static Object value(ResultSet rs, int index, TableInfo info, int col, String name) throws SQLException {
    return MySqlValues.fromJdbc(rs, index, info.kind(col), info.length(col), name);
  }
}
