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
 * position is its version. Writes are held back until they are durable, and {@link #crash()} drops
 * what is not: in {@link #transactional} mode until a checkpoint commits them, like a database
 * transaction; otherwise until {@link #flush()}, like a sink that buffers (the harshest case for
 * at-least-once, so a checkpoint saved before its data was flushed loses that data in a crash test).
 * {@link #rows} shows the durable rows. A key's version that does not increase (an event applied
 * twice, or a row going back to an older version) is recorded as a violation, which exactly-once
 * tests assert never happens. A table without a key is kept as a multiset of rows, changed by full
 * row as a keyless target table would be: an insert adds a copy, a delete removes one copy of its
 * row (none when there is none), an update does both.
 */
public final class MemorySink implements Sink {
  private final boolean transactional;
  private final int versionColumn;
  private final Map<TableId, Map<Key, Row>> rows = new HashMap<>();
  private final Map<TableId, Map<Key, Long>> versions = new HashMap<>();
  private final Map<TableId, Map<Row, Integer>> keyless = new HashMap<>();
  /** Written but not yet durable: committed by a checkpoint (transactional) or by {@link #flush()}. */
  private final List<ChangeEvent> unflushed = new ArrayList<>();
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
    unflushed.addAll(events);
  }

  private void applyUnflushed() {
    unflushed.forEach(this::applyOne);
    unflushed.clear();
  }

  private void applyOne(ChangeEvent e) {
    applied++;
    if (!e.schema().hasKey()) {
      Map<Row, Integer> copies = keyless.computeIfAbsent(e.table(), t -> new HashMap<>());
      if (e.before() != null) {
        copies.computeIfPresent(e.before(), (r, n) -> n == 1 ? null : n - 1);
      }
      if (e.op() != Op.DELETE) {
        copies.merge(e.after(), 1, Integer::sum);
      }
      return;
    }
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
    applyTo(rows.computeIfAbsent(e.table(), t -> new TreeMap<>(Key.NATURAL)), e);
  }

  private static void applyTo(Map<Key, Row> table, ChangeEvent e) {
    if (e.op() == Op.DELETE) {
      table.remove(e.key());
    } else {
      if (e.op() == Op.UPDATE && e.before() != null) {
        Key old = e.schema().keyOf(e.before());
        if (!old.equals(e.key())) {
          table.remove(old);
        }
      }
      table.put(e.key(), e.after());
    }
  }

  /** Makes what was written durable, unless transactional: then only a checkpoint does. */
  @Override
  public synchronized void flush() {
    if (!transactional) {
      applyUnflushed();
    }
  }

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
          applyUnflushed();
          checkpoint = cp;
        }
      }
    });
  }

  /**
   * What a crash does: a transactional sink rolls its open transaction back, any other loses what it
   * had not flushed.
   */
  public synchronized void crash() {
    unflushed.clear();
  }

  /** The durable rows of {@code table}. */
  public synchronized Map<Key, Row> rows(TableId table) {
    Map<Key, Row> copy = new TreeMap<>(Key.NATURAL);
    copy.putAll(rows.getOrDefault(table, Map.of()));
    return copy;
  }

  /** The rows of {@code table} as written so far, durable or not. */
  public synchronized Map<Key, Row> rowsWritten(TableId table) {
    Map<Key, Row> copy = rows(table);
    unflushed.stream().filter(e -> e.table().equals(table)).forEach(e -> applyTo(copy, e));
    return copy;
  }

  /** A table without a key: each durable row and its number of copies. */
  public synchronized Map<Row, Integer> copies(TableId table) {
    return Map.copyOf(keyless.getOrDefault(table, Map.of()));
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
