package dev.sluice.core.testing;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * A simulated database for engine tests: tables and an ordered change log. A table without a key
 * is stored by its first column, which writers keep unique, but nothing tells the engine so. Like a
 * real server it writes a change to its log before the change becomes visible to new reads, and
 * makes changes visible in log order; {@link #publish()} is the moment of visibility. The status
 * query ({@link #logEnd()}) therefore runs ahead of what a read sees, the commit-order caveat,
 * while {@link #visibleUpTo()} is the horizon at or before which everything is visible.
 */
public final class MemoryDatabase {
  private final Map<TableId, TableSchema> schemas = new LinkedHashMap<>();
  /** What reads see. */
  private final Map<TableId, TreeMap<Key, Row>> visible = new HashMap<>();
  /** The state including logged changes not yet visible: what writers build on. */
  private final Map<TableId, TreeMap<Key, Row>> latest = new HashMap<>();
  private final List<ChangeEvent> log = new ArrayList<>();
  private long visibleUpTo;

  public synchronized void createTable(TableSchema schema) {
    schemas.put(schema.id(), schema);
    visible.put(schema.id(), new TreeMap<>(Key.NATURAL));
    latest.put(schema.id(), new TreeMap<>(Key.NATURAL));
  }

  public synchronized List<TableSchema> schemas() {
    return List.copyOf(schemas.values());
  }

  public synchronized TableSchema schema(TableId id) {
    return schemas.get(id);
  }

  /**
   * Logs a change of {@code key} computed from its latest row ({@code null} when absent) and the new
   * entry's sequence number; the change returns the new row, or {@code null} to delete. Returns the
   * sequence number, or -1 when the change was a no-op (deleting an absent row).
   */
  public synchronized long write(TableId table, Key key, BiFunction<Row, Long, Row> change) {
    TableSchema schema = schemas.get(table);
    TreeMap<Key, Row> rows = latest.get(table);
    Row before = rows.get(key);
    long seq = log.size() + 1;
    Row after = change.apply(before, seq);
    if (before == null && after == null) {
      return -1;
    }
    Op op = before == null ? Op.INSERT : after == null ? Op.DELETE : Op.UPDATE;
    if (after == null) {
      rows.remove(key);
    } else {
      rows.put(storageKey(schema, after), after);
      if (before != null && !storageKey(schema, after).equals(key)) {
        rows.remove(key);
      }
    }
    log.add(new ChangeEvent(schema, op, before, after, new MemoryPosition(seq), Instant.now(), "tx" + seq));
    notifyAll();
    return seq;
  }

  /** Makes every logged change visible to new reads, in log order. */
  public synchronized void publish() {
    while (visibleUpTo < log.size()) {
      ChangeEvent e = log.get((int) visibleUpTo);
      TreeMap<Key, Row> rows = visible.get(e.table());
      if (e.before() != null) {
        rows.remove(storageKey(e.schema(), e.before()));
      }
      if (e.after() != null) {
        rows.put(storageKey(e.schema(), e.after()), e.after());
      }
      visibleUpTo++;
    }
  }

  public synchronized long visibleUpTo() {
    return visibleUpTo;
  }

  public synchronized long logEnd() {
    return log.size();
  }

  /** A consistent copy of the visible rows in {@code range}, in key order. */
  public synchronized List<Row> read(TableId table, KeyRange range) {
    NavigableMap<Key, Row> rows = visible.get(table);
    if (range.lo() != null && range.hi() != null && Key.NATURAL.compare(range.lo(), range.hi()) >= 0) {
      return List.of(); // (k, k] holds nothing
    }
    if (range.lo() != null) {
      rows = rows.tailMap(range.lo(), false);
    }
    if (range.hi() != null) {
      rows = rows.headMap(range.hi(), true);
    }
    return new ArrayList<>(rows.values());
  }

  public synchronized NavigableMap<Key, Row> visibleRows(TableId table) {
    return new TreeMap<>(visible.get(table));
  }

  /** The true current state, including changes not yet visible. */
  public synchronized Map<Key, Row> latestRows(TableId table) {
    return new TreeMap<>(latest.get(table));
  }

  public synchronized Key randomExistingKey(TableId table, Key probe) {
    TreeMap<Key, Row> rows = latest.get(table);
    if (rows.isEmpty()) {
      return null;
    }
    Key k = rows.ceilingKey(probe);
    return k != null ? k : rows.firstKey();
  }

  public synchronized Key lastKey(TableId table) {
    TreeMap<Key, Row> rows = latest.get(table);
    return rows.isEmpty() ? null : rows.lastKey();
  }

  /** Log entries after {@code after}, at most {@code max}; waits up to {@code millis} for one. */
  public synchronized List<ChangeEvent> logAfter(long after, int max, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (log.size() <= after) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return List.of();
      }
      wait(left);
    }
    int from = (int) after;
    int to = (int) Math.min(log.size(), after + max);
    return new ArrayList<>(log.subList(from, to));
  }

  /** Every logged change of {@code key}, for failure messages. */
  public synchronized List<String> history(TableId table, Key key) {
    List<String> out = new ArrayList<>();
    for (ChangeEvent e : log) {
      if (e.table().equals(table) && (e.before() != null && storageKey(e.schema(), e.before()).equals(key)
          || e.after() != null && storageKey(e.schema(), e.after()).equals(key))) {
        out.add(e.op() + "@" + e.position().encode());
      }
    }
    return out;
  }

  /** Every row value the table has held, its first rows included: what a sink may ever show. */
  public synchronized Set<Row> everHeld(TableId table) {
    Set<Row> out = new HashSet<>();
    for (ChangeEvent e : log) {
      if (e.table().equals(table) && e.after() != null) {
        out.add(e.after());
      }
    }
    return out;
  }

  /** A row's key, or for a table without one its first column, under which it is stored here. */
  static Key storageKey(TableSchema schema, Row row) {
    return schema.hasKey() ? schema.keyOf(row) : Key.of(row.get(0));
  }
}
