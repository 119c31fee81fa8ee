package dev.sluice.source.postgres;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.KeySpace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * The snapshot's SQL: key bounds, chunk boundaries and range reads, each a single statement without
 * locks. Composite keys compare as row constructors, {@code (a, b) > (?, ?)}; text key columns
 * compare {@code COLLATE "C"} (see {@link KeyOrder}). A chunk is streamed through a cursor: the
 * driver only uses one with autocommit off, so the read runs in a read-only transaction that lasts
 * exactly that statement.
 */
final class ChunkQueries {
  private final DataSource pool;
  private final PostgresConfig config;

  ChunkQueries(DataSource pool, PostgresConfig config) {
    this.pool = pool;
    this.config = config;
  }

  private static String keyList(TableInfo info, String suffix) {
    TableSchema t = info.schema();
    return t.keyColumns().stream().map(c -> TableInfo.quote(c)
        + (info.kind(t.columnIndex(c)) == PgType.TEXT ? " COLLATE \"C\"" : "") + suffix)
        .collect(Collectors.joining(", "));
  }

  private static String tuple(int n) {
    return "(" + String.join(", ", Collections.nCopies(n, "?")) + ")";
  }

  private static String selectList(TableInfo info, List<Integer> columns) {
    return columns.stream().map(i -> PgValues.selectExpression(info.kind(i),
        TableInfo.quote(info.schema().columns().get(i).name()))).collect(Collectors.joining(", "));
  }

  private static List<Integer> keyPositions(TableSchema t) {
    return t.keyColumns().stream().map(t::columnIndex).toList();
  }

  KeySpace keySpace(TableInfo info) {
    Key min = firstKey(info, "ASC");
    if (min == null) {
      return KeySpace.EMPTY;
    }
    Key max = firstKey(info, "DESC");
    long rows = 0;
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT reltuples::bigint FROM pg_class WHERE oid = ?::regclass")) {
      ps.setString(1, info.quotedName());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          rows = Math.max(0, rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
    return new KeySpace(min, max, rows);
  }

  private Key firstKey(TableInfo info, String direction) {
    TableSchema t = info.schema();
    String sql = "SELECT " + selectList(info, keyPositions(t)) + " FROM " + info.quotedName() + " ORDER BY "
        + keyList(info, " " + direction) + " LIMIT 1";
    return queryKey(info, sql, null);
  }

  Key chunkBoundary(TableInfo info, Key after, long rows) {
    TableSchema t = info.schema();
    String where = after == null ? "" : " WHERE (" + keyList(info, "") + ") > " + tuple(after.size());
    String sql = "SELECT " + selectList(info, keyPositions(t)) + " FROM " + info.quotedName() + where + " ORDER BY "
        + keyList(info, "") + " LIMIT 1 OFFSET " + (rows - 1);
    return queryKey(info, sql, after);
  }

  private Key queryKey(TableInfo info, String sql, Key param) {
    TableSchema t = info.schema();
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
          v[i] = PgValues.fromJdbc(rs, i + 1, info.kind(col), info.element(col),
              t.id() + "." + t.columns().get(col).name());
        }
        return Key.of(v);
      }
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  void readChunk(TableInfo info, KeyRange range, Predicate<Row> consumer) {
    TableSchema t = info.schema();
    List<Integer> all = IntStream.range(0, t.columns().size()).boxed().toList();
    StringBuilder sql = new StringBuilder("SELECT ").append(selectList(info, all)).append(" FROM ")
        .append(info.quotedName());
    String keys = "(" + keyList(info, "") + ")";
    if (range.lo() != null || range.hi() != null) {
      sql.append(" WHERE ");
      if (range.lo() != null) {
        sql.append(keys).append(" > ").append(tuple(range.lo().size()));
      }
      if (range.hi() != null) {
        sql.append(range.lo() != null ? " AND " : "").append(keys).append(" <= ").append(tuple(range.hi().size()));
      }
    }
    if (t.hasKey()) {
      sql.append(" ORDER BY ").append(keyList(info, "")); // a table without a key is read whole, in any order
    }
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(sql.toString(), ResultSet.TYPE_FORWARD_ONLY,
          ResultSet.CONCUR_READ_ONLY)) {
        ps.setFetchSize(config.fetchSize());
        int p = 1;
        if (range.lo() != null) {
          p = bind(ps, p, range.lo());
        }
        if (range.hi() != null) {
          bind(ps, p, range.hi());
        }
        try (ResultSet rs = ps.executeQuery()) {
          int n = all.size();
          while (rs.next()) {
            Object[] v = new Object[n];
            for (int i = 0; i < n; i++) {
              v[i] = PgValues.fromJdbc(rs, i + 1, info.kind(i), info.element(i),
                  t.id() + "." + t.columns().get(i).name());
            }
            if (!consumer.test(Row.wrap(v))) {
              break;
            }
          }
        }
      } finally {
        c.rollback();
        c.setReadOnly(false);
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  private static int bind(PreparedStatement ps, int start, Key key) throws SQLException {
    int p = start;
    for (int i = 0; i < key.size(); i++) {
      Object v = key.get(i);
      if (v instanceof Instant instant) {
        ps.setObject(p++, instant.atOffset(ZoneOffset.UTC));
      } else {
        ps.setObject(p++, v);
      }
    }
    return p;
  }
}
