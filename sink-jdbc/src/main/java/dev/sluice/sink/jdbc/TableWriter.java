package dev.sluice.sink.jdbc;

import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.TableSchema;
import dev.sluice.sink.jdbc.ExtraColumns.Extra;
import dev.sluice.sink.jdbc.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes buffered for one target table, each key collapsed to its last change, and the
 * statements that write them: multi-row upserts, and deletes (or soft-delete updates) as one JDBC
 * batch. Since every key appears once, the order between keys does not matter and the order of
 * one key's changes is kept by keeping only the last.
 */
final class TableWriter {
  /**
   * Rows per upsert statement: large enough to amortize the round trip, small enough to parse fast.
   * The default {@code batch.size} (1000) is then one statement, one round trip.
   */
  private static final int MAX_ROWS_PER_STATEMENT = 1000;

  private final TargetTable table;
  private final Dialect dialect;
  private final ExtraColumns extras;
  private final boolean softDelete;
  private final Map<Key, ChangeEvent> pending = new LinkedHashMap<>();
  private TableSchema schema;
  private String sql;
  private int sqlRows;
  private List<Column> sqlColumns;

  TableWriter(TargetTable table, Dialect dialect, ExtraColumns extras, boolean softDelete) {
    this.table = table;
    this.dialect = dialect;
    this.extras = extras;
    this.softDelete = softDelete;
  }

  TargetTable table() {
    return table;
  }

  int size() {
    return pending.size();
  }

  /** The schema the buffered rows have; a writer holds rows of one schema only. */
  TableSchema schema() {
    return schema;
  }

  /** Buffers a change; returns how much the buffer grew (0 when it replaced a change of the same key). */
  int add(ChangeEvent e) {
    schema = e.schema();
    int before = pending.size();
    if (e.op() == Op.UPDATE && e.before() != null) {
      Key old = e.schema().keyOf(e.before());
      Key now = e.key();
      if (!old.equals(now)) {
        // A key change is the old key's delete and the new key's upsert.
        pending.remove(old);
        pending.put(old, new ChangeEvent(e.schema(), Op.DELETE, e.before(), null, e.position(), e.sourceTime(),
            e.transactionId()));
      }
    }
    Key key = e.key();
    pending.remove(key); // re-inserted last: a map in arrival order of each key's final change
    pending.put(key, e);
    return pending.size() - before;
  }

  void clear() {
    pending.clear();
  }

  /** Writes the buffered changes into the open transaction and empties the buffer. */
  void execute(Connection c) throws SQLException {
    if (pending.isEmpty()) {
      return;
    }
    List<ChangeEvent> upserts = new ArrayList<>();
    List<ChangeEvent> deletes = new ArrayList<>();
    for (ChangeEvent e : pending.values()) {
      (e.op() == Op.DELETE ? deletes : upserts).add(e);
    }
    deletes(c, deletes);
    List<Column> columns = writtenColumns();
    int perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, dialect.maxParameters() / columns.size()));
    for (int from = 0; from < upserts.size(); from += perStatement) {
      upserts(c, columns, upserts.subList(from, Math.min(upserts.size(), from + perStatement)));
    }
    // Kept until here so that a failure can be traced to its row by diagnose().
    pending.clear();
  }

  /**
   * After a write the target refused: rolls back, then writes the buffered changes one at a time
   * (rolled back again afterwards) to find the row and column it refuses. Bounded by the buffer.
   */
  DataException diagnose(Connection c, SQLException original) throws SQLException {
    c.rollback();
    List<Column> columns = writtenColumns();
    try {
      for (ChangeEvent e : pending.values()) {
        try {
          if (e.op() == Op.DELETE) {
            deletes(c, List.of(e));
          } else {
            upserts(c, columns, List.of(e));
          }
        } catch (SQLException rowError) {
          if (SqlErrors.isConnection(rowError)) {
            throw rowError;
          }
          String column = ValueFit.column(rowError, table, columns, e.current() == null ? e.before() : e.current(), e.schema());
          return new DataException("table " + table + ": the target cannot hold "
              + (column == null ? "a value" : "the value of column '" + column + "'") + " of key " + e.key() + ": "
              + SqlErrors.describe(rowError) + "; widen " + (column == null ? "the column" : "column '" + column + "'")
              + " of " + table.qualified + " or fix the value at the source", rowError);
        }
      }
      return new DataException("table " + table + ": the target refused a batch of " + pending.size()
          + " rows but none of them alone: " + SqlErrors.describe(original), original);
    } finally {
      c.rollback();
      pending.clear();
    }
  }

  /** The source columns the target has, then the extra columns. */
  List<Column> writtenColumns() {
    List<Column> cols = new ArrayList<>();
    for (Column col : schema.columns()) {
      if (table.columns.containsKey(col.name())) {
        cols.add(col);
      }
    }
    for (Extra x : extras.all()) {
      cols.add(x.column());
    }
    return cols;
  }

  void upserts(Connection c, List<Column> columns, List<ChangeEvent> rows) throws SQLException {
    Column[] cols = columns.toArray(Column[]::new);
    int[] at = positions(cols);
    try (PreparedStatement ps = c.prepareStatement(upsertSql(columns, rows.size()))) {
      int i = 1;
      for (ChangeEvent e : rows) {
        for (int k = 0; k < cols.length; k++) {
          Object v = at[k] >= 0 ? e.after().get(at[k]) : extra(e, cols[k]);
          bind(c, ps, i++, cols[k], v);
        }
      }
      ps.executeUpdate();
    }
  }

  /**
   * Each written column's position in the buffered rows' schema, -1 for an extra column: looked
   * up once per statement rather than once per value (the map lookup showed in the profile).
   */
  private int[] positions(Column[] cols) {
    int[] at = new int[cols.length];
    for (int k = 0; k < cols.length; k++) {
      at[k] = isExtra(cols[k]) ? -1 : schema.columnIndex(cols[k].name());
    }
    return at;
  }

  private boolean isExtra(Column col) {
    for (Extra x : extras.all()) {
      if (x.column() == col) {
        return true;
      }
    }
    return false;
  }

  private Object extra(ChangeEvent e, Column col) {
    for (Extra x : extras.all()) {
      if (x.column() == col) {
        return x.value().apply(e);
      }
    }
    throw new IllegalStateException("column " + col.name() + " is neither the table's nor an extra one");
  }

  /** The full-size statement repeats for every chunk of a big buffer: built once per shape. */
  private String upsertSql(List<Column> columns, int rows) {
    if (rows != sqlRows || !columns.equals(sqlColumns)) {
      sql = dialect.upsert(table.qualified, columns.stream().map(Column::name).toList(), schema.keyColumns(), rows);
      sqlRows = rows;
      sqlColumns = columns;
    }
    return sql;
  }

  private void deletes(Connection c, List<ChangeEvent> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    List<Column> keys = schema.keyColumns().stream().map(k -> schema.columns().get(schema.columnIndex(k))).toList();
    List<Column> set = extras.columns();
    String sql = softDelete
        ? dialect.update(table.qualified, set.stream().map(Column::name).toList(), schema.keyColumns())
        : dialect.delete(table.qualified, schema.keyColumns());
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (ChangeEvent e : rows) {
        int i = 1;
        if (softDelete) {
          for (Column col : set) {
            bind(c, ps, i++, col, value(e, e.before(), col));
          }
        }
        for (Column k : keys) {
          bind(c, ps, i++, k, value(e, e.before(), k));
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private Object value(ChangeEvent e, dev.sluice.core.event.Row row, Column col) {
    return isExtra(col) ? extra(e, col) : row.get(e.schema().columnIndex(col.name()));
  }

  private void bind(Connection c, PreparedStatement ps, int i, Column col, Object v) throws SQLException {
    if (v == null) {
      ps.setNull(i, dialect.sqlType(col.type()));
    } else {
      dialect.bind(c, ps, i, col.type(), v);
    }
  }

  /** The pending changes, for finding the row a failed statement choked on. */
  List<ChangeEvent> pendingChanges() {
    return new ArrayList<>(pending.values());
  }
}
