package dev.sluice.sink.iceberg;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits and checkpoints: the exactly-once protocol.
 *
 * <p>Every commit the sink makes for checkpoint number {@code n} carries {@code sluice.pipeline}
 * in its snapshot summary. A save commits every table with data; a table's last commit for
 * {@code n}, its final one, carries {@code sluice.checkpoint = n}, {@code sluice.checkpoint.tables}
 * (how many tables {@code n} commits) and {@code sluice.checkpoint.file} (the checkpoint itself as
 * JSON, written before the first table commits); its commits of {@code n} before that (the read
 * files, or files committed early) carry {@code sluice.checkpoint.pending = n}. So each table has
 * at most one snapshot whose summary names checkpoint {@code n}. A save with no data commits an empty snapshot on one table, so
 * the position still advances.
 *
 * <p>Saves run one after another, so only the newest number {@code m} can be incomplete. Loading
 * reads the newest sluice commit of every table of the catalog: {@code m} is complete when as
 * many tables as its final commits say end with their final commit of {@code m}; then its
 * checkpoint is the one. Otherwise a crash cut the save short: every table's commits of {@code m}
 * are rolled back (the table's current snapshot set back to the parent of its first commit of
 * {@code m}, and the abandoned snapshots expired), after which {@code m - 1} is complete. So the
 * data of a checkpoint is in every table or in none, the pipeline resumes exactly from the
 * checkpoint the tables hold, and a later save takes a number never used before: no snapshot
 * summary carries the same checkpoint twice.
 */
final class Commits {
  private static final Logger LOG = LoggerFactory.getLogger(Commits.class);
  static final String PIPELINE = IcebergSink.PIPELINE;
  static final String CHECKPOINT = "sluice.checkpoint";
  /** Marks the commits of a checkpoint before a table's final one (read files, early commits). */
  static final String PENDING = "sluice.checkpoint.pending";
  static final String TABLES = "sluice.checkpoint.tables";
  static final String FILE = "sluice.checkpoint.file";
  /** Marks the commit that emptied a table whose only sluice commits were rolled back. */
  static final String ROLLED_BACK = "sluice.rolled-back";
  /** A random id per commit operation, to tell after an unknown commit outcome whether it landed. */
  static final String OPERATION = "sluice.commit-id";
  private static final int UNKNOWN_STATE_RETRIES = 3;

  private final Catalog catalog;
  private final IcebergSinkConfig config;
  private final String pipelineId;
  private long nextSeq = 1;
  private String lastFile;
  private Table lastFileTable;
  /** A table holding this pipeline's commits, for saves without data. */
  private Table home;
  private TableIdentifier homeId;
  /** Tables with intermediate commits of the coming checkpoint. */
  private final Map<TableIdentifier, Table> touched = new LinkedHashMap<>();
  private List<Table> lastCommitted = List.of();
  /** For crash tests: the number of commits after which the process "dies" (-1: never). */
  private int crashAfter = -1;

  void crashAfter(int commits) {
    this.crashAfter = commits;
  }

  Commits(Catalog catalog, IcebergSinkConfig config, String pipelineId) {
    this.catalog = catalog;
    this.config = config;
    this.pipelineId = pipelineId;
  }

  List<Table> lastCommitted() {
    return lastCommitted;
  }

  /** The summary of a commit outside a save: the coming checkpoint's number in exactly-once mode. */
  Map<String, String> intermediateSummary(boolean exactlyOnce) {
    Map<String, String> s = new HashMap<>();
    s.put(PIPELINE, pipelineId);
    if (exactlyOnce) {
      s.put(PENDING, Long.toString(nextSeq));
    }
    return s;
  }

  /** Commits one table's files now, as part of the coming checkpoint (or plainly, at-least-once). */
  void commitIntermediate(TableWriter w, boolean exactlyOnce) {
    w.closeFiles();
    if (w.readFiles.isEmpty() && w.changeFiles.isEmpty() && w.deleteFiles.isEmpty()) {
      return;
    }
    commitTable(w.table, w, intermediateSummary(exactlyOnce));
    w.committed();
    if (exactlyOnce) {
      touched.put(w.ident, w.table);
    }
  }

  /**
   * Commits what the writers hold: with {@code cp} as checkpoint number {@code nextSeq} (see the
   * class comment), or without one (at-least-once).
   */
  void commit(Collection<TableWriter> writers, Checkpoint cp) {
    Map<TableIdentifier, TableWriter> dirty = new LinkedHashMap<>();
    for (TableWriter w : writers) {
      w.closeFiles();
      if (!(w.readFiles.isEmpty() && w.changeFiles.isEmpty() && w.deleteFiles.isEmpty())) {
        dirty.put(w.ident, w);
      }
    }
    if (cp == null) {
      for (TableWriter w : dirty.values()) {
        commitTable(w.table, w, intermediateSummary(false));
        w.committed();
      }
      lastCommitted = dirty.values().stream().map(w -> w.table).toList();
      return;
    }
    Map<TableIdentifier, Table> targets = new LinkedHashMap<>(touched);
    dirty.forEach((id, w) -> targets.put(id, w.table));
    if (targets.isEmpty()) {
      if (home == null) {
        // Nothing was ever committed: a restart starts over, which is exactly right.
        LOG.debug("pipeline={} checkpoint with no table written yet: not stored", pipelineId);
        return;
      }
      targets.put(homeId, home);
    }
    long seq = nextSeq;
    TableIdentifier firstId = targets.keySet().iterator().next();
    Table first = targets.get(firstId);
    String file = writeCheckpoint(first, seq, cp);
    Map<String, String> summary = new HashMap<>();
    summary.put(PIPELINE, pipelineId);
    summary.put(CHECKPOINT, Long.toString(seq));
    summary.put(TABLES, Integer.toString(targets.size()));
    summary.put(FILE, file);
    for (Map.Entry<TableIdentifier, Table> t : targets.entrySet()) {
      TableWriter w = dirty.get(t.getKey());
      commitTable(t.getValue(), w, summary);
      if (w != null) {
        w.committed();
      }
    }
    nextSeq = seq + 1;
    touched.clear();
    if (lastFile != null) {
      deleteQuietly(lastFileTable, List.of(lastFile));
    }
    lastFile = file;
    lastFileTable = first;
    home = first;
    homeId = firstId;
    lastCommitted = List.copyOf(targets.values());
    LOG.debug("pipeline={} checkpoint {} committed to {} tables at {}", pipelineId, seq, targets.size(), cp.position());
  }

  /**
   * One table's commit: the read files first in a commit of their own (so the changes' equality
   * deletes, a sequence number later, apply to them), then the changes and deletes; {@code w} null
   * for an empty commit that only records the checkpoint.
   */
  private void commitTable(Table table, TableWriter w, Map<String, String> summary) {
    List<DataFile> reads = w == null ? List.of() : w.readFiles;
    List<DataFile> changes = w == null ? List.of() : w.changeFiles;
    List<DeleteFile> deletes = w == null ? List.of() : w.deleteFiles;
    boolean hasChanges = !changes.isEmpty() || !deletes.isEmpty();
    if (!reads.isEmpty()) {
      Map<String, String> readSummary = summary;
      if (hasChanges) {
        readSummary = new HashMap<>(summary);
        readSummary.remove(TABLES);
        readSummary.remove(FILE);
        String seq = readSummary.remove(CHECKPOINT);
        if (seq != null) {
          readSummary.put(PENDING, seq);
        }
      }
      run(table, readSummary, () -> {
        AppendFiles append = table.newAppend();
        reads.forEach(append::appendFile);
        return append;
      });
    }
    if (hasChanges) {
      run(table, summary, () -> {
        RowDelta delta = table.newRowDelta();
        changes.forEach(delta::addRows);
        deletes.forEach(delta::addDeletes);
        return delta;
      });
    } else if (reads.isEmpty()) {
      run(table, summary, table::newAppend);
    }
  }

  /**
   * Commits one operation with its summary. A conflict with a concurrent commit is retried by
   * Iceberg itself (commit.retry.num-retries); an unknown outcome is settled by looking for the
   * operation's id among the table's snapshots before trying again.
   */
  private void run(Table table, Map<String, String> summary, java.util.function.Supplier<SnapshotUpdate<?>> op) {
    String id = UUID.randomUUID().toString();
    for (int attempt = 0; ; attempt++) {
      SnapshotUpdate<?> u = op.get();
      summary.forEach(u::set);
      u.set(OPERATION, id);
      try {
        u.commit();
        if (crashAfter > 0 && --crashAfter == 0) {
          throw new IllegalStateException("simulated crash after a commit to " + table.name());
        }
        return;
      } catch (CommitStateUnknownException e) {
        table.refresh();
        for (Snapshot s : table.snapshots()) {
          if (id.equals(s.summary().get(OPERATION))) {
            return;
          }
        }
        if (attempt >= UNKNOWN_STATE_RETRIES) {
          throw e;
        }
        LOG.warn("pipeline={} table={}: commit outcome unknown and not found in the table; committing again ({})",
            pipelineId, table.name(), e.getMessage());
      }
    }
  }

  private String writeCheckpoint(Table table, long seq, Checkpoint cp) {
    String path = table.location() + "/metadata/sluice-" + safe(pipelineId) + "-" + seq + "-" + UUID.randomUUID()
        + ".checkpoint.json";
    try (OutputStream out = table.io().newOutputFile(path).create()) {
      out.write(CheckpointJson.write(cp));
    } catch (IOException e) {
      throw new UncheckedIOException("writing checkpoint file " + path, e);
    }
    return path;
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  /** One sluice commit of a table, newest first in {@link #history}. */
  private record Mark(long seq, boolean last, Snapshot snapshot) {}

  /**
   * This pipeline's commits on a table's current branch, newest first, down to and including its
   * newest final commit; empty when it has none.
   */
  private List<Mark> history(Table table) {
    List<Mark> out = new ArrayList<>();
    Snapshot s = table.currentSnapshot();
    while (s != null) {
      Map<String, String> sum = s.summary();
      if (pipelineId.equals(sum.get(PIPELINE)) && sum.get(ROLLED_BACK) != null) {
        break; // what lies below was rolled back
      }
      String seq = sum.get(CHECKPOINT) != null ? sum.get(CHECKPOINT) : sum.get(PENDING);
      if (pipelineId.equals(sum.get(PIPELINE)) && seq != null) {
        boolean last = sum.get(CHECKPOINT) != null;
        out.add(new Mark(Long.parseLong(seq), last, s));
        if (last) {
          break;
        }
      }
      s = s.parentId() == null ? null : table.snapshot(s.parentId());
    }
    return out;
  }

  /** The checkpoint the tables hold, after rolling back a save a crash cut short. */
  Optional<Checkpoint> load() {
    Map<TableIdentifier, Table> tables = new LinkedHashMap<>();
    for (TableIdentifier id : listTables()) {
      try {
        tables.put(id, catalog.loadTable(id));
      } catch (NoSuchTableException e) {
        // dropped meanwhile
      }
    }
    long maxSeen = 0;
    for (Table t : tables.values()) {
      for (Snapshot s : t.snapshots()) {
        Map<String, String> sum = s.summary();
        String seq = sum.get(CHECKPOINT) != null ? sum.get(CHECKPOINT) : sum.get(PENDING);
        if (pipelineId.equals(sum.get(PIPELINE)) && seq != null) {
          maxSeen = Math.max(maxSeen, Long.parseLong(seq));
        }
      }
    }
    while (true) {
      long m = 0;
      Map<TableIdentifier, List<Mark>> histories = new LinkedHashMap<>();
      for (Map.Entry<TableIdentifier, Table> t : tables.entrySet()) {
        List<Mark> h = history(t.getValue());
        if (!h.isEmpty()) {
          histories.put(t.getKey(), h);
          m = Math.max(m, h.get(0).seq());
        }
      }
      if (histories.isEmpty()) {
        nextSeq = maxSeen + 1;
        LOG.info("pipeline={} no checkpoint in the Iceberg tables: starting fresh", pipelineId);
        return Optional.empty();
      }
      int finals = 0;
      int expected = -1;
      boolean partial = false;
      Mark finalMark = null;
      TableIdentifier finalTable = null;
      for (Map.Entry<TableIdentifier, List<Mark>> h : histories.entrySet()) {
        Mark top = h.getValue().get(0);
        if (top.seq() != m) {
          continue;
        }
        if (top.last()) {
          finals++;
          expected = Integer.parseInt(top.snapshot().summary().get(TABLES));
          finalMark = top;
          finalTable = h.getKey();
        } else {
          partial = true;
        }
      }
      if (!partial && finals == expected) {
        Table t = tables.get(finalTable);
        String file = finalMark.snapshot().summary().get(FILE);
        Checkpoint cp = readCheckpoint(t, file);
        nextSeq = Math.max(maxSeen, m) + 1;
        lastFile = file;
        lastFileTable = t;
        home = t;
        homeId = finalTable;
        LOG.info("pipeline={} resuming from checkpoint {} in the Iceberg tables ({} tables hold it)", pipelineId, m,
            finals);
        return Optional.of(cp);
      }
      for (Map.Entry<TableIdentifier, List<Mark>> h : histories.entrySet()) {
        if (h.getValue().get(0).seq() == m) {
          rollBack(tables.get(h.getKey()), m);
          tables.put(h.getKey(), catalog.loadTable(h.getKey()));
        }
      }
    }
  }

  /** Sets the table back to before its first commit of checkpoint {@code m}, and expires what that leaves behind. */
  private void rollBack(Table table, long m) {
    // Down from the current snapshot to the first of this pipeline's commits of checkpoint m or
    // later (pending ones included), stopping at an older checkpoint's commit.
    Snapshot earliest = null;
    List<Long> abandoned = new ArrayList<>();
    List<Long> walked = new ArrayList<>();
    Snapshot s = table.currentSnapshot();
    while (s != null) {
      Map<String, String> sum = s.summary();
      boolean ours = pipelineId.equals(sum.get(PIPELINE));
      if (ours && sum.get(ROLLED_BACK) != null) {
        break;
      }
      String seq = sum.get(CHECKPOINT) != null ? sum.get(CHECKPOINT) : sum.get(PENDING);
      if (ours && seq != null) {
        if (Long.parseLong(seq) < m) {
          break;
        }
        walked.add(s.snapshotId());
        abandoned.addAll(walked);
        walked.clear();
        earliest = s;
      } else {
        walked.add(s.snapshotId());
      }
      s = s.parentId() == null ? null : table.snapshot(s.parentId());
    }
    Long target = earliest.parentId();
    LOG.warn("pipeline={} table={}: checkpoint {} was cut short by a crash; rolling back its {} commit(s) to snapshot {}",
        pipelineId, table.name(), m, abandoned.size(), target);
    if (target != null) {
      table.manageSnapshots().rollbackTo(target).commit();
    } else {
      // The table's first commits were the abandoned ones: it goes back to holding nothing.
      table.newDelete().deleteFromRowFilter(org.apache.iceberg.expressions.Expressions.alwaysTrue())
          .set(PIPELINE, pipelineId).set(ROLLED_BACK, Long.toString(m)).commit();
    }
    if (target != null) {
      try {
        org.apache.iceberg.ExpireSnapshots expire = table.expireSnapshots();
        abandoned.forEach(expire::expireSnapshotId);
        expire.commit();
      } catch (RuntimeException e) {
        LOG.warn("pipeline={} table={}: could not expire the rolled-back snapshots: {}", pipelineId, table.name(),
            e.toString());
      }
    }
  }

  private Checkpoint readCheckpoint(Table t, String file) {
    try (InputStream in = t.io().newInputFile(file).newStream()) {
      return CheckpointJson.read(in.readAllBytes(), pipelineId, "Iceberg checkpoint file " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("reading checkpoint file " + file, e);
    }
  }

  private List<TableIdentifier> listTables() {
    List<Namespace> namespaces = new ArrayList<>();
    if (config.namespace() != null) {
      namespaces.add(Namespace.of(config.namespace()));
    } else if (catalog instanceof SupportsNamespaces ns) {
      namespaces.addAll(ns.listNamespaces());
    }
    List<TableIdentifier> out = new ArrayList<>();
    for (Namespace ns : namespaces) {
      try {
        out.addAll(catalog.listTables(ns));
      } catch (org.apache.iceberg.exceptions.NoSuchNamespaceException e) {
        // not made yet
      }
    }
    return out;
  }

  void deleteQuietly(List<String> paths) {
    if (paths.isEmpty() || home == null && lastFileTable == null) {
      deleteLocal(paths);
      return;
    }
    deleteQuietly(home != null ? home : lastFileTable, paths);
  }

  private void deleteQuietly(Table t, List<String> paths) {
    for (String p : paths) {
      if (p == null) {
        continue;
      }
      try {
        t.io().deleteFile(p);
      } catch (RuntimeException e) {
        LOG.debug("pipeline={} could not delete {}: {}", pipelineId, p, e.toString());
      }
    }
  }

  private static void deleteLocal(List<String> paths) {
    for (String p : paths) {
      if (p == null) {
        continue;
      }
      try {
        java.nio.file.Files.deleteIfExists(p.startsWith("file:") ? java.nio.file.Path.of(java.net.URI.create(
            p.startsWith("file:/") && !p.startsWith("file://") ? "file://" + p.substring(5) : p)) : java.nio.file.Path.of(p));
      } catch (IOException | RuntimeException e) {
        // an orphan file; Iceberg's orphan-file clean-up removes it
      }
    }
  }
}
