package dev.sluice.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measurement in its own JVM: {@code Runner WORKLOAD RUNNER key=value...}. Prints its result as
 * one line {@code RESULT key=value ...} on standard output (logs go to standard error) and exits 0,
 * or exits 1 with the failure on standard error.
 */
public final class Runner {
  private Runner() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: Runner WORKLOAD RUNNER [key=value...]");
      System.exit(2);
    }
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 2; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("argument '" + args[i] + "' is not key=value");
      }
      o.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    Meter.heldEveryMillis = Long.parseLong(o.getOrDefault("heldMs", "0"));
    Server server = Server.fromEnvironment();
    Map<String, String> result;
    try {
      result = switch (args[0] + "/" + args[1]) {
        case "snapshot/floor" -> new SnapshotRunners(server, o).floor();
        case "snapshot/sluice" -> new SnapshotRunners(server, o).sluice();
        case "snapshot/debezium" -> new SnapshotRunners(server, o).debezium();
        case "stream/sluice" -> new StreamRunners(server, o).sluice();
        case "stream/debezium" -> new StreamRunners(server, o).debezium();
        case "latency/sluice" -> new StreamRunners(server, o).latency();
        case "kafka/sluice" -> new EndToEndRunners(server, o).sluiceKafka();
        case "kafka/producer" -> new EndToEndRunners(server, o).producer();
        case "postgres/sluice" -> new EndToEndRunners(server, o).sluicePostgres();
        case "postgres/insert" -> new EndToEndRunners(server, o).insert();
        default -> throw new IllegalArgumentException("no runner " + args[1] + " for workload " + args[0]);
      };
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
      return;
    }
    StringBuilder line = new StringBuilder("RESULT");
    result.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    System.out.println(line);
    System.out.flush();
    ThreadCpu.report();
    // Debezium and driver threads may linger; the measurement is done.
    System.exit(0);
  }

  static String require(Map<String, String> o, String key) {
    String v = o.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing runner argument " + key + "=...");
    }
    return v;
  }
}
