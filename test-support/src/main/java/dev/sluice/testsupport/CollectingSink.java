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
 * reads and log changes came.
 */
public final class CollectingSink implements Sink {
  /** How many events {@link #events()} keeps at most, so a large test run stays bounded. */
  public static final int KEPT_EVENTS = 100_000;

  private final Map<TableId, Map<Key, Row>> rows = new HashMap<>();
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
      Map<Key, Row> t = rows.computeIfAbsent(e.table(), x -> new TreeMap<>(Key.NATURAL));
      if (e.op() == Op.READ) {
        reads++;
      } else {
        changes++;
      }
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
