package dev.sluice.testsupport;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.sink.Sink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An idempotent in-memory sink for the source modules' tests: the latest row per key, every schema
 * change in order, the first {@value #KEPT_EVENTS} events as they came, and how many snapshot
 * reads and log changes came. A table without a key is kept as a multiset of rows changed by full
 * row, as a keyless target table is: an insert adds a copy, a delete removes one (none when there
 * is none), an update does both.
 */
public final class CollectingSink implements Sink {
  /** How many events {@link #events()} keeps at most, so a large test run stays bounded. */
  public static final int KEPT_EVENTS = 100_000;

  private final Map<TableId, Map<Key, Row>> rows = new HashMap<>();
  private final Map<TableId, Map<Row, Integer>> copies = new HashMap<>();
  private final List<SchemaChangeEvent> schemaChanges = new ArrayList<>();
  private final List<ChangeEvent> events = new ArrayList<>();
  private long reads;
  private long changes;

  @Override
  public synchronized void write(List<ChangeEvent> batch) {
    for (ChangeEvent e : batch) {
      if (events.size() < KEPT_EVENTS) {
        events.add(e);
      }
      if (e.op() == Op.READ) {
        reads++;
      } else {
        changes++;
      }
      if (!e.schema().hasKey()) {
        Map<Row, Integer> c = copies.computeIfAbsent(e.table(), x -> new HashMap<>());
        if (e.before() != null) {
          c.computeIfPresent(e.before(), (r, n) -> n == 1 ? null : n - 1);
        }
        if (e.op() != Op.DELETE) {
          c.merge(e.after(), 1, Integer::sum);
        }
        continue;
      }
      Map<Key, Row> t = rows.computeIfAbsent(e.table(), x -> new TreeMap<>(Key.NATURAL));
      if (e.op() == Op.DELETE) {
        t.remove(e.key());
      } else {
        if (e.op() == Op.UPDATE && e.before() != null) {
          t.remove(e.schema().keyOf(e.before()));
        }
        t.put(e.key(), e.after());
      }
    }
  }

  @Override
  public synchronized void apply(SchemaChangeEvent change) {
    schemaChanges.add(change);
  }

  @Override
  public void flush() {}

  /** A copy of what the sink holds for the table now, in key order. */
  public synchronized Map<Key, Row> rows(TableId table) {
    Map<Key, Row> copy = new TreeMap<>(Key.NATURAL);
    copy.putAll(rows.getOrDefault(table, Map.of()));
    return copy;
  }

  /** A table without a key: each row the sink holds and how many copies of it. */
  public synchronized Map<Row, Integer> copies(TableId table) {
    return Map.copyOf(copies.getOrDefault(table, Map.of()));
  }

  public synchronized List<SchemaChangeEvent> schemaChanges() {
    return List.copyOf(schemaChanges);
  }

  /** The first {@value #KEPT_EVENTS} events written, in order. */
  public synchronized List<ChangeEvent> events() {
    return List.copyOf(events);
  }

  /** How many snapshot reads came. */
  public synchronized long reads() {
    return reads;
  }

  /** How many log changes (inserts, updates, deletes) came. */
  public synchronized long changes() {
    return changes;
  }
}
