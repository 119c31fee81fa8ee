package dev.sluice.source.mysql;

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

/** An idempotent in-memory sink: the latest row per key, and every schema change in order. */
final class CollectingSink implements Sink {
  private final Map<TableId, Map<Key, Row>> rows = new HashMap<>();
  private final List<SchemaChangeEvent> schemaChanges = new ArrayList<>();
  private final List<ChangeEvent> events = new ArrayList<>();
  private long reads;

  @Override
  public synchronized void write(List<ChangeEvent> batch) {
    for (ChangeEvent e : batch) {
      if (events.size() < 100_000) {
        events.add(e);
      }
      Map<Key, Row> t = rows.computeIfAbsent(e.table(), x -> new TreeMap<>(Key.NATURAL));
      if (e.op() == Op.READ) {
        reads++;
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

  synchronized Map<Key, Row> rows(TableId table) {
    Map<Key, Row> copy = new TreeMap<>(Key.NATURAL);
    copy.putAll(rows.getOrDefault(table, Map.of()));
    return copy;
  }

  synchronized List<SchemaChangeEvent> schemaChanges() {
    return List.copyOf(schemaChanges);
  }

  synchronized List<ChangeEvent> events() {
    return List.copyOf(events);
  }

  synchronized long reads() {
    return reads;
  }
}
