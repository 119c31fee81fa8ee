package dev.sluice.bench;

import dev.sluice.bench.Bench.Result;
import dev.sluice.bench.Bench.Sizes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Medians per workload and runner, their ratios, the targets, as Markdown. */
final class Report {
  static final String BEGIN = "<!-- bench results: written by scripts/bench.sh -->";
  static final String END = "<!-- end of bench results -->";

  private final Map<String, Map<String, List<Result>>> byWorkload = new LinkedHashMap<>();
  private final Sizes sizes;
  private final int rounds;
  private final String xmx;
  private final String started;
  private final String loadBefore;
  private final String loadAfter;
  private final String command;
  private final String serverVersion;

  Report(List<Result> results, Sizes sizes, int rounds, String xmx, String started, String loadBefore,
      String loadAfter, String command, String serverVersion) {
    for (Result r : results) {
      byWorkload.computeIfAbsent(r.workload(), w -> new LinkedHashMap<>())
          .computeIfAbsent(r.runner(), x -> new ArrayList<>()).add(r);
    }
    this.sizes = sizes;
    this.rounds = rounds;
    this.xmx = xmx;
    this.started = started;
    this.loadBefore = loadBefore;
    this.loadAfter = loadAfter;
    this.command = command;
    this.serverVersion = serverVersion;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The median of one value over a runner's rounds. */
  double median(String workload, String runner, String key) {
    List<Result> rs = byWorkload.getOrDefault(workload, Map.of()).get(runner);
    if (rs == null) {
      return Double.NaN;
    }
    double[] v = rs.stream().mapToDouble(r -> r.get(key)).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  Map<String, Map<String, List<Result>>> workloads() {
    return byWorkload;
  }

  private static String n(double v, String pattern) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, pattern, v);
  }

  /** The baseline a Sluice runner is divided by: the JDBC floor at its parallelism, or the hand-written code. */
  private String floorOf(String workload, String runner) {
    if (!runner.startsWith("Sluice")) {
      return null;
    }
    Map<String, List<Result>> runners = byWorkload.getOrDefault(workload, Map.of());
    String floor = "JDBC floor " + runner.substring(Math.min(runner.length(), "Sluice ".length()));
    if (runners.containsKey(floor)) {
      return floor;
    }
    return runners.keySet().stream().filter(r -> r.startsWith("hand-written")).findFirst().orElse(null);
  }

  /** Debezium's rate for a workload: its own runner, or for the end-to-end ones its snapshot of the narrow table. */
  private double debeziumRate(String workload) {
    double own = median(workload, "Debezium", "rowsPerSec");
    return Double.isNaN(own) && workload.startsWith("into ") ? median("snapshot narrow", "Debezium", "rowsPerSec") : own;
  }

  String table() {
    StringBuilder b = new StringBuilder();
    b.append("| workload | runner | rows/s | × floor | × Debezium | JVM CPU s | DB CPU s | peak RSS MB | RSS ÷ Debezium "
        + "| peak heap MB | live heap MB | held heap MB | first row ms | max chunk rows |\n");
    b.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    List<String> latency = new ArrayList<>();
    for (var w : byWorkload.entrySet()) {
      String wl = w.getKey();
      for (String runner : w.getValue().keySet()) {
        if (wl.startsWith("latency")) {
          latency.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |", wl, runner,
              n(median(wl, runner, "p50Ms"), "%.1f"), n(median(wl, runner, "p99Ms"), "%.1f"),
              n(median(wl, runner, "maxMs"), "%.1f"), n(median(wl, runner, "jvmCpu"), "%.1f")));
          continue;
        }
        double rate = median(wl, runner, "rowsPerSec");
        String floor = floorOf(wl, runner);
        double vsFloor = floor == null ? Double.NaN : rate / median(wl, floor, "rowsPerSec");
        boolean dbz = runner.equals("Debezium");
        double vsDbz = dbz || !runner.startsWith("Sluice") && wl.startsWith("into ") ? Double.NaN
            : rate / debeziumRate(wl);
        double rss = median(wl, runner, "rssMb");
        double rssVsDbz = dbz ? Double.NaN : rss / median(wl, "Debezium", "rssMb");
        b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", wl,
            runner, n(rate, "%,.0f"), n(vsFloor, "%.2f"), n(vsDbz, "%.2f"), n(median(wl, runner, "jvmCpu"), "%.1f"),
            n(median(wl, runner, "dbCpu"), "%.1f"), n(rss, "%.0f"), n(rssVsDbz, "%.2f"),
            n(median(wl, runner, "heapMb"), "%.0f"), n(median(wl, runner, "liveHeapMb"), "%.0f"),
            n(median(wl, runner, "heldHeapMb"), "%.0f"), n(median(wl, runner, "firstRowMs"), "%.0f"), n(median(wl, runner, "maxChunkRows"), "%.0f")));
      }
    }
    if (!latency.isEmpty()) {
      b.append("\n| workload | runner | p50 ms | p99 ms | max ms | JVM CPU s |\n|---|---|--:|--:|--:|--:|\n");
      latency.forEach(l -> b.append(l).append('\n'));
    }
    b.append('\n').append(targets());
    return b.toString();
  }

  /** Each target of the issue with the measured value and whether it is met. */
  String targets() {
    List<String> lines = new ArrayList<>();
    String snap = "snapshot narrow";
    if (byWorkload.containsKey(snap)) {
      for (int p : new int[] {1, 2, 4}) {
        double r = median(snap, "Sluice p" + p, "rowsPerSec") / median(snap, "JDBC floor p" + p, "rowsPerSec");
        lines.add(check("snapshot: Sluice p" + p + " ≥ 0.50 × JDBC floor p" + p, r, "%.3f ×", r >= 0.5));
      }
      double best = Math.max(median(snap, "Sluice p1", "rowsPerSec"), Math.max(median(snap, "Sluice p2", "rowsPerSec"),
          median(snap, "Sluice p4", "rowsPerSec")));
      double vs = best / median(snap, "Debezium", "rowsPerSec");
      lines.add(check("snapshot: Sluice (best p) ≥ 6 × Debezium", vs, "%.2f ×", vs >= 6));
      double rss = median(snap, "Sluice p4", "rssMb") / median(snap, "Debezium", "rssMb");
      lines.add(check("snapshot: Sluice p4 peak RSS ≤ 0.5 × Debezium's", rss, "%.2f ×", rss <= 0.5));
    }
    for (String w : byWorkload.keySet()) {
      if (w.startsWith("awkward")) {
        double max = median(w, "Sluice p4", "maxChunkRows");
        double chunk = median(w, "Sluice p4", "chunkSize");
        lines.add(check(w + ": no chunk above 2 × " + n(chunk, "%.0f") + " rows", max, "%.0f rows", max <= 2 * chunk));
        if (w.endsWith(" ×10")) {
          String base = w.substring(0, w.length() - " ×10".length());
          // The held heap (after a forced full collection) when measured: the live heap also counts
          // old-generation garbage, which grows with the run's length whatever the runner holds.
          String key = Double.isNaN(median(w, "Sluice p4", "heldHeapMb")) ? "liveHeapMb" : "heldHeapMb";
          double small = median(base, "Sluice p4", key);
          double large = median(w, "Sluice p4", key);
          double grow = large / small;
          lines.add("| " + base + ": " + (key.equals("heldHeapMb") ? "held" : "live") + " heap ×10 ÷ heap ×1 ≤ 1.5 (flat) | "
              + n(small, "%.0f") + " → " + n(large, "%.0f") + " MB: " + n(grow, "%.2f ×") + " | "
              + (Double.isNaN(grow) ? "not measured" : grow <= 1.5 ? "met" : "**missed**") + " |");
        }
      }
      if (w.startsWith("stream")) {
        double vs = median(w, "Sluice", "rowsPerSec") / median(w, "Debezium", "rowsPerSec");
        lines.add(check("streaming: Sluice ≥ 3 × Debezium events/s", vs, "%.2f ×", vs >= 3));
      }
      if (w.equals("into Kafka")) {
        double vs = median(w, "Sluice p4", "rowsPerSec") / debeziumRate(w);
        lines.add(check("into Kafka: Sluice ≥ 3 × Debezium's snapshot rate (blackhole, narrow table)", vs, "%.2f ×",
            vs >= 3));
      }
      if (w.equals("into PostgreSQL")) {
        double vs = median(w, "Sluice p4", "rowsPerSec") / median(w, "hand-written INSERT", "rowsPerSec");
        lines.add(check("into PostgreSQL: Sluice ≥ 0.50 × hand-written multi-row INSERT", vs, "%.3f ×", vs >= 0.5));
      }
      if (w.startsWith("latency")) {
        double p99 = median(w, "Sluice", "p99Ms");
        lines.add(check("latency: p99 commit → sink ≤ 50 ms at 5k rows/s", p99, "%.1f ms", p99 <= 50));
      }
    }
    StringBuilder b = new StringBuilder("| target | measured | |\n|---|--:|---|\n");
    lines.forEach(l -> b.append(l).append('\n'));
    return b.toString();
  }

  private static String check(String target, double value, String pattern, boolean met) {
    return "| " + target + " | " + n(value, pattern) + " | " + (Double.isNaN(value) ? "not measured" : met ? "met"
        : "**missed**") + " |";
  }

  String markdown(String plot) {
    StringBuilder b = new StringBuilder();
    b.append(BEGIN).append("\n\n");
    b.append("Run of ").append(started).append(": `").append(command).append("` (").append(sizes.name())
        .append(" sizes: ").append(String.format(Locale.ROOT, "%,d", sizes.narrow())).append(" narrow rows, ")
        .append(String.format(Locale.ROOT, "%,d", sizes.changes())).append(" row changes, ")
        .append(String.format(Locale.ROOT, "%,d", sizes.awkward())).append(" rows per awkward table")
        .append(sizes.tenfold() ? " and 10 × that" : "").append(", ")
        .append(String.format(Locale.ROOT, "%,d", sizes.e2e())).append(" rows end to end; ").append(rounds).append(rounds == 1 ? " round" : " rounds")
        .append(", medians).\n\n");
    b.append("Machine: ").append(Bench.machine()).append("; ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(", every runner with `-Xmx").append(xmx)
        .append("`; ").append(serverVersion).append(" on the same host. Load average (1, 5, 15 min) before: ")
        .append(loadBefore).append(", after: ").append(loadAfter).append(".\n\n");
    b.append(table()).append('\n');
    if (plot != null) {
      b.append("![rows/s per workload and runner](").append(plot).append(")\n\n");
    }
    b.append(END).append('\n');
    return b.toString();
  }

  void writeInto(Path readme, String plot) throws IOException {
    String text = Files.exists(readme) ? Files.readString(readme, StandardCharsets.UTF_8) : "";
    int from = text.indexOf(BEGIN);
    int to = text.indexOf(END);
    String section = markdown(plot);
    if (from >= 0 && to > from) {
      text = text.substring(0, from) + section + text.substring(to + END.length() + (text.startsWith("\n",
          to + END.length()) ? 1 : 0));
    } else {
      text = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "\n" + section;
    }
    Files.writeString(readme, text, StandardCharsets.UTF_8);
  }
}
