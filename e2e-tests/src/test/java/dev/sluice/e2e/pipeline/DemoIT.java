package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code sluice demo}, through the packaged distribution's launcher,
 * non-interactively: an embedded PostgreSQL with live changes into a SQLite file, stopped after a few
 * seconds, then run again on the same directory, which resumes from the checkpoint without a second
 * snapshot. Each run must print an equal proof for every table and exit 0.
 */
class DemoIT {
  private static final Pattern PROOF = Pattern.compile("(?m)^\\s+(customers|products|orders)\\s+(\\d+) ([0-9a-f]{16})"
      + "\\s+(\\d+) ([0-9a-f]{16})\\s+(equal|NOT EQUAL)$");
  private static final Pattern SNAPSHOT_ROWS = Pattern.compile("snapshot rows read this run: (\\d+)");

  @TempDir Path dir;

  @Test
  void theDemoSyncsProvesEqualAndResumesWithoutASecondSnapshot() throws Exception {
    Path home = dir.resolve("demo");
    String first = demo("--dir", home.toString(), "--duration", "4s", "--orders", "20000", "--changes-per-second", "150");
    assertThat(first).contains("loading the sample shop").contains("no checkpoint yet");
    assertEqualProof(first, home);
    assertThat(snapshotRows(first)).as(first).isGreaterThanOrEqualTo(20_000 + 1_000 + 20_000);
    assertThat(home.resolve("checkpoints").resolve("demo.checkpoint.json")).exists();

    String second = demo("--dir", home.toString(), "--duration", "3s", "--orders", "20000", "--changes-per-second", "150");
    assertThat(second).contains("the sample shop of an earlier run is there").contains("resuming from the checkpoint");
    assertThat(second).doesNotContain("snapshot started");
    assertThat(snapshotRows(second)).as(second).isZero();
    assertEqualProof(second, home);
  }

  @Test
  void theLakeDemoProvesEqualThroughIcebergsReaderAndResumes() throws Exception {
    Path home = dir.resolve("demo-lake");
    Path warehouse = dir.resolve("warehouse");
    String first = demo("--dir", home.toString(), "--lake", warehouse.toString(), "--duration", "4s", "--orders", "5000",
        "--changes-per-second", "100");
    assertThat(first).contains("PostgreSQL (source) vs Iceberg (target)").contains("no checkpoint yet");
    assertEqualLakeProof(first);
    assertThat(warehouse.resolve("catalog.db")).exists();
    assertThat(home.resolve("pipeline-lake.yaml")).content().contains("type: iceberg");

    String second = demo("--dir", home.toString(), "--lake", warehouse.toString(), "--duration", "3s", "--orders",
        "5000", "--changes-per-second", "100");
    assertThat(second).contains("resuming from the checkpoint").doesNotContain("snapshot started");
    assertThat(snapshotRows(second)).as(second).isZero();
    assertEqualLakeProof(second);
  }

  /** Every table's line says equal (the target side read through Iceberg's generic reader). */
  private static void assertEqualLakeProof(String output) {
    Matcher m = PROOF.matcher(output);
    int tables = 0;
    while (m.find()) {
      tables++;
      assertThat(m.group(6)).as(m.group()).isEqualTo("equal");
      assertThat(Long.parseLong(m.group(4))).as(m.group()).isPositive();
    }
    assertThat(tables).as(output).isEqualTo(3);
    assertThat(output).contains("proof: every table equal");
  }

  @Test
  void aTakenPortAndAnUnwritableDirectoryAreRefusedByName() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Result r = run("--dir", dir.resolve("d").toString(), "--port", Integer.toString(taken.getLocalPort()));
      assertThat(r.exit).as(r.output).isEqualTo(2);
      assertThat(r.output).contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use").contains("--port");
    }
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Result r = run("--dir", file.resolve("demo").toString());
    assertThat(r.exit).as(r.output).isEqualTo(2);
    assertThat(r.output).contains("is not writable").contains("--dir");
  }

  /** Every table's line says equal, and the SQLite file holds the row counts the proof printed. */
  private static void assertEqualProof(String output, Path home) throws Exception {
    Matcher m = PROOF.matcher(output);
    int tables = 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("shop.db"))) {
      while (m.find()) {
        tables++;
        assertThat(m.group(6)).as(m.group()).isEqualTo("equal");
        assertThat(m.group(2)).isEqualTo(m.group(4));
        assertThat(m.group(3)).isEqualTo(m.group(5));
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + m.group(1))) {
          rs.next();
          assertThat(rs.getLong(1)).as("rows of %s in the SQLite file", m.group(1)).isEqualTo(Long.parseLong(m.group(4)));
        }
      }
    }
    assertThat(tables).as(output).isEqualTo(3);
    assertThat(output).contains("proof: every table equal");
  }

  private static long snapshotRows(String output) {
    Matcher m = SNAPSHOT_ROWS.matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return Long.parseLong(m.group(1));
  }

  private String demo(String... args) throws Exception {
    Result r = run(args);
    assertThat(r.exit).as(r.output).isZero();
    return r.output;
  }

  private record Result(int exit, String output) {}

  private Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(Distribution.bin().toString(), "demo"));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "demo-", ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError("sluice demo still running after 120 s; output:\n" + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log));
  }
}
