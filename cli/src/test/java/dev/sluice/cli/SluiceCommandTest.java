package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.TableId;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySink;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SluiceCommandTest {
  @TempDir Path dir;

  private String yaml(String db, String sink) {
    return """
        source:
          type: memory
          database: %s
          password: s3cret
        sink:
          type: memory
          sink: %s
        route:
          - source-table: testdb\\.t
            sink-table: copy.t
        pipeline:
          name: Memory Copy
          parallelism: 3
        sluice:
          checkpoint.dir: %s
          checkpoint.interval: 50ms
        """.formatted(db, sink, dir.resolve("cp"));
  }

  private record Result(int code, String out, String err) {}

  private static Result execute(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void runCopiesTheTableThroughTheRouteAndResumesFromItsCheckpoint() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    Workload w = new Workload(db, 3, 10);
    w.addTable("t", KeyKind.DENSE, 2000);
    MemoryConnectors.DATABASES.put("run", db);
    MemorySink sink = new MemorySink(false, 1);
    MemoryConnectors.SINKS.put("run", sink);
    Path file = Files.writeString(dir.resolve("copy.yaml"), yaml("run", "run"));

    Sluice.Run run = new Sluice.Run();
    CompletableFuture<Result> result = CompletableFuture.supplyAsync(() -> execute(run, file.toString()));
    await().atMost(Duration.ofSeconds(20))
        .until(() -> sink.rows(TableId.of("copy", "t")).equals(db.latestRows(TableId.of("testdb", "t"))));
    await().until(() -> run.running != null);
    run.running.stop();
    Result r = result.get();
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains("memory-copy").doesNotContain("s3cret");
    assertThat(dir.resolve("cp/memory-copy.checkpoint.json")).exists();
  }

  @Test
  void aBadFileIsRefusedWithItsLineAndExitCode2() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), yaml("x", "y").replace("database:", "databse:"));
    Result r = execute(new Sluice(), "validate", file.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("bad.yaml:3:3: source: unknown option 'databse'; did you mean 'database'?");
  }

  @Test
  void validateChecksBothEndsAndReportsEveryProblemWithoutSecrets() throws Exception {
    MemoryConnectors.DATABASES.put("v", new MemoryDatabase());
    MemoryConnectors.SINKS.put("v", new MemorySink(false, 1));
    Path ok = Files.writeString(dir.resolve("ok.yaml"), yaml("v", "v"));
    Result good = execute(new Sluice(), "validate", ok.toString());
    assertThat(good.code()).as(good.err()).isZero();
    assertThat(good.out()).contains("source memory reachable").contains("sink memory reachable");

    Path bad = Files.writeString(dir.resolve("bad.yaml"), yaml("v", "v").replace("s3cret", "wrong"));
    Result r = execute(new Sluice(), "validate", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("source: access denied").doesNotContain("wrong");
    assertThat(r.out()).contains("sink memory reachable");
  }

  @Test
  void validateRefusesATableWithoutAKeyInExactlyOnceAndWarnsOfItInAtLeastOnce() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    new Workload(db, 5, 10).addKeylessTable("t", 10);
    MemoryConnectors.DATABASES.put("keyless", db);
    MemoryConnectors.SINKS.put("keyless", new MemorySink(false, 1));
    String atLeastOnce = yaml("keyless", "keyless");
    Path warned = Files.writeString(dir.resolve("warned.yaml"), atLeastOnce);
    Result w = execute(new Sluice(), "validate", warned.toString());
    assertThat(w.code()).as(w.err()).isZero();
    assertThat(w.out()).contains("warning: table testdb.t has no primary key").contains("read as one chunk");

    Path refused = Files.writeString(dir.resolve("refused.yaml"), atLeastOnce + "  delivery: exactly-once\n");
    Result r = execute(new Sluice(), "validate", refused.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("refused.yaml: source: table testdb.t has no primary key")
        .contains("scan.incremental.snapshot.chunk.key-column").contains("at-least-once");
    assertThat(r.out()).contains("sink memory reachable");

    Path streamOnly = Files.writeString(dir.resolve("stream.yaml"),
        atLeastOnce.replace("password: s3cret", "password: s3cret\n  scan.startup.mode: latest-offset")
            + "  delivery: exactly-once\n");
    Result s = execute(new Sluice(), "validate", streamOnly.toString());
    assertThat(s.code()).as("no snapshot, nothing read by key: %s", s.err()).isZero();
  }

  @Test
  void describeListsAConnectorsOptions() {
    Result r = execute(new Sluice(), "describe", "memory");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("source memory").contains("database").contains("(required)").contains("sink memory");
    assertThat(execute(new Sluice(), "describe", "oracle").code()).isEqualTo(2);
  }
}
