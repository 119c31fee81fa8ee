package dev.sluice.sink.iceberg;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.sink.MetadataColumn;
import dev.sluice.core.sink.SchemaChangePolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdatePartitionSpec;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names, creates and evolves the Iceberg tables of the source tables under the
 * {@code schema.change.behavior} policy (the semantics of sink-jdbc's): creating a missing table is
 * done under every policy; a change Iceberg cannot make fails the pipeline (evolve, exception) or
 * isolates the table (try_evolve, lenient), whose later changes are then skipped.
 */
final class Tables {
  private static final Logger LOG = LoggerFactory.getLogger(Tables.class);

  private final Catalog catalog;
  private final IcebergSinkConfig config;
  private final TypeMapping types;
  private final String pipelineId;
  private final Map<TableId, String> isolated = new java.util.concurrent.ConcurrentHashMap<>();

  Tables(Catalog catalog, IcebergSinkConfig config, String pipelineId) {
    this.catalog = catalog;
    this.config = config;
    this.types = new TypeMapping(config.wideDecimalAsString());
    this.pipelineId = pipelineId;
  }

  /**
   * The Iceberg table of a source table: namespace = the {@code namespace} option, else the id's
   * database ({@code db.table}) or schema ({@code db.schema.table}); name = the table's name.
   */
  TableIdentifier identifier(TableId id) {
    String ns = config.namespace();
    if (ns == null) {
      ns = id.schema() != null ? id.schema() : id.catalog() != null ? id.catalog() : "default";
    }
    return TableIdentifier.of(Namespace.of(ns), id.table());
  }

  Map<TableId, String> isolated() {
    return Map.copyOf(isolated);
  }

  boolean isIsolated(TableId id) {
    return isolated.containsKey(id);
  }

  /** The table for rows of {@code schema}: loaded, or created, and fitted to the schema. */
  Table prepare(TableSchema schema) {
    TableIdentifier ident = identifier(schema.id());
    if (!schema.hasPrimaryKey() && !config.appendWithoutKey()) {
      throw new ConfigurationException("iceberg sink: source table " + schema.id() + " has no primary key, so its "
          + "changes cannot be applied as upserts to " + ident + "; set table.without-key: append to append every "
          + "change as a row (with its __op), or give the table a primary key");
    }
    Table table;
    try {
      table = catalog.loadTable(ident);
    } catch (NoSuchTableException e) {
      return create(ident, schema);
    }
    return reconcile(table, schema);
  }

  private Table create(TableIdentifier ident, TableSchema source) {
    Schema schema = icebergSchema(source);
    if (catalog instanceof SupportsNamespaces ns && !ns.namespaceExists(ident.namespace())) {
      try {
        ns.createNamespace(ident.namespace());
      } catch (AlreadyExistsException e) {
        // made meanwhile by another writer
      }
    }
    Map<String, String> props = new LinkedHashMap<>();
    props.put(TableProperties.FORMAT_VERSION, "2");
    props.put(TableProperties.DEFAULT_FILE_FORMAT, "parquet");
    // Row groups are buffered in memory per open file: keep them small so many open files stay cheap.
    props.put(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Long.toString(8L << 20));
    props.put(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
    props.put(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "10");
    props.put(TableProperties.COMMIT_NUM_RETRIES, "10");
    props.put("sluice.source-table", source.id().toString());
    Table table;
    try {
      // Spec 0 stays unpartitioned: the sink's equality deletes are written with it, so they apply
      // to every partition (a key's row may move between partitions).
      table = catalog.buildTable(ident, schema).withPartitionSpec(PartitionSpec.unpartitioned())
          .withProperties(props).create();
    } catch (AlreadyExistsException e) {
      return reconcile(catalog.loadTable(ident), source);
    }
    List<Partitioning.Field> fields = Partitioning.parse(config.partitionFields(source.id(), ident.toString()));
    if (!fields.isEmpty()) {
      UpdatePartitionSpec spec = table.updateSpec();
      for (Partitioning.Field f : fields) {
        if (table.schema().findField(f.column()) == null) {
          throw new ConfigurationException("iceberg sink: partition.by for " + source.id() + " names column '"
              + f.column() + "', which the table does not have (columns: "
              + source.columns().stream().map(Column::name).toList() + ")");
        }
        spec.addField(f.term());
      }
      try {
        spec.commit();
      } catch (IllegalArgumentException | org.apache.iceberg.exceptions.ValidationException e) {
        throw new ConfigurationException("iceberg sink: partition.by for " + source.id() + " is refused by Iceberg: "
            + e.getMessage(), e);
      }
      table.refresh();
    }
    LOG.info("pipeline={} created Iceberg table {} ({} columns, key {}, partitioned by {})", pipelineId, ident,
        schema.columns().size(), source.keyColumns(), table.spec().isUnpartitioned() ? "nothing" : table.spec());
    return table;
  }

  /** The Iceberg schema of a source table: its columns, then the metadata columns; the key as identifier fields. */
  Schema icebergSchema(TableSchema source) {
    List<Types.NestedField> fields = new ArrayList<>();
    TypeMapping.IdSource ids = new TypeMapping.IdSource(1000);
    int id = 1;
    boolean keyed = source.hasPrimaryKey();
    Set<Integer> identifier = new HashSet<>();
    for (Column c : source.columns()) {
      Type t = types.icebergType(source.id(), c, ids);
      boolean key = keyed && source.keyColumns().contains(c.name());
      boolean required = key || !c.nullable();
      fields.add(required ? Types.NestedField.required(id, c.name(), t) : Types.NestedField.optional(id, c.name(), t));
      if (key) {
        identifier.add(id);
      }
      id++;
    }
    for (Types.NestedField m : metadataFields(source)) {
      fields.add(Types.NestedField.optional(id++, m.name(), m.type()));
    }
    return new Schema(fields, identifier);
  }

  private List<Types.NestedField> metadataFields(TableSchema source) {
    List<MetadataColumn> meta = new ArrayList<>(config.metadataColumns());
    if (!source.hasPrimaryKey() && !meta.contains(MetadataColumn.OP)) {
      meta.add(MetadataColumn.OP); // an appended change log needs its op to be read
    }
    List<Types.NestedField> out = new ArrayList<>();
    int id = 100_000; // renumbered by the catalog; only unique here
    for (MetadataColumn m : meta) {
      Type t = m == MetadataColumn.SOURCE_TS ? Types.TimestampType.withZone() : Types.StringType.get();
      out.add(Types.NestedField.optional(id++, m.column(), t));
    }
    return out;
  }

  /** Fits an existing table to a schema met first (or changed without an event): adds the columns it lacks. */
  Table reconcile(Table table, TableSchema source) {
    if (isolated.containsKey(source.id())) {
      return table;
    }
    List<Column> missing = new ArrayList<>();
    for (Column c : source.columns()) {
      if (table.schema().findField(c.name()) == null) {
        missing.add(c);
      }
    }
    List<Types.NestedField> metaMissing = new ArrayList<>();
    for (Types.NestedField m : metadataFields(source)) {
      if (table.schema().findField(m.name()) == null) {
        metaMissing.add(m);
      }
    }
    if (!metaMissing.isEmpty()) {
      update(table, source.id(), null, "add metadata columns", u -> metaMissing.forEach(m -> u.addColumn(m.name(), m.type())));
    }
    if (missing.isEmpty()) {
      return table;
    }
    switch (config.schemaChanges()) {
      case IGNORE -> {
        // rows are written to the columns the table has
      }
      case EXCEPTION -> throw refused(source.id(), table, missing.get(0).name(),
          "has column '" + missing.get(0).name() + "' (" + missing.get(0).type() + ") that the Iceberg table lacks");
      default -> {
        for (Column c : missing) {
          Type t = types.icebergType(source.id(), c, new TypeMapping.IdSource(1));
          update(table, source.id(), c.name(), "add column", u -> u.addColumn(c.name(), t));
        }
      }
    }
    return table;
  }

  /** The table of a source table when it exists, else null. */
  Table load(TableId id) {
    try {
      return catalog.loadTable(identifier(id));
    } catch (NoSuchTableException e) {
      return null;
    }
  }

  /**
   * Applies a schema change event to the table (null when it does not exist); a truncate's commit
   * carries {@code summary} (the coming checkpoint's id, so a crash before that checkpoint rolls
   * it back with the rest).
   */
  void apply(Table table, SchemaChangeEvent change, Map<String, String> summary) {
    TableId id = change.table();
    if (isolated.containsKey(id) || table == null) {
      return;
    }
    SchemaChangePolicy policy = config.schemaChanges();
    switch (change.kind()) {
      case CREATE_TABLE, ADD_COLUMN -> reconcile(table, change.schema());
      case DROP_COLUMN -> {
        String col = change.column();
        Types.NestedField f = table.schema().findField(col);
        switch (policy) {
          case EXCEPTION -> throw refused(id, table, col, "dropped column '" + col + "'");
          case EVOLVE, TRY_EVOLVE -> {
            if (f != null) {
              update(table, id, col, "drop column", u -> u.deleteColumn(col));
            }
          }
          case LENIENT -> {
            if (f != null && f.isRequired()) {
              update(table, id, col, "make nullable", u -> u.makeColumnOptional(col));
            }
          }
          case IGNORE -> { }
        }
      }
      case RENAME_COLUMN -> {
        String from = change.column();
        String to = change.newColumnName();
        switch (policy) {
          case EXCEPTION -> throw refused(id, table, from, "renamed column '" + from + "' to '" + to + "'");
          case EVOLVE, TRY_EVOLVE -> {
            // Applied again after a crash, the rename finds it done.
            if (table.schema().findField(from) != null && table.schema().findField(to) == null) {
              update(table, id, from, "rename column", u -> u.renameColumn(from, to));
            }
          }
          case LENIENT -> {
            // The old column keeps the rows written so far; new rows fill the new one.
            Types.NestedField f = table.schema().findField(from);
            if (f != null && f.isRequired()) {
              update(table, id, from, "make nullable", u -> u.makeColumnOptional(from));
            }
            reconcile(table, change.schema());
          }
          case IGNORE -> { }
        }
      }
      case ALTER_COLUMN_TYPE -> alterType(table, change, policy);
      case TRUNCATE_TABLE, DROP_TABLE -> {
        String what = change.kind() == SchemaChangeEvent.Kind.TRUNCATE_TABLE ? "truncate" : "drop table";
        switch (policy) {
          case EXCEPTION -> throw refused(id, table, null, "had a " + what);
          case EVOLVE, TRY_EVOLVE -> {
            try {
              // Both keep the table's files for time travel: a drop empties the table rather than
              // removing it from the catalog, so a replay after a crash finds it as it left it.
              org.apache.iceberg.DeleteFiles delete = table.newDelete()
                  .deleteFromRowFilter(org.apache.iceberg.expressions.Expressions.alwaysTrue());
              summary.forEach(delete::set);
              delete.commit();
              LOG.info("pipeline={} table={}: {} applied (all rows deleted)", pipelineId, identifier(id), what);
            } catch (RuntimeException e) {
              fail(id, table, null, what, e);
            }
          }
          default -> LOG.info("pipeline={} table={}: {} not applied under schema.change.behavior={}", pipelineId,
              identifier(id), what, policy);
        }
      }
    }
  }

  private void alterType(Table table, SchemaChangeEvent change, SchemaChangePolicy policy) {
    TableId id = change.table();
    String col = change.column();
    Column now = change.schema().columns().get(change.schema().columnIndex(col));
    Types.NestedField f = table.schema().findField(col);
    if (f == null || policy == SchemaChangePolicy.IGNORE) {
      return;
    }
    if (policy == SchemaChangePolicy.EXCEPTION) {
      throw refused(id, table, col, "changed the type of column '" + col + "' to " + now.type());
    }
    Type target;
    try {
      target = types.icebergType(id, now, new TypeMapping.IdSource(1));
    } catch (ConfigurationException e) {
      fail(id, table, col, "change type", e);
      return;
    }
    if (target.equals(f.type())) {
      return;
    }
    if (target.isPrimitiveType() && promotable(f.type(), target)) {
      update(table, id, col, "widen type", u -> u.updateColumn(col, target.asPrimitiveType()));
    } else if (policy == SchemaChangePolicy.LENIENT && promotable(target, f.type())) {
      LOG.warn("pipeline={} table={} column {} changed from {} to {}, a narrowing; lenient keeps the Iceberg type",
          pipelineId, identifier(id), col, f.type(), target);
    } else {
      fail(id, table, col, "change type", new UnsupportedOperationException("Iceberg cannot change " + f.type()
          + " to " + target + " in place (it widens int to long, float to double and a decimal's precision only)"));
    }
  }

  /** Iceberg's allowed promotions: int to long, float to double, decimal(p, s) to decimal(q, s) with q >= p. */
  static boolean promotable(Type from, Type to) {
    if (from.equals(to)) {
      return true;
    }
    if (from.typeId() == Type.TypeID.INTEGER && to.typeId() == Type.TypeID.LONG) {
      return true;
    }
    if (from.typeId() == Type.TypeID.FLOAT && to.typeId() == Type.TypeID.DOUBLE) {
      return true;
    }
    if (from instanceof Types.DecimalType a && to instanceof Types.DecimalType b) {
      return a.scale() == b.scale() && b.precision() >= a.precision();
    }
    return false;
  }

  private void update(Table table, TableId id, String column, String what, java.util.function.Consumer<UpdateSchema> change) {
    try {
      UpdateSchema u = table.updateSchema();
      change.accept(u);
      u.commit();
      table.refresh();
      LOG.info("pipeline={} table={}: {}{}", pipelineId, identifier(id), what, column == null ? "" : " " + column);
    } catch (RuntimeException e) {
      fail(id, table, column, what, e);
    }
  }

  private void fail(TableId id, Table table, String column, String what, RuntimeException e) {
    String on = what + (column == null ? "" : " of column '" + column + "'");
    if (!config.schemaChanges().isolatesFailures()) {
      throw new ConfigurationException("pipeline " + pipelineId + ": cannot apply a schema change to Iceberg table "
          + identifier(id) + ": " + on + ": " + e.getMessage() + "; change the table by hand and restart, or choose "
          + "schema.change.behavior try_evolve or lenient to isolate the table instead", e);
    }
    String reason = on + " failed: " + e.getMessage();
    isolated.put(id, reason);
    LOG.warn("pipeline={} table={} isolated: {}; its changes are skipped until the table is fixed and the pipeline "
        + "restarted (schema.change.behavior={})", pipelineId, identifier(id), reason, config.schemaChanges());
  }

  private ConfigurationException refused(TableId id, Table table, String column, String what) {
    return new ConfigurationException("pipeline " + pipelineId + ": source table " + id + " " + what
        + ", and schema.change.behavior=exception refuses schema changes"
        + (column == null ? "" : " (column '" + column + "')") + "; change Iceberg table " + identifier(id)
        + " by hand and restart, or choose lenient or evolve");
  }
}
