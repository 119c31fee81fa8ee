package dev.sluice.sink.jdbc;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.sink.SchemaChangePolicy;
import dev.sluice.sink.jdbc.TargetTable.TargetColumn;
import dev.sluice.sink.jdbc.dialect.Dialect;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a target table follow its source under the {@code schema.change.behavior} policy: creates
 * it when missing, adds columns a schema gained, and applies schema change events. A DDL that
 * fails under a tolerant policy isolates that one table: it is reported once, and its later rows
 * are skipped until the pipeline is restarted after the table is fixed by hand.
 */
final class SchemaEvolver {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaEvolver.class);

  private final Target target;
  private final Dialect dialect;
  private final Tables tables;
  private final SchemaChangePolicy policy;
  private final String pipelineId;

  SchemaEvolver(Target target, Tables tables, SchemaChangePolicy policy, String pipelineId) {
    this.target = target;
    this.dialect = target.dialect();
    this.tables = tables;
    this.policy = policy;
    this.pipelineId = pipelineId;
  }

  /**
   * Fits the target to a schema met first or changed without an event: creates a missing table
   * (under every policy) and adds the columns the target lacks (unless the policy forbids).
   */
  void reconcile(TargetTable t, TableSchema schema) throws SQLException {
    if (t.columns == null) {
      run(t, null, () -> tables.createStatement(t, schema, true), "create table");
    } else {
      for (Column c : schema.columns()) {
        if (!t.columns.containsKey(c.name()) && !t.isolated()) {
          addColumn(t, c);
        }
      }
    }
    t.schema = schema;
  }

  private void addColumn(TargetTable t, Column c) throws SQLException {
    switch (policy) {
      case IGNORE -> {
        // rows are written to the columns the target has
      }
      case EXCEPTION -> throw refused(t, c.name(), "has column '" + c.name() + "' (" + c.type() + ") that the target lacks");
      default -> run(t, c.name(), () -> dialect.addColumn(t.qualified, dialect.columnDefinition(c.name(),
          tables.columnType(t, c, false), true)), "add column");
    }
  }

  void apply(TargetTable t, SchemaChangeEvent change) throws SQLException {
    if (t.isolated()) {
      return;
    }
    switch (change.kind()) {
      case CREATE_TABLE, ADD_COLUMN -> reconcile(t, change.schema());
      case DROP_COLUMN -> dropColumn(t, change.column());
      case RENAME_COLUMN -> renameColumn(t, change);
      case ALTER_COLUMN_TYPE -> alterType(t, change);
      case TRUNCATE_TABLE -> destructive(t, change, () -> dialect.truncate(t.qualified), "truncate");
      case DROP_TABLE -> destructive(t, change, () -> dialect.dropTable(t.qualified), "drop table");
    }
    if (change.schema() != null) {
      t.schema = change.schema();
    }
  }

  private void dropColumn(TargetTable t, String column) throws SQLException {
    TargetColumn existing = t.columns == null ? null : t.columns.get(column);
    switch (policy) {
      case EXCEPTION -> throw refused(t, column, "dropped column '" + column + "'");
      case EVOLVE, TRY_EVOLVE -> {
        if (existing != null) {
          run(t, column, () -> dialect.dropColumn(t.qualified, column), "drop column");
        }
      }
      case LENIENT -> {
        if (existing != null && !existing.nullable()) {
          run(t, column, () -> dialect.dropNotNull(t.qualified, column, typeOf(t, column)), "make nullable");
        }
      }
      case IGNORE -> { }
    }
  }

  private void renameColumn(TargetTable t, SchemaChangeEvent change) throws SQLException {
    String from = change.column();
    String to = change.newColumnName();
    switch (policy) {
      case EXCEPTION -> throw refused(t, from, "renamed column '" + from + "' to '" + to + "'");
      case EVOLVE, TRY_EVOLVE -> run(t, from, () -> dialect.renameColumn(t.qualified, from, to), "rename column");
      case LENIENT -> {
        // The old column keeps the rows written so far; new rows fill the new one.
        dropColumn(t, from);
        Column added = change.schema().columns().get(change.schema().columnIndex(to));
        if (!t.isolated() && !t.columns.containsKey(to)) {
          addColumn(t, added);
        }
      }
      case IGNORE -> { }
    }
  }

  private void alterType(TargetTable t, SchemaChangeEvent change) throws SQLException {
    String column = change.column();
    Column now = change.schema().columns().get(change.schema().columnIndex(column));
    switch (policy) {
      case EXCEPTION -> throw refused(t, column, "changed the type of column '" + column + "' to " + now.type());
      case EVOLVE, TRY_EVOLVE -> run(t, column, () -> alterTypeStatement(t, column, now), "change type");
      case LENIENT -> {
        Column before = t.schema == null || !hasColumn(t.schema, column) ? null
            : t.schema.columns().get(t.schema.columnIndex(column));
        if (before != null && TypeWidening.widens(before.type(), now.type()) && !before.type().equals(now.type())) {
          run(t, column, () -> alterTypeStatement(t, column, now), "widen type");
        } else if (before != null && !before.type().equals(now.type())) {
          LOG.warn("pipeline={} table={} column {} changed from {} to {}, a narrowing; lenient keeps the target's type",
              pipelineId, t, column, before.type(), now.type());
        }
      }
      case IGNORE -> { }
    }
  }

  private String alterTypeStatement(TargetTable t, String column, Column now) {
    TargetColumn current = t.columns == null ? null : t.columns.get(column);
    return dialect.alterColumnType(t.qualified, column, current == null ? null : current.dataType(),
        tables.columnType(t, now, false), nullable(t, column));
  }

  private void destructive(TargetTable t, SchemaChangeEvent change, Supplier<String> ddl, String what) throws SQLException {
    switch (policy) {
      case EXCEPTION -> throw refused(t, null, "had a " + change.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
      case EVOLVE, TRY_EVOLVE -> {
        run(t, null, ddl, what);
        if (change.kind() == SchemaChangeEvent.Kind.DROP_TABLE) {
          tables.forget(t.source);
        }
      }
      default -> LOG.info("pipeline={} table={}: {} not applied under schema.change.behavior={}", pipelineId, t, what, policy);
    }
  }

  private static boolean hasColumn(TableSchema s, String column) {
    return s.columns().stream().anyMatch(c -> c.name().equals(column));
  }

  private static boolean nullable(TargetTable t, String column) {
    TargetColumn c = t.columns == null ? null : t.columns.get(column);
    return c == null || c.nullable();
  }

  private String typeOf(TargetTable t, String column) {
    if (t.schema != null && hasColumn(t.schema, column)) {
      return tables.columnType(t, t.schema.columns().get(t.schema.columnIndex(column)), false);
    }
    return t.columns.get(column).dataType();
  }

  /**
   * Runs the DDL statement {@code ddl} spells ({@code null}: nothing to change); a failure, or a
   * change the database cannot make, fails the pipeline or isolates the table, per the policy.
   */
  private void run(TargetTable t, String column, Supplier<String> ddl, String what) throws SQLException {
    String on = what + (column == null ? "" : " of column '" + column + "'");
    try {
      String sql = ddl.get();
      if (sql == null) {
        return;
      }
      target.ddl(sql);
      tables.refresh(t);
      LOG.info("pipeline={} table={}: {}{}", pipelineId, t, what, column == null ? "" : " " + column);
    } catch (SQLException e) {
      if (SqlErrors.isConnection(e)) {
        throw e;
      }
      if (!policy.isolatesFailures()) {
        throw SqlErrors.translate(e, "applying a schema change to table " + t + ": " + on, privilegeFor(t, what));
      }
      isolate(t, on + " failed: " + SqlErrors.describe(e)
          + (SqlErrors.isPermission(e) ? "; grant the sink's user " + privilegeFor(t, what) : ""));
    } catch (UnsupportedOperationException e) {
      if (!policy.isolatesFailures()) {
        throw new ConfigurationException("pipeline " + pipelineId + ": cannot apply a schema change to table " + t
            + ": " + on + ": " + e.getMessage() + "; change target table " + t.qualified + " by hand and restart", e);
      }
      isolate(t, on + " not possible: " + e.getMessage());
    }
  }

  /** The privilege the DDL {@code what} (as {@link #run} names it) needs on {@code t}. */
  private String privilegeFor(TargetTable t, String what) {
    Dialect.Ddl ddl = switch (what) {
      case "create table" -> Dialect.Ddl.CREATE_TABLE;
      case "truncate" -> Dialect.Ddl.TRUNCATE_TABLE;
      case "drop table" -> Dialect.Ddl.DROP_TABLE;
      default -> Dialect.Ddl.ALTER_TABLE;
    };
    return dialect.privilegeFor(ddl, t.namespace, t.qualified);
  }

  private void isolate(TargetTable t, String reason) {
    tables.isolate(t, reason);
    LOG.warn("pipeline={} table={} isolated: {}; its changes are skipped until the table is fixed and the pipeline "
        + "restarted (schema.change.behavior={})", pipelineId, t, reason, policy);
  }

  private ConfigurationException refused(TargetTable t, String column, String what) {
    return new ConfigurationException("pipeline " + pipelineId + ": source table " + t.source + " " + what
        + ", and schema.change.behavior=exception refuses schema changes"
        + (column == null ? "" : " (column '" + column + "')") + "; change target table " + t.qualified
        + " by hand and restart, or choose lenient or evolve");
  }
}
