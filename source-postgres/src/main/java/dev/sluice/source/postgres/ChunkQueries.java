package dev.sluice.source.postgres;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import dev.sluice.source.jdbc.JdbcChunkQueries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The snapshot's SQL on PostgreSQL ({@link JdbcChunkQueries}), each a single statement without
 * locks. Composite keys compare as row constructors, {@code (a, b) > (?, ?)}; text key columns
 * compare {@code COLLATE "C"} (see {@link KeyOrder}). A chunk is streamed through a cursor: the
 * driver only uses one with autocommit off, so the read runs in a read-only transaction that lasts
 * exactly that statement.
 */
final class ChunkQueries extends JdbcChunkQueries<TableInfo> {
  private final PostgresConfig config;

  ChunkQueries(DataSource pool, Map<TableId, TableInfo> tables, PostgresConfig config) {
    super(pool, tables);
    this.config = config;
  }

  @Override
  protected TableSchema schema(TableInfo info) {
    return info.schema();
  }

  @Override
  protected String from(TableInfo info) {
    return info.quotedName();
  }

  @Override
  protected String selectExpression(TableInfo info, int column) {
    return PgValues.selectExpression(info.kind(column), TableInfo.quote(info.schema().columns().get(column).name()));
  }

  @Override
  protected String keyList(TableInfo info, String suffix) {
    TableSchema t = info.schema();
    return t.keyColumns().stream().map(c -> TableInfo.quote(c)
        + (info.kind(t.columnIndex(c)) == PgType.TEXT ? " COLLATE \"C\"" : "") + suffix)
        .collect(Collectors.joining(", "));
  }

  @Override
  protected String compared(TableInfo info, String op) {
    int n = info.schema().keyColumns().size();
    return "(" + keyList(info, "") + ") " + op + " (" + String.join(", ", Collections.nCopies(n, "?")) + ")";
  }

  @Override
  protected int bind(PreparedStatement ps, int start, Key key) throws SQLException {
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

  @Override
  protected long estimatedRows(Connection c, TableInfo info) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT reltuples::bigint FROM pg_class WHERE oid = ?::regclass")) {
      ps.setString(1, info.quotedName());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Math.max(0, rs.getLong(1)) : 0;
      }
    }
  }

  @Override
  protected Object value(ResultSet rs, int index, TableInfo info, int column, String name) throws SQLException {
    return PgValues.fromJdbc(rs, index, info.kind(column), info.element(column), name);
  }

  @Override
  protected RuntimeException translate(SQLException e) {
    return Connections.translate(config, e);
  }

  void readChunk(TableSchema t, KeyRange range, Predicate<Row> consumer) {
    TableInfo info = table(t);
    try (Connection c = pool().getConnection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(rangeQuery(info, range), ResultSet.TYPE_FORWARD_ONLY,
          ResultSet.CONCUR_READ_ONLY)) {
        ps.setFetchSize(config.fetchSize());
        bindRange(ps, range);
        try (ResultSet rs = ps.executeQuery()) {
          int n = t.columns().size();
          while (rs.next()) {
            Object[] v = new Object[n];
            for (int i = 0; i < n; i++) {
              v[i] = value(rs, i + 1, info, i, t.id() + "." + t.columns().get(i).name());
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
}
