package dev.sluice.core.runtime;

import dev.sluice.core.event.TableId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Events per second for each captured table, over the same window as the pipeline's own rate
 * ({@link Throughput}). Only the pipeline thread counts and samples; the rates may be read from any
 * thread. It holds one small counter per table that has had an event, so it grows with the number
 * of tables, never with their rows.
 */
final class TableThroughput {
  private static final long SAMPLE_MILLIS = 1000;

  private final Map<TableId, Counter> tables = new ConcurrentHashMap<>();
  private long nextSample;
  /** The last table counted: events come in runs of one table, so most need no map lookup. */
  private TableId lastTable;
  private Counter last;

  /** Counts one event of {@code table}. */
  void count(TableId table) {
    if (!table.equals(lastTable)) {
      lastTable = table;
      last = tables.computeIfAbsent(table, t -> new Counter());
    }
    last.count++;
  }

  /** Samples every table's count, at most once a second. */
  void sample(long nowMillis) {
    if (nowMillis < nextSample) {
      return;
    }
    nextSample = nowMillis + SAMPLE_MILLIS;
    tables.values().forEach(c -> c.rate.sample(nowMillis, c.count));
  }

  /** Each counted table's events per second at {@code nowMillis}. */
  Map<TableId, Double> perSecond(long nowMillis) {
    Map<TableId, Double> out = new HashMap<>();
    tables.forEach((table, c) -> out.put(table, c.rate.perSecond(nowMillis, c.count)));
    return out;
  }

  private static final class Counter {
    /** Written by the pipeline thread alone. */
    volatile long count;
    final Throughput rate = new Throughput();
  }
}
