package dev.sluice.core.runtime;

/**
 * Events written per second over the last few seconds: the pipeline thread samples its count at
 * most once a second into a small ring, and the rate is the count now minus the oldest sample's,
 * over the time between. A burst therefore fades out within the window, and an idle pipeline shows
 * 0 once its last write has left it. Fixed size; safe to read from any thread.
 */
final class Throughput {
  private static final long SAMPLE_MILLIS = 1000;
  /** Samples kept: a window of five to six seconds. */
  private static final int SAMPLES = 6;

  private final long[] times = new long[SAMPLES];
  private final long[] counts = new long[SAMPLES];
  private int next;
  private int size;

  /** Records {@code count} at {@code nowMillis} unless the last sample is less than a second old. */
  synchronized void sample(long nowMillis, long count) {
    if (size > 0 && nowMillis - times[(next - 1 + SAMPLES) % SAMPLES] < SAMPLE_MILLIS) {
      return;
    }
    times[next] = nowMillis;
    counts[next] = count;
    next = (next + 1) % SAMPLES;
    size = Math.min(size + 1, SAMPLES);
  }

  /** Events per second from the oldest sample to {@code count} at {@code nowMillis}; 0 before a second of data. */
  synchronized double perSecond(long nowMillis, long count) {
    if (size == 0) {
      return 0;
    }
    int oldest = (next - size + SAMPLES) % SAMPLES;
    long elapsed = nowMillis - times[oldest];
    return elapsed < SAMPLE_MILLIS ? 0 : Math.max(0, count - counts[oldest]) * 1000.0 / elapsed;
  }
}
