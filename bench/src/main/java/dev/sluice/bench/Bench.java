package dev.sluice.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The bench: generates the data, runs every runner of every workload in rotation, each run in a
 * fresh JVM with the same {@code -Xmx}, and reports medians and ratios measured in this run.
 *
 * <pre>
 * Bench [--quick | --full] [--rounds N] [--xmx SIZE] [--only LIST] [--readme FILE] [--plot FILE] [--command TEXT]
 * </pre>
 */
public final class Bench {
  private final Server server = Server.fromEnvironment();
  private final Path work;
  private final String xmx;
  private final int rounds;
  private final Set<String> only;
  private final Sizes sizes;
  private final List<Result> results = new ArrayList<>();

  /** Rows of each workload. */
  record Sizes(String name, long narrow, long changes, long awkward, boolean tenfold, int latencySeconds, long e2e) {}

  private Bench(Path work, String xmx, int rounds, Set<String> only, Sizes sizes) {
    this.work = work;
    this.xmx = xmx;
    this.rounds = rounds;
    this.only = only;
    this.sizes = sizes;
  }

  public static void main(String[] args) throws Exception {
    Sizes sizes = new Sizes("default", 1_000_000, 1_000_000, 100_000, false, 10, 200_000);
    int rounds = 3;
    String xmx = "1g";
    Set<String> only = Set.of("snapshot", "awkward", "stream", "latency", "kafka", "postgres");
    Path readme = null;
    Path plot = null;
    String command = "scripts/bench.sh";
    boolean reportOnly = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> {
          sizes = new Sizes("quick", 100_000, 100_000, 20_000, false, 5, 50_000);
          rounds = 1;
        }
        case "--full" -> sizes = new Sizes("full", 1_000_000, 1_000_000, 100_000, true, 10, 200_000);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--xmx" -> xmx = args[++i];
        case "--only" -> only = Set.of(args[++i].split(","));
        case "--readme" -> readme = Path.of(args[++i]);
        case "--plot" -> plot = Path.of(args[++i]);
        case "--command" -> command = args[++i];
        case "--report-only" -> reportOnly = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: Bench [--quick | --full] [--rounds N] [--xmx SIZE] [--only snapshot,awkward,stream,latency,kafka,postgres] "
            + "[--readme FILE] [--plot FILE] [--command TEXT] [--report-only]");
      }
    }
    Path work = Files.createDirectories(Path.of("bench", "target", "runs"));
    Bench bench = new Bench(work, xmx, rounds, only, sizes);
    String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    String load = loadAverage();
    if (reportOnly) {
      bench.results.addAll(Result.readAll(work.resolve(RESULTS)));
    } else {
      Files.deleteIfExists(work.resolve(RESULTS));
      bench.run();
    }
    Report report = new Report(bench.results, sizes, rounds, xmx, started, load, Report.loadAverage(), command,
        bench.serverVersion());
    System.out.println();
    System.out.println(report.table());
    if (plot != null) {
      Plot.write(bench.results, plot);
    }
    if (readme != null) {
      report.writeInto(readme, plot == null ? null : readme.getParent().relativize(plot).toString());
      System.out.println("results written to " + readme + (plot == null ? "" : " and " + plot));
    }
  }

  private String serverVersion() throws java.sql.SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT VERSION()")) {
      rs.next();
      return "MySQL " + rs.getString(1);
    }
  }

  private static String loadAverage() {
    return Report.loadAverage();
  }

  /**
   * The awkward tables' chunk size. Sluice's buffer holds two chunks per reader, each of up to twice
   * this many rows (4 × 2048 × 4 = 32 768 rows at p4), a third of the default awkward table, so the
   * buffer fills at both sizes and "peak heap flat as the table grows" is put to the test; and large
   * enough that the wide rows' buffer (about 70 MB) outweighs the JVM's own heap.
   */
  static final int AWKWARD_CHUNK = 2048;
  /** How often the awkward runners force a full collection to measure the heap they hold. */
  static final int HELD_EVERY_MS = 1000;

  /** One runner of one workload: label, runner class arguments. */
  record Plan(String workload, String runner, List<String> args) {}

  private void run() throws Exception {
    List<List<Plan>> groups = new ArrayList<>();
    if (only.contains("snapshot")) {
      Tables.NARROW.ensure(server, generated("narrow", sizes.narrow()), sizes.narrow());
      List<Plan> g = new ArrayList<>();
      String base = "table=narrow rows=" + sizes.narrow();
      for (int p : new int[] {1, 2, 4}) {
        g.add(new Plan("snapshot narrow", "JDBC floor p" + p, args("snapshot floor " + base + " p=" + p)));
        g.add(new Plan("snapshot narrow", "Sluice p" + p, args("snapshot sluice " + base + " p=" + p)));
      }
      g.add(new Plan("snapshot narrow", "JDBC cursor p1", args("snapshot floor cursor=true " + base + " p=1")));
      g.add(new Plan("snapshot narrow", "Debezium", args("snapshot debezium " + base)));
      groups.add(g);
    }
    if (only.contains("awkward")) {
      List<Long> scales = sizes.tenfold() ? List.of(sizes.awkward(), sizes.awkward() * 10) : List.of(sizes.awkward());
      for (long rows : scales) {
        boolean scaled = rows != sizes.awkward();
        List<Plan> g = new ArrayList<>();
        for (Tables t : new Tables[] {Tables.UUID_KEY, Tables.SKEWED, Tables.WIDE}) {
          String name = t.name(rows, scaled);
          t.ensure(server, generated(name, rows), rows);
          String w = "awkward " + t.table + (scaled ? " ×10" : "");
          String base = "table=" + name + " rows=" + rows + " p=4 chunk=" + AWKWARD_CHUNK + " heldMs=" + HELD_EVERY_MS;
          g.add(new Plan(w, "Sluice p4", args("snapshot sluice " + base)));
          if (t == Tables.WIDE) {
            g.add(new Plan(w, "JDBC floor p4", args("snapshot floor " + base)));
          }
          g.add(new Plan(w, "Debezium", args("snapshot debezium " + base)));
        }
        groups.add(g);
      }
    }
    if (only.contains("kafka") || only.contains("postgres")) {
      String name = "narrow_e2e";
      Tables.NARROW.ensure(server, generated(name, sizes.e2e()), sizes.e2e());
      String base = "table=" + name + " rows=" + sizes.e2e();
      List<Plan> g = new ArrayList<>();
      if (only.contains("kafka")) {
        g.add(new Plan("into Kafka", "Sluice p4", args("kafka sluice p=4 " + base)));
        g.add(new Plan("into Kafka", "hand-written producer", args("kafka producer " + base)));
      }
      if (only.contains("postgres")) {
        g.add(new Plan("into PostgreSQL", "Sluice p4", args("postgres sluice p=4 " + base)));
        g.add(new Plan("into PostgreSQL", "hand-written INSERT", args("postgres insert " + base)));
      }
      groups.add(g);
    }
    for (List<Plan> g : groups) {
      rotate(g);
    }
    if (only.contains("stream") || only.contains("latency")) {
      long rows = Math.max(sizes.changes(), 6000L * (sizes.latencySeconds() + 1));
      // The stream table starts as a narrow table; each run flips the sign of i in the rows it changes.
      Tables.NARROW.ensure(server, generated(StreamRunners.TABLE, rows), rows);
      try (Connection c = server.connectAsAdmin(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS " + Server.DATABASE + "." + StreamRunners.MARKER
            + " (id INT PRIMARY KEY, n BIGINT NOT NULL)");
        s.execute("INSERT IGNORE INTO " + Server.DATABASE + "." + StreamRunners.MARKER + " VALUES (1, 0)");
      }
      if (only.contains("stream")) {
        stream();
      }
      if (only.contains("latency")) {
        for (int r = 0; r < rounds; r++) {
          results.add(launch(new Plan("latency 5k rows/s", "Sluice", args("latency sluice rows=" + rows
              + " rate=5000 batch=50 seconds=" + sizes.latencySeconds())), r));
        }
      }
    }
  }

  private void stream() throws Exception {
    Path sluiceState = work.resolve("stream-state-sluice");
    Path debeziumState = work.resolve("stream-state-debezium");
    deleteTree(sluiceState);
    deleteTree(debeziumState);
    long changes = sizes.changes();
    launch(new Plan("stream prepare", "Sluice", args("stream sluice phase=prepare state=" + sluiceState)), 0);
    launch(new Plan("stream prepare", "Debezium", args("stream debezium phase=prepare state=" + debeziumState)), 0);
    long t0 = System.nanoTime();
    try (Connection c = server.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("USE " + Server.DATABASE);
      for (long lo = 0; lo < changes; lo += 1000) {
        s.executeUpdate("UPDATE " + StreamRunners.TABLE + " SET i = -i WHERE id > " + lo + " AND id <= "
            + Math.min(changes, lo + 1000));
      }
    }
    System.out.printf("committed %d row changes in %d transactions of 1000 rows in %.1f s%n", changes,
        (changes + 999) / 1000, (System.nanoTime() - t0) / 1e9);
    String w = "stream " + changes / 1000 + "×1000-row tx";
    List<Plan> g = List.of(
        new Plan(w, "Sluice", args("stream sluice phase=run changes=" + changes + " state=" + sluiceState)),
        new Plan(w, "Debezium", args("stream debezium phase=run changes=" + changes + " state=" + debeziumState)));
    rotate(g);
  }

  private String generated(String name, long rows) {
    System.out.printf("data: %s.%s, %d rows%n", Server.DATABASE, name, rows);
    return name;
  }

  private static List<String> args(String text) {
    return List.of(text.split(" "));
  }

  /** Every round runs every plan once, starting one further along the list each round. */
  private void rotate(List<Plan> plans) throws Exception {
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < plans.size(); i++) {
        results.add(launch(plans.get((i + r) % plans.size()), r));
      }
    }
  }

  private Result launch(Plan plan, int round) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx" + xmx, "-Xms64m",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path")));
    String jfr = System.getenv("SLUICE_BENCH_JFR");
    if (jfr != null && !jfr.isEmpty() && plan.runner().matches(jfr)) {
      Path recording = work.resolve(slug(plan.workload() + "-" + plan.runner()) + "-r" + round + ".jfr");
      cmd.add("-XX:StartFlightRecording=filename=" + recording + ",settings=profile");
    }
    Path log = work.resolve(slug(plan.workload() + "-" + plan.runner()) + "-r" + round + ".log");
    // The collector's own account of each collection (heap before and after), beside the run's log.
    cmd.add("-Xlog:gc:file=" + work.resolve(slug(plan.workload() + "-" + plan.runner()) + "-r" + round + ".gc.log"));
    cmd.add(Runner.class.getName());
    cmd.addAll(plan.args());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
    System.out.printf("%-28s %-15s round %d ... ", plan.workload(), plan.runner(), round + 1);
    System.out.flush();
    Process p = pb.start();
    Map<String, String> values = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("RESULT")) {
          values = new LinkedHashMap<>();
          for (String kv : line.substring(6).trim().split(" ")) {
            int eq = kv.indexOf('=');
            values.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
        }
      }
    }
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    if (p.exitValue() != 0 || values == null) {
      throw new IllegalStateException(plan.workload() + " / " + plan.runner() + " failed (exit " + p.exitValue()
          + "); its output: " + log);
    }
    System.out.println(values.containsKey("rowsPerSec") ? String.format("%,.0f rows/s", Double.parseDouble(
        values.get("rowsPerSec"))) : "done");
    Result result = new Result(plan.workload(), plan.runner(), values);
    if (!values.containsKey("prepared")) {
      result.append(work.resolve(RESULTS));
    }
    return result;
  }

  /** Every run's result, one line each, kept as the runs end (for --report-only). */
  static final String RESULTS = "results.txt";

  private static String slug(String s) {
    return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  /** One run of one runner. */
  record Result(String workload, String runner, Map<String, String> values) {
    double get(String key) {
      String v = values.get(key);
      return v == null ? Double.NaN : Double.parseDouble(v);
    }

    void append(Path file) throws IOException {
      StringBuilder b = new StringBuilder(workload).append('\t').append(runner);
      values.forEach((k, v) -> b.append('\t').append(k).append('=').append(v));
      Files.writeString(file, b.append('\n').toString(), StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    static List<Result> readAll(Path file) throws IOException {
      List<Result> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split("\t");
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 2; i < f.length; i++) {
          v.put(f[i].substring(0, f[i].indexOf('=')), f[i].substring(f[i].indexOf('=') + 1));
        }
        out.add(new Result(f[0], f[1], v));
      }
      return out;
    }
  }

  static String machine() {
    return Runtime.getRuntime().availableProcessors() + " cores, "
        + ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize() / (1L << 30) + " GiB RAM";
  }
}
