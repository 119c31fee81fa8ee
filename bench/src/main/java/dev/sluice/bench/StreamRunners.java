package dev.sluice.bench;

import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.core.runtime.StartupMode;
import dev.sluice.core.snapshot.SnapshotOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Struct;

/**
 * Following the binlog. Throughput is measured as a catch-up: each runner first saves its state at
 * the log's end ({@code phase=prepare}, which waits for one marker change so the state is surely
 * past startup), the bench then commits the changes once, and every round ({@code phase=run})
 * starts from a copy of that saved state and times its start up to the last change's arrival. So
 * every runner and every round reads the same binlog bytes, and no writer limits the rate.
 */
final class StreamRunners {
  static final String TABLE = "stream";
  static final String MARKER = "stream_marker";

  private final Server server;
  private final Map<String, String> o;
  private final long timeoutSeconds;

  StreamRunners(Server server, Map<String, String> o) {
    this.server = server;
    this.o = o;
    this.timeoutSeconds = Long.parseLong(o.getOrDefault("timeout", "600"));
  }

  /** Commits one marker change that the runner being prepared waits for. */
  private void touchMarker() throws Exception {
    try (Connection c = server.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("UPDATE " + Server.DATABASE + "." + MARKER + " SET n = n + 1");
    }
  }

  private static Path copyOf(Path state) throws IOException {
    Path dir = Files.createTempDirectory("sluice-bench-stream");
    try (Stream<Path> files = Files.list(state)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }

  private Pipeline sluicePipeline(Path dir, Consumer<ChangeEvent> each, SluiceSetup.CountingSink[] sinkOut, long target) {
    SluiceSetup.CountingSink sink = new SluiceSetup.CountingSink(target, each);
    sinkOut[0] = sink;
    PipelineOptions options = new PipelineOptions(SnapshotOptions.of(1, 8096), 2048, Duration.ofSeconds(10),
        Delivery.AT_LEAST_ONCE, StartupMode.LATEST_OFFSET);
    return new Pipeline("bench-stream", SluiceSetup.source(server, "(" + TABLE + "|" + MARKER + ")", Map.of()), sink,
        new FileCheckpointStore(dir, "bench-stream"), options, null).ownsConnectors().start();
  }

  Map<String, String> sluice() throws Exception {
    Path state = Path.of(Runner.require(o, "state"));
    if (o.get("phase").equals("prepare")) {
      Files.createDirectories(state);
      SluiceSetup.CountingSink[] sink = new SluiceSetup.CountingSink[1];
      Pipeline p = sluicePipeline(state, e -> {}, sink, 1);
      awaitState(p);
      touchMarker();
      if (!sink[0].reached.await(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Sluice did not deliver the marker change");
      }
      p.stop();
      if (!p.await(60, TimeUnit.SECONDS) || p.failure().isPresent()) {
        throw new IllegalStateException("Sluice did not stop cleanly", p.failure().orElse(null));
      }
      return Map.of("prepared", "true");
    }
    long changes = Long.parseLong(Runner.require(o, "changes"));
    Path dir = copyOf(state);
    Meter meter = new Meter(server.serverPid());
    AtomicLong counted = new AtomicLong();
    CountDownLatch reached = new CountDownLatch(1);
    meter.start();
    SluiceSetup.CountingSink[] sink = new SluiceSetup.CountingSink[1];
    Pipeline p = sluicePipeline(dir, e -> {
      if (e.table().table().equals(TABLE)) {
        meter.row();
        if (counted.incrementAndGet() == changes) {
          reached.countDown();
        }
      }
    }, sink, Long.MAX_VALUE);
    boolean done = SluiceSetup.awaitRows(reached, p, timeoutSeconds);
    meter.end();
    p.stop();
    p.await(60, TimeUnit.SECONDS);
    if (!done) {
      throw new IllegalStateException("Sluice delivered " + counted.get() + " of " + changes + " changes in "
          + timeoutSeconds + " s");
    }
    return meter.result(counted.get());
  }

  private void awaitState(Pipeline p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (p.status().state() != PipelineStatus.State.STREAMING) {
      if (p.failure().isPresent()) {
        throw new IllegalStateException("pipeline failed", p.failure().get());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("pipeline did not start streaming");
      }
      Thread.sleep(20);
    }
  }

  private Properties debeziumProperties(Path dir) {
    Properties props = DebeziumSetup.properties(server, "(" + TABLE + "|" + MARKER + ")", "bench-stream");
    props.setProperty("snapshot.mode", "no_data");
    props.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
    props.setProperty("offset.storage.file.filename", dir.resolve("offsets.dat").toString());
    props.setProperty("offset.flush.interval.ms", "0");
    props.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
    props.setProperty("schema.history.internal.file.filename", dir.resolve("schema-history.dat").toString());
    return props;
  }

  Map<String, String> debezium() throws Exception {
    Path state = Path.of(Runner.require(o, "state"));
    boolean prepare = o.get("phase").equals("prepare");
    long changes = prepare ? 1 : Long.parseLong(Runner.require(o, "changes"));
    Path dir = prepare ? Files.createDirectories(state) : copyOf(state);
    String topic = DebeziumSetup.topic(prepare ? MARKER : TABLE);
    Meter meter = new Meter(server.serverPid());
    meter.start();
    DebeziumSetup.CountingEngine engine = new DebeziumSetup.CountingEngine(debeziumProperties(dir),
        record -> topic.equals(record.topic()) && record.value() instanceof Struct, changes, meter);
    if (prepare) {
      // The marker is committed once the connector streams; before that it would not be seen.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      do {
        touchMarker();
      } while (!engine.await(500, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline);
    }
    boolean done = engine.await(timeoutSeconds, TimeUnit.SECONDS);
    meter.end();
    engine.stop();
    if (!done) {
      throw new IllegalStateException("Debezium delivered " + engine.count() + " of " + changes + " changes in "
          + timeoutSeconds + " s");
    }
    return prepare ? Map.of("prepared", "true") : meter.result(engine.count());
  }

  /**
   * Commit-to-sink latency at a fixed write rate: a writer commits transactions of {@code batch}
   * rows at {@code rate} rows/s for {@code seconds} (after a one-second warm-up) while a streaming
   * pipeline delivers them; for each changed row, its arrival at the sink minus its transaction's
   * commit (when commit() returned, on the same clock). Each row is changed once in the window.
   */
  Map<String, String> latency() throws Exception {
    long rows = Long.parseLong(Runner.require(o, "rows"));
    int rate = Integer.parseInt(o.getOrDefault("rate", "5000"));
    int batch = Integer.parseInt(o.getOrDefault("batch", "50"));
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "10"));
    long total = (long) rate * (seconds + 1);
    if (total > rows) {
      throw new IllegalArgumentException("the stream table has " + rows + " rows, fewer than the " + total
          + " the latency run changes");
    }
    long[] arrived = new long[(int) total + 1];
    long[] committed = new long[(int) total / batch + 2];
    Path dir = Files.createTempDirectory("sluice-bench-latency");
    SluiceSetup.CountingSink[] sink = new SluiceSetup.CountingSink[1];
    CountDownLatch live = new CountDownLatch(1);
    Pipeline p = sluicePipeline(dir, e -> {
      if (e.table().table().equals(TABLE)) {
        long id = ((Number) e.after().get(0)).longValue();
        if (id >= 1 && id <= total) {
          arrived[(int) id] = System.nanoTime();
        }
      } else {
        live.countDown();
      }
    }, sink, Long.MAX_VALUE);
    awaitState(p);
    // The log reader connects after the pipeline reports streaming: measure only once a marker
    // change has come through.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    do {
      touchMarker();
    } while (!live.await(200, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline);
    Meter meter = new Meter(server.serverPid());
    meter.start();
    try (Connection c = server.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("USE " + Server.DATABASE);
      long periodNanos = TimeUnit.SECONDS.toNanos(1) * batch / rate;
      long next = System.nanoTime();
      for (int tx = 0; (long) tx * batch < total; tx++) {
        long lo = (long) tx * batch;
        s.executeUpdate("UPDATE " + TABLE + " SET i = -i WHERE id > " + lo + " AND id <= " + (lo + batch));
        committed[tx] = System.nanoTime();
        next += periodNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
    }
    Thread.sleep(3000);
    meter.end();
    p.stop();
    p.await(60, TimeUnit.SECONDS);
    long warmup = rate;
    double[] ms = new double[(int) (total - warmup)];
    int missing = 0;
    for (long id = warmup + 1; id <= total; id++) {
      long a = arrived[(int) id];
      long c = committed[(int) ((id - 1) / batch)];
      if (a == 0) {
        missing++;
        ms[(int) (id - warmup - 1)] = Double.POSITIVE_INFINITY;
      } else {
        ms[(int) (id - warmup - 1)] = (a - c) / 1e6;
      }
    }
    Arrays.sort(ms);
    Map<String, String> r = meter.result(total);
    r.put("p50Ms", Meter.fmt(ms[ms.length / 2]));
    r.put("p99Ms", Meter.fmt(ms[(int) (ms.length * 0.99)]));
    r.put("maxMs", Meter.fmt(ms[ms.length - 1]));
    r.put("missing", Integer.toString(missing));
    r.put("rate", Integer.toString(rate));
    return r;
  }
}
