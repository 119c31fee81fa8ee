package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * With {@code SLUICE_BENCH_THREADS} set, writes the CPU seconds of every thread of this JVM since
 * it started (from {@code /proc/self/task/* /stat}) to standard error, threads of one kind summed
 * (digits in names dropped): the JIT compilers and the collector's workers, which no Java profile
 * samples, beside the Java threads.
 */
final class ThreadCpu {
  /** Linux's USER_HZ, the unit of the stat file's CPU times. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ThreadCpu() {}

  static void report() {
    report("at exit");
  }

  /** Batching figures of every Kafka producer of this JVM, from its JMX metrics. */
  static void producerMetrics() {
    if (System.getenv("SLUICE_BENCH_THREADS") == null) {
      return;
    }
    try {
      javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
      for (javax.management.ObjectName n : server.queryNames(
          new javax.management.ObjectName("kafka.producer:type=producer-metrics,*"), null)) {
        StringBuilder b = new StringBuilder("PRODUCER " + n.getKeyProperty("client-id"));
        for (String a : new String[] {"record-send-total", "request-total", "records-per-request-avg",
            "batch-size-avg", "record-size-avg", "request-latency-avg", "bufferpool-wait-time-ns-total"}) {
          b.append(' ').append(a).append('=').append(server.getAttribute(n, a));
        }
        System.err.println(b);
      }
    } catch (Exception e) {
      System.err.println("PRODUCER metrics unavailable: " + e);
    }
  }

  /** The report, headed by {@code when}: threads that have ended are no longer listed. */
  static void report(String when) {
    if (System.getenv("SLUICE_BENCH_THREADS") == null) {
      return;
    }
    System.err.println("THREADS " + when);
    Map<String, double[]> byKind = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended meanwhile
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "N");
        String[] f = stat.substring(close + 2).split(" ");
        // after the name: state is field 3, utime 14 and stime 15 of the whole line
        double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        double[] sum = byKind.computeIfAbsent(name, k -> new double[2]);
        sum[0] += cpu;
        sum[1]++;
      }
    } catch (IOException e) {
      System.err.println("THREADS unavailable: " + e);
      return;
    }
    byKind.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(e -> System.err.printf(java.util.Locale.ROOT, "THREADS %7.2f s %3d× %s%n", e.getValue()[0],
            (int) e.getValue()[1], e.getKey()));
  }
}
