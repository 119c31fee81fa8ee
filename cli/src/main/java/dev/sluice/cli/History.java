package dev.sluice.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last minutes of one pipeline's throughput and lag, one point per sample, in a ring of fixed
 * size: what the status page draws. A pipeline that is not running records no rate and no lag.
 */
final class History {
  /** Five minutes at one sample a second. */
  static final int CAPACITY = 300;
  /** Points averaged for the current rate, so one slow batch does not read as a stall. */
  private static final int RATE_WINDOW = 5;

  private final long[] time = new long[CAPACITY];
  private final double[] rate = new double[CAPACITY];
  private final long[] lag = new long[CAPACITY];
  private int next;
  private int size;
  private long lastEvents = -1;
  private long lastTime;

  /**
   * One sample.
   *
   * @param eventsWritten the running pipeline's count, or -1 when it is not running
   * @param lagMillis the running pipeline's lag, -1 when unknown
   */
  synchronized void record(long nowMillis, long eventsWritten, long lagMillis) {
    double r = -1;
    if (eventsWritten >= 0 && lastEvents >= 0 && nowMillis > lastTime) {
      // A restarted pipeline counts from zero again: a drop is a new start, not a negative rate.
      r = Math.max(0, eventsWritten - lastEvents) * 1000.0 / (nowMillis - lastTime);
    } else if (eventsWritten >= 0) {
      r = 0;
    }
    lastEvents = eventsWritten;
    lastTime = nowMillis;
    time[next] = nowMillis;
    rate[next] = eventsWritten < 0 ? -1 : r;
    lag[next] = eventsWritten < 0 ? -1 : lagMillis;
    next = (next + 1) % CAPACITY;
    size = Math.min(size + 1, CAPACITY);
  }

  /** Events written per second over the last few samples; 0 before any. */
  synchronized double rowsPerSecond() {
    double sum = 0;
    int n = 0;
    for (int i = 1; i <= Math.min(RATE_WINDOW, size); i++) {
      double r = rate[(next - i + CAPACITY) % CAPACITY];
      if (r >= 0) {
        sum += r;
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
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
