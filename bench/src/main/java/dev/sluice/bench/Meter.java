package dev.sluice.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one runner measures: wall time from its start to the last row, time to the first row, CPU
 * of this JVM and of mysqld over that time, this process's peak RSS and the heap pools' peaks.
 */
final class Meter {
  /** Linux's USER_HZ, the unit of /proc/PID/stat's CPU times; 100 on every common kernel. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final long serverPid;
  private long start;
  private final AtomicLong first = new AtomicLong();
  private volatile long end;
  private long cpuStart;
  private double dbCpuStart;
  private double jvmCpu = Double.NaN;
  private double dbCpu = Double.NaN;

  Meter(long serverPid) {
    this.serverPid = serverPid;
  }

  private final Thread sampler = new Thread(this::sampleLiveHeap, "bench-heap-sampler");
  private volatile long liveHeapPeak;
  /**
   * How often the sampler forces a full collection to measure what the runner really holds (0: never);
   * set by the runner argument {@code heldMs}. Each forced collection pauses the runner, so its rate
   * is not comparable with an unforced run's.
   */
  static volatile long heldEveryMillis;
  private volatile long heldHeapPeak = -1;

  void start() {
    sampler.setDaemon(true);
    sampler.start();
    cpuStart = processCpuNanos();
    dbCpuStart = serverCpuSeconds();
    start = System.nanoTime();
  }

  /** Called for every row or event; keeps the first call's time. */
  void row() {
    if (first.get() == 0) {
      first.compareAndSet(0, System.nanoTime());
    }
  }

  void end() {
    end = System.nanoTime();
    jvmCpu = (processCpuNanos() - cpuStart) / 1e9;
    double db = serverCpuSeconds();
    dbCpu = Double.isNaN(db) || Double.isNaN(dbCpuStart) ? Double.NaN : db - dbCpuStart;
  }

  double seconds() {
    return (end - start) / 1e9;
  }

  Map<String, String> result(long rows) {
    Map<String, String> r = new LinkedHashMap<>();
    r.put("rows", Long.toString(rows));
    r.put("seconds", fmt(seconds()));
    r.put("rowsPerSec", fmt(rows / seconds()));
    r.put("jvmCpu", fmt(jvmCpu));
    r.put("dbCpu", fmt(dbCpu));
    r.put("rssMb", fmt(peakRssKb() / 1024.0));
    r.put("heapMb", fmt(peakHeapBytes() / 1048576.0));
    r.put("liveHeapMb", fmt(liveHeapPeak / 1048576.0));
    if (heldHeapPeak >= 0) {
      r.put("heldHeapMb", fmt(heldHeapPeak / 1048576.0));
    }
    r.put("firstRowMs", fmt(first.get() == 0 ? Double.NaN : (first.get() - start) / 1e6));
    return r;
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "NaN" : String.format(java.util.Locale.ROOT, "%.3f", v);
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private double serverCpuSeconds() {
    if (serverPid < 0) {
      return Double.NaN;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
      // Fields after the command name, which is in parentheses and may hold spaces: state is the
      // first, utime the 12th and stime the 13th (fields 14 and 15 of the whole line).
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * The heap in use right after a collection (what survives: the data the runner holds), sampled
   * every 50 ms; its maximum is the live-heap peak, which unlike the pools' peaks does not follow
   * how large the collector lets the young generation grow. It still counts old-generation garbage that
   * G1 has not yet collected (rows promoted while they waited, dead since): G1 frees old regions only
   * in the mixed collections after a concurrent marking. With {@link #heldEveryMillis} set, the
   * sampler also forces a full collection that often and keeps the largest heap left after it: the
   * held heap, what is truly reachable.
   */
  private void sampleLiveHeap() {
    long nextForced = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(heldEveryMillis);
    java.util.Set<String> heapPools = new java.util.HashSet<>();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        heapPools.add(p.getName());
      }
    }
    while (true) {
      for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof com.sun.management.GarbageCollectorMXBean g && g.getLastGcInfo() != null) {
          long sum = 0;
          for (Map.Entry<String, java.lang.management.MemoryUsage> e : g.getLastGcInfo().getMemoryUsageAfterGc()
              .entrySet()) {
            if (heapPools.contains(e.getKey())) {
              sum += e.getValue().getUsed();
            }
          }
          liveHeapPeak = Math.max(liveHeapPeak, sum);
        }
      }
      if (heldEveryMillis > 0 && end == 0 && System.nanoTime() >= nextForced) {
        System.gc();
        heldHeapPeak = Math.max(heldHeapPeak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        nextForced = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(heldEveryMillis);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** VmHWM of this process: the peak resident set, in KiB. */
  static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // reported as -1
    }
    return -1;
  }

  /** The sum of every heap pool's peak use (each pool's own peak; an upper bound of the true peak). */
  static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
