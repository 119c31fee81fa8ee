package dev.sluice.source.mongodb;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.sink.Sink;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/** An idempotent in-memory sink keyed by {@code _id}: what a keyed Kafka topic or an upserting table ends up holding. */
final class CollectingSink implements Sink {
  private final Map<TableId, Map<Key, Row>> rows = new HashMap<>();
  private final Set<String> transactions = new HashSet<>();
  private long written;
  private volatile long pauseMillisPerWrite;

  /** Makes every write take at least this long, so a test can act while a phase is still under way. */
  void slowDown(long millisPerWrite) {
    pauseMillisPerWrite = millisPerWrite;
  }

  @Override
  public void write(List<ChangeEvent> events) {
    long pause = pauseMillisPerWrite;
    if (pause > 0) {
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    record(events);
  }

  private synchronized void record(List<ChangeEvent> events) {
    for (ChangeEvent e : events) {
      written++;
      if (e.transactionId() != null) {
        transactions.add(e.transactionId());
      }
      Map<Key, Row> table = rows.computeIfAbsent(e.table(), t -> new HashMap<>());
      if (e.op() == Op.DELETE) {
        table.remove(e.key());
      } else {
        table.put(e.key(), e.after());
      }
    }
  }

  @Override
  public synchronized void apply(SchemaChangeEvent change) {
    if (change.kind() == SchemaChangeEvent.Kind.DROP_TABLE) {
      rows.remove(change.table());
    }
  }

  @Override
  public void flush() {}

  synchronized Map<Key, Row> rows(TableId table) {
    return new HashMap<>(rows.getOrDefault(table, Map.of()));
  }

  synchronized Set<String> transactions() {
    return Set.copyOf(transactions);
  }

  synchronized long written() {
    return written;
  }
}
