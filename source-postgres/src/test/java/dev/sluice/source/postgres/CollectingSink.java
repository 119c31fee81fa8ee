package dev.sluice.source.postgres;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.sink.Sink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An idempotent in-memory sink: the latest row per key, and how many snapshot reads and log changes came. */
final class CollectingSink implements Sink {
  private final Map<TableId, Map<Key, Row>> rows = new HashMap<>();
  private long reads;
  private long changes;

  @Override
  public synchronized void write(List<ChangeEvent> batch) {
    for (ChangeEvent e : batch) {
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
  public void apply(SchemaChangeEvent change) {}

  @Override
  public void flush() {}

  synchronized Map<Key, Row> rows(TableId table) {
    Map<Key, Row> copy = new TreeMap<>(Key.NATURAL);
    copy.putAll(rows.getOrDefault(table, Map.of()));
    return copy;
  }

  synchronized long reads() {
    return reads;
  }

  synchronized long changes() {
    return changes;
  }
}
