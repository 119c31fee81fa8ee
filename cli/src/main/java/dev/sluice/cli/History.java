package dev.sluice.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last minutes of one pipeline's throughput and lag, one point per sample, in a ring of fixed
 * size: what the status page draws. The throughput is the pipeline's own events-per-second figure
 * ({@link dev.sluice.core.runtime.PipelineStatus#eventsPerSecond()}). A pipeline that is not running
 * records no rate and no lag.
 */
final class History {
  /** Five minutes at one sample a second. */
  static final int CAPACITY = 300;

  private final long[] time = new long[CAPACITY];
  private final double[] rate = new double[CAPACITY];
  private final long[] lag = new long[CAPACITY];
  private int next;
  private int size;

  /**
   * One sample.
   *
   * @param eventsPerSecond the running pipeline's rate, or -1 when it is not running
   * @param lagMillis the running pipeline's lag, -1 when unknown
   */
  synchronized void record(long nowMillis, double eventsPerSecond, long lagMillis) {
    time[next] = nowMillis;
    rate[next] = eventsPerSecond < 0 ? -1 : eventsPerSecond;
    lag[next] = eventsPerSecond < 0 ? -1 : lagMillis;
    next = (next + 1) % CAPACITY;
    size = Math.min(size + 1, CAPACITY);
  }

  /** Every point, oldest first: time, rows per second and lag (both null while not running). */
  synchronized List<Map<String, Object>> points() {
    List<Map<String, Object>> out = new ArrayList<>(size);
    for (int i = size; i >= 1; i--) {
      int at = (next - i + CAPACITY) % CAPACITY;
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("time", Instant.ofEpochMilli(time[at]).toString());
      p.put("rowsPerSecond", rate[at] < 0 ? null : Math.round(rate[at] * 10) / 10.0);
      p.put("lagMillis", lag[at] < 0 ? null : lag[at]);
      out.add(p);
    }
    return out;
  }
}
