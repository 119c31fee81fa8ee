package dev.sluice.sink.jdbc;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointJson;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.sink.Sink;
import dev.sluice.sink.jdbc.dialect.Dialect;
import dev.sluice.sink.jdbc.dialect.Dialects;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes change events into tables of a PostgreSQL, MySQL or MariaDB database as upserts and
 * deletes, creating and evolving the tables as the source's change.
 *
 * <p>Delivery: every write goes into one open transaction on one connection. At-least-once (the
 * default) commits it at {@link #flush()}; replays after a crash are harmless because upserts and
 * deletes are idempotent. Once the pipeline takes {@link #atomicCheckpoints()} (exactly-once), the
 * transaction is committed only by the store's save, together with the checkpoint row, so a crash
 * rolls back the rows and the checkpoint alike.
 *
 * <p>Memory: at most {@code batch.size} changes are buffered (after collapsing each key to its last
 * change) before they are sent; the per-table state is one small entry per table.
 */
public final class JdbcSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);
  private static final TableSchema CHECKPOINT_ROW = TableSchema.withPrimaryKey(TableId.of(null, "checkpoint"),
      List.of(Column.of("pipeline_id", LogicalType.string(255), false), Column.of("checkpoint", LogicalType.BYTES, false),
          Column.of("saved_at", LogicalType.timestampTz(3), false)), List.of("pipeline_id"));

  private final JdbcSinkConfig config;
  private final String pipelineId;
  private final Target target;
  private final Dialect dialect;
  private final ExtraColumns extras;
  private final Tables tables;
  private final SchemaEvolver evolver;
  private final Map<TableId, TableWriter> writers = new LinkedHashMap<>();
  private int buffered;
  private volatile long skipped;
  private volatile boolean exactlyOnce;
  private TargetTable checkpoints;

  public JdbcSink(JdbcSinkConfig config, String pipelineId) {
    this.config = config;
    this.pipelineId = pipelineId;
    this.dialect = Dialects.forUrl(config.url());
    this.target = new Target(config, dialect, pipelineId);
    this.extras = new ExtraColumns(config.metadataColumns(), config.softDelete());
    this.tables = new Tables(target, config.tableNamePattern(), extras);
    this.evolver = new SchemaEvolver(target, tables, config.schemaChanges(), pipelineId);
  }

  @Override
  public void write(List<ChangeEvent> events) {
    guarded("writing " + events.size() + " changes", () -> {
      for (ChangeEvent e : events) {
        writeOne(e);
        if (buffered >= config.batchSize()) {
          executeAll();
        }
      }
    });
  }

  private void writeOne(ChangeEvent e) throws SQLException {
    TableWriter w = writers.get(e.table());
    if (w == null || w.schema() != null && w.schema() != e.schema() && !w.schema().equals(e.schema())) {
      w = prepare(e.schema());
    }
    if (w.table().isolated()) {
      skipped++;
      return;
    }
    buffered += w.add(e);
  }

  /** A writer for rows of {@code schema}: the table's earlier rows are sent, the target fitted. */
  private TableWriter prepare(TableSchema schema) throws SQLException {
    TableWriter old = writers.remove(schema.id());
    if (old != null) {
      execute(old);
    }
    TargetTable t = tables.lookup(schema.id());
    tables.requireKey(t, schema);
    if (!t.isolated() && (t.columns == null || !schema.equals(t.schema))) {
      evolver.reconcile(t, schema);
    }
    TableWriter w = new TableWriter(t, dialect, extras, config.softDelete());
    writers.put(schema.id(), w);
    return w;
  }

  @Override
  public void apply(SchemaChangeEvent change) {
    guarded("applying " + change.kind() + " to " + change.table(), () -> {
      TableWriter w = writers.remove(change.table());
      if (w != null) {
        execute(w);
      }
      evolver.apply(tables.lookup(change.table()), change);
    });
  }

  @Override
  public void flush() {
    guarded("flushing", () -> {
      executeAll();
      if (!exactlyOnce) {
        target.commit();
      }
    });
  }

  /**
   * The exactly-once store. Taking it switches the sink to exactly-once: from then on only a save
   * commits what was written.
   */
  @Override
  public Optional<CheckpointStore> atomicCheckpoints() {
    if (!exactlyOnce) {
      exactlyOnce = true;
      LOG.info("pipeline={} JDBC sink in exactly-once mode: checkpoints commit with the rows in table {}", pipelineId,
          config.checkpointTable());
    }
    return Optional.of(new JdbcCheckpointStore(this));
  }

  /**
   * With {@code transaction.boundaries: keep}, the pipeline commits this sink (flush or checkpoint
   * save, the only places it commits) only between source transactions, waiting at most
   * {@code transaction.max.wait}.
   */
  @Override
  public Optional<java.time.Duration> transactionBoundaryWait() {
    return config.keepTransactions() ? Optional.of(config.transactionMaxWait()) : Optional.empty();
  }

  /** Tables isolated after a failed schema change, with the reason; their changes are skipped. */
  public Map<TableId, String> isolatedTables() {
    return tables.isolated();
  }

  @Override
  public Map<TableId, String> stoppedTables() {
    return Map.copyOf(isolatedTables());
  }

  /** Changes skipped because their table is isolated. */
  public long skippedChanges() {
    return skipped;
  }

  Optional<Checkpoint> loadCheckpoint() {
    AtomicReference<Optional<Checkpoint>> out = new AtomicReference<>(Optional.empty());
    guarded("loading the checkpoint", () -> {
      TargetTable t = checkpointTable();
      try (PreparedStatement ps = target.connection().prepareStatement(
          "SELECT " + dialect.quote("checkpoint") + " FROM " + t.qualified + " WHERE " + dialect.quote("pipeline_id") + " = ?")) {
        ps.setString(1, pipelineId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            out.set(Optional.of(CheckpointJson.read(rs.getBytes(1), pipelineId, "table " + t.qualified)));
          }
        }
      }
      target.commit();
    });
    return out.get();
  }

  void commitWith(Checkpoint cp) {
    guarded("committing a checkpoint", () -> {
      TargetTable t = checkpointTable();
      executeAll();
      Connection c = target.connection();
      try (PreparedStatement ps = c.prepareStatement(dialect.upsert(t.qualified,
          List.of("pipeline_id", "checkpoint", "saved_at"), List.of("pipeline_id"), 1))) {
        ps.setString(1, pipelineId);
        dialect.bind(c, ps, 2, LogicalType.BYTES, CheckpointJson.write(cp));
        dialect.bind(c, ps, 3, LogicalType.timestampTz(3), cp.savedAt());
        ps.executeUpdate();
      }
      target.commit();
    });
  }

  /** The checkpoint table, created when missing (inside the open transaction where DDL is transactional). */
  private TargetTable checkpointTable() throws SQLException {
    if (checkpoints == null) {
      String ns = target.namespace();
      String name = config.checkpointTable();
      TargetTable t = new TargetTable(TableId.of(ns, name), ns, name, dialect.qualified(ns, name));
      if (tables.readColumns(ns, name) == null) {
        target.ddl(tables.createStatement(t, CHECKPOINT_ROW, false));
        LOG.info("pipeline={} created checkpoint table {}", pipelineId, t.qualified);
      }
      checkpoints = t;
    }
    return checkpoints;
  }

  private void executeAll() throws SQLException {
    for (TableWriter w : writers.values()) {
      execute(w);
    }
    buffered = 0;
  }

  private void execute(TableWriter w) throws SQLException {
    int n = w.size();
    Connection c = target.connection();
    try {
      w.execute(c);
    } catch (SQLException e) {
      if (SqlErrors.isData(e)) {
        throw w.diagnose(c, e);
      }
      throw e;
    }
    buffered -= n;
  }

  /** The body of every public call: one place turning failures into Sluice errors. */
  private interface SqlWork {
    void run() throws SQLException;
  }

  private void guarded(String what, SqlWork work) {
    try {
      work.run();
    } catch (SQLException e) {
      reset();
      throw SqlErrors.translate(e, what + " (pipeline " + pipelineId + ")");
    } catch (RuntimeException | Error e) {
      reset();
      throw e;
    }
  }

  /**
   * After a failure nothing buffered or uncommitted can be trusted: drop it all (the pipeline
   * resumes from its checkpoint, which covers none of it) and read the tables again on next use.
   */
  private void reset() {
    target.discard();
    writers.clear();
    buffered = 0;
    tables.forgetHealthy();
    checkpoints = null;
  }

  @Override
  public void close() {
    // Whatever was not committed is not promised: it rolls back, as in a crash.
    writers.clear();
    target.close();
  }

  @Override
  public String toString() {
    return "JdbcSink[" + pipelineId + " " + config + "]";
  }
}
