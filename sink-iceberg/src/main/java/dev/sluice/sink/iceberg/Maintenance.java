package dev.sluice.sink.iceberg;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Housekeeping after commits, off unless configured: expiring snapshots older than
 * {@code maintenance.expire-snapshots.older-than} (at most once per table per tenth of that age, and
 * always keeping the snapshots down to the sink's newest checkpoint commit), and compacting small
 * data files every {@code maintenance.compact.interval} ({@link Compaction}).
 */
final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

  private final IcebergSinkConfig config;
  private final String pipelineId;
  private final Map<String, Long> lastExpire = new HashMap<>();
  private final Map<String, Long> lastCompact = new HashMap<>();

  Maintenance(IcebergSinkConfig config, String pipelineId) {
    this.config = config;
    this.pipelineId = pipelineId;
  }

  /** Runs what is due on the tables just committed; a failure is logged, never fatal. */
  void afterCommit(List<Table> tables) {
    long now = System.currentTimeMillis();
    for (Table t : tables) {
      Duration age = config.expireSnapshotsOlderThan();
      if (age != null && due(lastExpire, t.name(), now, Math.max(1, age.toMillis() / 10))) {
        try {
          t.expireSnapshots().expireOlderThan(now - age.toMillis()).retainLast(keep(t)).commit();
        } catch (RuntimeException e) {
          LOG.warn("pipeline={} table={}: expiring snapshots failed: {}", pipelineId, t.name(), e.toString());
        }
      }
      Duration every = config.compactInterval();
      if (every != null && due(lastCompact, t.name(), now, every.toMillis())) {
        try {
          new Compaction(t, config.targetFileSize(), pipelineId).run();
        } catch (RuntimeException e) {
          LOG.warn("pipeline={} table={}: compaction failed: {}", pipelineId, t.name(), e.toString());
        }
      }
    }
  }

  /**
   * Snapshots to keep whatever their age: down from the current one to this pipeline's newest
   * final commit, which holds the checkpoint a restart reads.
   */
  private int keep(Table t) {
    int n = 0;
    org.apache.iceberg.Snapshot s = t.currentSnapshot();
    while (s != null) {
      n++;
      if (pipelineId.equals(s.summary().get(Commits.PIPELINE)) && s.summary().get(Commits.CHECKPOINT) != null) {
        return n;
      }
      s = s.parentId() == null ? null : t.snapshot(s.parentId());
    }
    return Math.max(1, n);
  }

  private static boolean due(Map<String, Long> last, String table, long now, long every) {
    Long prev = last.get(table);
    if (prev == null) {
      last.put(table, now); // the first run comes one interval after the sink starts
      return false;
    }
    if (now - prev >= every) {
      last.put(table, now);
      return true;
    }
    return false;
  }
}
