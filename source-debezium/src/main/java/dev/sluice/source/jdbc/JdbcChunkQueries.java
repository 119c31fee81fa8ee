package dev.sluice.source.jdbc;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.KeySpace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * The snapshot's SQL as every JDBC source writes it: the key space (first and last key, the server's
 * row estimate), chunk boundaries ({@code LIMIT 1 OFFSET n} past a key) and the text of a range read.
 * A dialect says how it quotes, orders and compares keys, binds and reads key values and estimates
 * rows. It runs a range read itself ({@link #rangeQuery}, {@link #bindRange}): how a chunk streams
 * (cursor, fetch size, transaction) is where the servers differ most.
 *
 * @param <T> the dialect's description of a captured table
 */
public abstract class JdbcChunkQueries<T> {
  private final DataSource pool;
  private final Map<TableId, T> tables;

  /** Reads over {@code pool} of the captured {@code tables}. */
  protected JdbcChunkQueries(DataSource pool, Map<TableId, T> tables) {
    this.pool = pool;
    this.tables = Map.copyOf(tables);
  }

  /** The table's core schema. */
  protected abstract TableSchema schema(T table);

  /** The table's name as {@code FROM} writes it. */
  protected abstract String from(T table);

  /** Column {@code column} (by position) as a select list reads it. */
  protected abstract String selectExpression(T table, int column);

  /** The key's columns in order, as {@code ORDER BY} writes them, each followed by {@code suffix}. */
  protected abstract String keyList(T table, String suffix);

  /**
   * The table's key compared with a key of placeholders, {@code op} being {@code >} or {@code <=};
   * {@link #bind} fills the placeholders.
   */
  protected abstract String compared(T table, String op);

  /** Binds {@code key} to the placeholders of {@link #compared} from {@code start}; returns the next. */
  protected abstract int bind(PreparedStatement ps, int start, Key key) throws SQLException;

  /** The server's estimate of the table's rows (0 when it has none). */
  protected abstract long estimatedRows(Connection c, T table) throws SQLException;

  /** Column {@code column} of the table (named {@code name} in errors) from result column {@code index}. */
  protected abstract Object value(ResultSet rs, int index, T table, int column, String name) throws SQLException;

  /** The key made of values read by {@link #value}; a dialect may settle them first. */
  protected Key key(T table, Object[] values) {
    return Key.of(values);
  }

  /** The dialect's error for a failed statement. */
  protected abstract RuntimeException translate(SQLException e);

  protected final DataSource pool() {
    return pool;
  }

  /** The dialect's description of {@code table}; refused when this source does not capture it. */
  public final T table(TableSchema table) {
    T t = tables.get(table.id());
    if (t == null) {
      throw new IllegalArgumentException("table " + table.id() + " is not captured by this source");
    }
    return t;
  }

  /** The table's first and last key and the server's row estimate; {@link KeySpace#EMPTY} when it has no rows. */
  public final KeySpace keySpace(TableSchema schema) {
    T table = table(schema);
    Key min = firstKey(table, "ASC");
    if (min == null) {
      return KeySpace.EMPTY;
    }
    Key max = firstKey(table, "DESC");
    long rows;
    try (Connection c = pool.getConnection()) {
      rows = estimatedRows(c, table);
    } catch (SQLException e) {
      throw translate(e);
    }
    return new KeySpace(min, max, rows);
  }

  private Key firstKey(T table, String direction) {
    String sql = "SELECT " + selectList(table, keyPositions(schema(table))) + " FROM " + from(table) + " ORDER BY "
        + keyList(table, " " + direction) + " LIMIT 1";
    return queryKey(table, sql, null);
  }

  /** The key {@code rows} rows past {@code after} (from the first row when null), or null past the end. */
  public final Key chunkBoundary(TableSchema schema, Key after, long rows) {
    T table = table(schema);
    String where = after == null ? "" : " WHERE " + compared(table, ">");
    String sql = "SELECT " + selectList(table, keyPositions(schema(table))) + " FROM " + from(table) + where
        + " ORDER BY " + keyList(table, "") + " LIMIT 1 OFFSET " + (rows - 1);
    return queryKey(table, sql, after);
  }

  private Key queryKey(T table, String sql, Key param) {
    TableSchema t = schema(table);
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (param != null) {
        bind(ps, 1, param);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        List<Integer> keys = keyPositions(t);
        Object[] v = new Object[keys.size()];
        for (int i = 0; i < v.length; i++) {
          int col = keys.get(i);
          v[i] = value(rs, i + 1, table, col, t.id() + "." + t.columns().get(col).name());
        }
        return key(table, v);
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * The range read of a chunk: every column, the rows of {@code range} in key order (a table without
   * a key is read whole, in any order); {@link #bindRange} fills its placeholders.
   */
  protected final String rangeQuery(T table, KeyRange range) {
    TableSchema t = schema(table);
    List<Integer> all = IntStream.range(0, t.columns().size()).boxed().toList();
    StringBuilder sql = new StringBuilder("SELECT ").append(selectList(table, all)).append(" FROM ")
        .append(from(table));
    if (range.lo() != null || range.hi() != null) {
      sql.append(" WHERE ");
      if (range.lo() != null) {
        sql.append(compared(table, ">"));
      }
      if (range.hi() != null) {
        sql.append(range.lo() != null ? " AND " : "").append(compared(table, "<="));
      }
    }
    if (t.hasKey()) {
      sql.append(" ORDER BY ").append(keyList(table, ""));
    }
    return sql.toString();
  }

  /** Binds the bounds of {@code range} to the placeholders of {@link #rangeQuery}. */
  protected final void bindRange(PreparedStatement ps, KeyRange range) throws SQLException {
    int p = 1;
    if (range.lo() != null) {
      p = bind(ps, p, range.lo());
    }
    if (range.hi() != null) {
      bind(ps, p, range.hi());
    }
  }

  private String selectList(T table, List<Integer> columns) {
    return columns.stream().map(i -> selectExpression(table, i)).collect(Collectors.joining(", "));
  }

  private static List<Integer> keyPositions(TableSchema t) {
    return t.keyColumns().stream().map(t::columnIndex).toList();
  }
}
