package dev.sluice.source.mysql;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import dev.sluice.source.jdbc.JdbcChunkQueries;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The snapshot's SQL on MySQL and MariaDB ({@link JdbcChunkQueries}), each statement autocommit and
 * without locks. Composite keys compare in the key's index order, spelled out column by column
 * ({@link #compared}) so that the server reads a range of the index; bounded chunks stream without a
 * server-side cursor.
 */
final class ChunkQueries extends JdbcChunkQueries<TableInfo> {
  private final MySqlConfig config;

  ChunkQueries(DataSource pool, Map<TableId, TableInfo> tables, MySqlConfig config) {
    super(pool, tables);
    this.config = config;
  }

  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  @Override
  protected TableSchema schema(TableInfo info) {
    return info.schema();
  }

  @Override
  protected String from(TableInfo info) {
    TableSchema t = info.schema();
    return quote(t.id().catalog()) + "." + quote(t.id().table());
  }

  @Override
  protected String selectExpression(TableInfo info, int column) {
    return MySqlValues.selectExpression(info.kind(column), quote(info.schema().columns().get(column).name()));
  }

  @Override
  protected String keyList(TableInfo info, String suffix) {
    return info.schema().keyColumns().stream().map(c -> quote(c) + suffix).collect(Collectors.joining(", "));
  }

  /**
   * The table's key compared with a key value, {@code op} being {@code >} or {@code <=}, spelled out
   * column by column: {@code (k1 > ? OR (k1 = ? AND (k2 > ?)))}. MySQL 8 reads the whole index for a
   * row constructor compared this way, {@code (k1, k2) > (?, ?)}, which makes every chunk of a
   * composite key cost a scan of the table; for this form it reads only the key's range. The
   * placeholders take the values in the order {@link #bind} gives them.
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

  @Override
  protected String compared(TableInfo info, String op) {
    return compared(info.schema().keyColumns().stream().map(ChunkQueries::quote).toList(), op);
  }

  /** Binds a key's values for {@link #compared}: each value twice (greater, equal), the last once. */
  @Override
  protected int bind(PreparedStatement ps, int start, Key key) throws SQLException {
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

  @Override
  protected long estimatedRows(Connection c, TableInfo info) throws SQLException {
    TableSchema t = info.schema();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, t.id().catalog());
      ps.setString(2, t.id().table());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  @Override
  protected Object value(ResultSet rs, int index, TableInfo info, int column, String name) throws SQLException {
    return MySqlValues.fromJdbc(rs, index, info.kind(column), info.length(column), name);
  }

  @Override
  protected Key key(TableInfo info, Object[] values) {
    MySqlValues.settleZeroDates(info, values, true, config.zeroDates());
    return Key.of(values);
  }

  @Override
  protected RuntimeException translate(SQLException e) {
    return Connections.translate(config, e);
  }

  void readChunk(TableSchema t, KeyRange range, Predicate<Row> consumer) {
    TableInfo info = table(t);
    try (Connection c = pool().getConnection(); PreparedStatement ps = c.prepareStatement(rangeQuery(info, range),
        ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      // A bounded range is streamed row by row as the server reads it; a server-side cursor would
      // first copy the whole result into a temporary table (twice the reader's time and several
      // times the server's CPU in the bench). Only the open-ended last range, which rows inserted
      // at the tail can make as long as the table, keeps the cursor, so that a read stopped early
      // (at the chunk's row or byte bound) is not followed by draining the rest off the wire. A
      // table without a key is read whole and never stopped early: streamed too, rather than
      // copied whole into a temporary table first.
      ps.setFetchSize(range.hi() == null && t.hasKey() ? config.fetchSize() : Integer.MIN_VALUE);
      bindRange(ps, range);
      try (ResultSet rs = ps.executeQuery()) {
        int n = t.columns().size();
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
}
