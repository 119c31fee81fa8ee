package dev.sluice.core.testing;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.sink.Sink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A sink that keeps rows in memory and checks the delivery promise as they arrive. Rows carry a
 * version column (the sequence number of the write that produced them); for a delete the event's
 * position is its version. In {@link #transactional} mode, writes are staged and become visible
 * only together with a checkpoint, like a database transaction; {@link #crash()} drops what is
 * staged. Every key's versions must then strictly increase: an event applied twice, or a row going
 * back to an older version, is recorded as a violation.
 */
public final class MemorySink implements Sink {
  private final boolean transactional;
  private final int versionColumn;
  private final Map<TableId, Map<Key, Row>> rows = new HashMap<>();
  private final Map<TableId, Map<Key, Long>> versions = new HashMap<>();
  private final List<ChangeEvent> staged = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final Map<Key, List<String>> history = new HashMap<>();
  private Checkpoint checkpoint;
  private long applied;

  public MemorySink(boolean transactional, int versionColumn) {
    this.transactional = transactional;
    this.versionColumn = versionColumn;
  }

  @Override
  public synchronized void write(List<ChangeEvent> events) {
    if (transactional) {
      staged.addAll(events);
    } else {
      events.forEach(this::applyOne);
    }
  }

  private void applyOne(ChangeEvent e) {
    applied++;
    Map<Key, Row> table = rows.computeIfAbsent(e.table(), t -> new TreeMap<>(Key.NATURAL));
    Key key = e.key();
    long version = e.op() == Op.DELETE
        ? ((MemoryPosition) e.position()).seq()
        : (Long) e.after().get(versionColumn);
    Map<Key, Long> seen = versions.computeIfAbsent(e.table(), t -> new HashMap<>());
    history.computeIfAbsent(key, k -> new ArrayList<>()).add(e.op() + "@" + version);
    Long last = seen.put(key, version);
    if (last != null && version <= last) {
      violations.add(e.table() + " key " + key + ": " + e.op() + " version " + version + " after " + last);
    }
    if (e.op() == Op.DELETE) {
      table.remove(key);
    } else {
      if (e.op() == Op.UPDATE && e.before() != null) {
        Key old = e.schema().keyOf(e.before());
        if (!old.equals(key)) {
          table.remove(old);
        }
      }
      table.put(key, e.after());
    }
  }

  @Override
  public void flush() {}

  @Override
  public Optional<CheckpointStore> atomicCheckpoints() {
    if (!transactional) {
      return Optional.empty();
    }
    return Optional.of(new CheckpointStore() {
      @Override
      public Optional<Checkpoint> load() {
        synchronized (MemorySink.this) {
          return Optional.ofNullable(checkpoint);
        }
      }

      @Override
      public void save(Checkpoint cp) {
        synchronized (MemorySink.this) {
          staged.forEach(MemorySink.this::applyOne);
          staged.clear();
          checkpoint = cp;
        }
      }
    });
  }

  /** What a crash does to a transactional sink: the open transaction is rolled back. */
  public synchronized void crash() {
    staged.clear();
  }

  public synchronized Map<Key, Row> rows(TableId table) {
    Map<Key, Row> copy = new TreeMap<>(Key.NATURAL);
    copy.putAll(rows.getOrDefault(table, Map.of()));
    return copy;
  }

  public synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /** Every change applied to {@code key} (any table), for failure messages. */
  public synchronized List<String> history(Key key) {
    return List.copyOf(history.getOrDefault(key, List.of()));
  }

  public synchronized long applied() {
    return applied;
  }
}
