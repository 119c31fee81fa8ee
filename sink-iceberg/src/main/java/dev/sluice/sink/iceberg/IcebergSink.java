package dev.sluice.sink.iceberg;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.InternalException;
import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.sink.Sink;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes change events into Apache Iceberg tables (format v2): snapshot rows appended, changes as
 * equality deletes on the key plus the new rows, one commit per table per checkpoint.
 *
 * <p>Delivery: once the pipeline takes {@link #atomicCheckpoints()} (exactly-once, the default of
 * this sink), only a checkpoint save commits, and every commit carries the checkpoint's id in its
 * snapshot summary; see {@link Commits} for why a crash anywhere commits nothing twice. Otherwise
 * (at-least-once) {@link #flush()} commits, and snapshot rows are written as upserts too, so a
 * replay after a crash leaves one row per key.
 *
 * <p>Memory: per table, the open Parquet writers (a few, each buffering at most one small row
 * group) and, per key changed since the last commit, where its row was written; past
 * {@link #MAX_TRACKED_KEYS} keys across tables the largest table's files are committed early as an
 * intermediate commit of the coming checkpoint. Nothing grows with the size of a table.
 */
public final class IcebergSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergSink.class);
  /** Snapshot summary property: the pipeline that made the commit. */
  static final String PIPELINE = "sluice.pipeline";
  /**
   * Keys changed since the last commit whose row positions are remembered, plus the position deletes
   * held for the commit, across tables.
   */
  static final int MAX_TRACKED_KEYS = 200_000;

  private final IcebergSinkConfig config;
  private final String pipelineId;
  private final Catalog catalog;
  private final Tables tables;
  private final Commits commits;
  private final Maintenance maintenance;
  private final Map<TableId, TableWriter> writers = new LinkedHashMap<>();
  private volatile boolean exactlyOnce;
  private volatile long skipped;
  private int maxTrackedKeys = MAX_TRACKED_KEYS;
  /** The checkpoint this sink resumed from, if any: each table's snapshot progress at start. */
  private volatile Checkpoint resumedFrom;
  /** Per table, decided once: whether its snapshot rows must be written as upserts (see {@link #readsAsUpserts}). */
  private final Map<TableId, Boolean> upsertReads = new java.util.HashMap<>();

  public IcebergSink(IcebergSinkConfig config, String pipelineId) {
    this.config = config;
    this.pipelineId = pipelineId;
    this.catalog = Catalogs.open(config);
    this.tables = new Tables(catalog, config, pipelineId);
    this.commits = new Commits(catalog, config, pipelineId);
    this.maintenance = new Maintenance(config, pipelineId);
  }

  @Override
  public void write(List<ChangeEvent> events) {
    guarded("writing " + events.size() + " changes", () -> {
      Map<TableId, List<ChangeEvent>> byTable = new LinkedHashMap<>();
      for (ChangeEvent e : events) {
        byTable.computeIfAbsent(e.table(), t -> new ArrayList<>()).add(e);
      }
      for (Map.Entry<TableId, List<ChangeEvent>> group : byTable.entrySet()) {
        // A batch may span a schema change made without an event: split at each schema.
        List<ChangeEvent> run = new ArrayList<>();
        TableSchema schema = null;
        for (ChangeEvent e : group.getValue()) {
          if (schema != null && e.schema() != schema && !e.schema().equals(schema)) {
            writeRun(run);
            run = new ArrayList<>();
          }
          schema = e.schema();
          run.add(e);
        }
        writeRun(run);
      }
      boundTrackedKeys();
    });
  }

  private void writeRun(List<ChangeEvent> run) {
    if (run.isEmpty()) {
      return;
    }
    TableSchema schema = run.get(0).schema();
    if (tables.isIsolated(schema.id())) {
      skipped += run.size();
      return;
    }
    TableWriter w = writer(schema);
    if (tables.isIsolated(schema.id())) {
      skipped += run.size();
      return;
    }
    w.write(run);
  }

  /** The writer for rows of {@code schema}, made anew (its files kept) when the schema changed. */
  private TableWriter writer(TableSchema schema) {
    TableWriter w = writers.get(schema.id());
    if (w != null && (w.source == schema || w.source.equals(schema))) {
      return w;
    }
    if (w != null) {
      // The rows written so far keep the old schema's files; a key they hold may change again
      // under the new one, so they are committed first (an intermediate commit of the coming
      // checkpoint) rather than mixed with the new writer's.
      commits.commitIntermediate(w, exactlyOnce);
    }
    Table table = w != null ? tables.reconcile(w.table, schema) : tables.prepare(schema);
    table.refresh();
    boolean appendReads = exactlyOnce && !upsertReads.computeIfAbsent(schema.id(), id -> readsAsUpserts(id, table));
    TableWriter next = new TableWriter(tables.identifier(schema.id()), table, schema, config.metadataColumns(),
        appendReads, config.targetFileSize(), !schema.hasPrimaryKey());
    writers.put(schema.id(), next);
    return next;
  }

  /**
   * Snapshot rows are appended only where their keys cannot be in the table yet: a snapshot that
   * starts afresh on an empty table, or resumes after a crash (the chunks still to read hold no
   * committed key). A table whose snapshot starts from the beginning while the Iceberg table holds
   * rows (a re-snapshot asked for through the REST API, a checkpoint reset by hand) gets its
   * snapshot rows as upserts, so no key is there twice.
   */
  private boolean readsAsUpserts(TableId id, Table table) {
    Checkpoint cp = resumedFrom;
    boolean fromStart = cp == null || cp.progress(id).equals(dev.sluice.core.checkpoint.TableProgress.NOT_STARTED);
    org.apache.iceberg.Snapshot current = table.currentSnapshot();
    String records = current == null ? null : current.summary().get("total-records");
    boolean holdsRows = current != null && (records == null || !records.equals("0"));
    if (fromStart && holdsRows) {
      LOG.info("pipeline={} table={}: its snapshot starts over on a table holding rows; snapshot rows are written as "
          + "upserts", pipelineId, tables.identifier(id));
      return true;
    }
    return false;
  }

  /** Commits the table holding most remembered keys early when the bound is passed. */
  private void boundTrackedKeys() {
    int total = 0;
    TableWriter largest = null;
    for (TableWriter w : writers.values()) {
      total += w.trackedKeys();
      if (largest == null || w.trackedKeys() > largest.trackedKeys()) {
        largest = w;
      }
    }
    if (total > maxTrackedKeys && largest != null) {
      LOG.debug("pipeline={} table={}: {} keys changed since the last commit; committing its files early",
          pipelineId, largest.ident, largest.trackedKeys());
      commits.commitIntermediate(largest, exactlyOnce);
    }
  }

  @Override
  public void apply(SchemaChangeEvent change) {
    guarded("applying " + change.kind() + " to " + change.table(), () -> {
      TableWriter w = writers.remove(change.table());
      Table table;
      if (w != null) {
        // What was written before the change is committed first (an intermediate commit of the
        // coming checkpoint): it keeps the schema it was written with, and a truncate must follow it.
        commits.commitIntermediate(w, exactlyOnce);
        table = w.table;
      } else if (change.schema() != null && !tables.isIsolated(change.table())) {
        table = tables.prepare(change.schema());
      } else {
        table = tables.load(change.table());
      }
      tables.apply(table, change, commits.intermediateSummary(exactlyOnce));
    });
  }

  @Override
  public void flush() {
    if (exactlyOnce) {
      return; // the checkpoint's save commits
    }
    guarded("committing", () -> commits.commit(writers.values(), null));
  }

  @Override
  public Optional<CheckpointStore> atomicCheckpoints() {
    if (!exactlyOnce) {
      exactlyOnce = true;
      LOG.info("pipeline={} Iceberg sink in exactly-once mode: each checkpoint commits with the data, its id in "
          + "the snapshot summary", pipelineId);
    }
    return Optional.of(new CheckpointStore() {
      @Override
      public Optional<Checkpoint> load() {
        Optional<Checkpoint> cp = guardedGet("loading the checkpoint", commits::load);
        resumedFrom = cp.orElse(null);
        upsertReads.clear();
        return cp;
      }

      @Override
      public void save(Checkpoint checkpoint) {
        guarded("committing checkpoint", () -> {
          commits.commit(writers.values(), checkpoint);
          maintenance.afterCommit(commits.lastCommitted());
        });
      }
    });
  }

  @Override
  public Optional<Duration> checkpointInterval() {
    return Optional.of(config.commitInterval());
  }

  @Override
  public Map<TableId, String> stoppedTables() {
    return tables.isolated();
  }

  /** Lowers the bound on remembered keys, so tests reach the early commits with small data. */
  IcebergSink maxTrackedKeys(int n) {
    this.maxTrackedKeys = n;
    return this;
  }

  /** For crash tests: fail as a crash would right after the {@code n}-th further commit. */
  IcebergSink crashAfterCommits(int n) {
    commits.crashAfter(n);
    return this;
  }

  /** Changes skipped because their table is isolated. */
  public long skippedChanges() {
    return skipped;
  }

  /** The catalog the sink writes to (for tests and tools that read the tables back). */
  public Catalog catalog() {
    return catalog;
  }

  private void guarded(String what, Runnable work) {
    guardedGet(what, () -> {
      work.run();
      return null;
    });
  }

  private <T> T guardedGet(String what, java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (SluiceException e) {
      reset();
      throw e;
    } catch (UncheckedIOException e) {
      reset();
      throw new SluiceException.ConnectionException("iceberg sink: " + what + " (pipeline " + pipelineId
          + "): cannot write to the warehouse " + config.warehouse() + ": " + Catalogs.rootMessage(e), e);
    } catch (RuntimeException e) {
      reset();
      throw new InternalException("iceberg sink: " + what + " (pipeline " + pipelineId + ") failed: "
          + Catalogs.rootMessage(e), e);
    }
  }

  /**
   * After a failure nothing written since the last commit can be trusted: drop it (the pipeline
   * resumes from its checkpoint, which covers none of it).
   */
  private void reset() {
    List<String> orphans = new ArrayList<>();
    for (TableWriter w : writers.values()) {
      orphans.addAll(w.abandon());
    }
    writers.clear();
    commits.deleteQuietly(orphans);
  }

  @Override
  public void close() {
    // Whatever was not committed is not promised: its files are removed, as a crash would leave
    // them unreferenced.
    reset();
    if (catalog instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("pipeline={} closing the catalog: {}", pipelineId, e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "IcebergSink[" + pipelineId + " " + config + "]";
  }
}
