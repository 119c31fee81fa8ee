package dev.sluice.bench;

import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.runtime.StartupMode;
import dev.sluice.core.snapshot.SnapshotOptions;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Struct;

/** Reading a whole table once: the raw JDBC floor, Sluice's snapshot, Debezium's snapshot. */
final class SnapshotRunners {
  private final Server server;
  private final String table;
  private final long rows;
  private final int parallelism;
  private final int chunk;
  private final long timeoutSeconds;
  /** Read through a server-side cursor (useCursorFetch, 1024 rows a fetch) as Sluice's source does, not streamed. */
  private final boolean cursor;

  SnapshotRunners(Server server, Map<String, String> o) {
    this.server = server;
    this.table = Runner.require(o, "table");
    this.rows = Long.parseLong(Runner.require(o, "rows"));
    this.parallelism = Integer.parseInt(o.getOrDefault("p", "1"));
    this.chunk = Integer.parseInt(o.getOrDefault("chunk", "8096"));
    this.timeoutSeconds = Long.parseLong(o.getOrDefault("timeout", "600"));
    this.cursor = Boolean.parseBoolean(o.getOrDefault("cursor", "false"));
  }

  /**
   * The floor: {@code p} threads, each with its own connection, take consecutive ranges of
   * {@code chunk} keys of a dense integer key and stream them ({@code fetchSize = MIN_VALUE}, the
   * driver's row-by-row streaming), reading every column into a Java value as a connector must.
   * With {@code cursor=true}, the same through a server-side cursor fetching 1024 rows at a time,
   * which is how Sluice's MySQL source reads a chunk.
   */
  Map<String, String> floor() throws Exception {
    Meter meter = new Meter(server.serverPid());
    meter.start();
    long min;
    long max;
    String key;
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      try (ResultSet rs = c.getMetaData().getPrimaryKeys(Server.DATABASE, null, table)) {
        rs.next();
        key = rs.getString("COLUMN_NAME");
        if (rs.next()) {
          throw new IllegalArgumentException("the floor reads tables with a one-column integer key; " + table
              + " has more");
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT MIN(" + key + "), MAX(" + key + ") FROM " + table)) {
        rs.next();
        min = rs.getLong(1);
        max = rs.getLong(2);
      }
    }
    AtomicLong next = new AtomicLong(min - 1);
    AtomicLong count = new AtomicLong();
    AtomicLong checksum = new AtomicLong();
    String sql = "SELECT * FROM " + table + " WHERE " + key + " > ? AND " + key + " <= ? ORDER BY " + key;
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < parallelism; w++) {
      workers.add(pool.submit(() -> {
        try (Connection c = cursor ? server.connectWithCursors() : server.connect()) {
          long lo;
          long n = 0;
          long sum = 0;
          while ((lo = next.getAndAdd(chunk)) < max) {
            try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
              ps.setFetchSize(cursor ? 1024 : Integer.MIN_VALUE);
              ps.setLong(1, lo);
              ps.setLong(2, lo + chunk);
              try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                int cols = md.getColumnCount();
                int[] types = new int[cols];
                for (int i = 0; i < cols; i++) {
                  types[i] = md.getColumnType(i + 1);
                }
                while (rs.next()) {
                  meter.row();
                  for (int i = 0; i < cols; i++) {
                    sum += touch(rs, i + 1, types[i]);
                  }
                  n++;
                }
              }
            }
          }
          count.addAndGet(n);
          checksum.addAndGet(sum);
        }
        return null;
      }));
    }
    for (Future<?> f : workers) {
      f.get(timeoutSeconds, TimeUnit.SECONDS);
    }
    meter.end();
    pool.shutdown();
    check(count.get());
    Map<String, String> r = meter.result(count.get());
    r.put("checksum", Long.toString(checksum.get()));
    return r;
  }

  /** A column's value as the type a reader would make of it, folded into a number so it is not optimized away. */
  private static long touch(ResultSet rs, int i, int type) throws java.sql.SQLException {
    switch (type) {
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> {
        return rs.getLong(i);
      }
      case Types.DECIMAL, Types.NUMERIC -> {
        BigDecimal d = rs.getBigDecimal(i);
        return d == null ? 0 : d.unscaledValue().longValue();
      }
      case Types.TIMESTAMP -> {
        LocalDateTime t = rs.getObject(i, LocalDateTime.class);
        return t == null ? 0 : t.getNano() + t.getSecond();
      }
      default -> {
        String s = rs.getString(i);
        return s == null ? 0 : s.length();
      }
    }
  }

  private void check(long got) {
    if (got != rows) {
      throw new IllegalStateException("read " + got + " rows of " + table + ", expected " + rows);
    }
  }

  /** Sluice: the real MySQL source in a Pipeline (snapshot only, at-least-once) into a counting sink. */
  Map<String, String> sluice() throws Exception {
    Meter meter = new Meter(server.serverPid());
    Path dir = Files.createTempDirectory("sluice-bench");
    meter.start();
    SluiceSetup.ChunkCountingSource source = new SluiceSetup.ChunkCountingSource(SluiceSetup.source(server, table,
        Map.of("scan.incremental.snapshot.chunk.size", Integer.toString(chunk))));
    SluiceSetup.CountingSink sink = new SluiceSetup.CountingSink(rows, e -> meter.row());
    PipelineOptions options = new PipelineOptions(SnapshotOptions.of(parallelism, chunk), 2048,
        Duration.ofSeconds(10), Delivery.AT_LEAST_ONCE, StartupMode.SNAPSHOT_ONLY);
    Pipeline p = new Pipeline("bench", source, sink, new FileCheckpointStore(dir, "bench"), options, null)
        .ownsConnectors().start();
    boolean done = SluiceSetup.awaitRows(sink.reached, p, timeoutSeconds);
    meter.end();
    p.stop();
    p.await(60, TimeUnit.SECONDS);
    if (!done) {
      throw new IllegalStateException("Sluice snapshot of " + table + " did not deliver " + rows + " rows in "
          + timeoutSeconds + " s, or ended short: " + sink.events.get() + " of " + rows + " rows");
    }
    check(sink.events.get());
    Map<String, String> r = meter.result(sink.events.get());
    r.put("maxChunkRows", Long.toString(source.maxChunkRows.get()));
    r.put("chunkReads", Long.toString(source.chunkReads.get()));
    r.put("chunkSize", Integer.toString(chunk));
    p.bufferGauge().ifPresent(g -> {
      r.put("bufferPeakMb", Meter.fmt(g.peakBytes() / 1048576.0));
      r.put("bufferPeakRows", Long.toString(g.peakRows()));
    });
    return r;
  }

  /** Debezium embedded, as documented: snapshot.mode=initial_only, Connect records counted. */
  Map<String, String> debezium() throws Exception {
    Meter meter = new Meter(server.serverPid());
    meter.start();
    Properties props = DebeziumSetup.properties(server, table, "bench-snapshot");
    props.setProperty("snapshot.mode", "initial_only");
    props.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
    props.setProperty("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
    String topic = DebeziumSetup.topic(table);
    DebeziumSetup.CountingEngine engine = new DebeziumSetup.CountingEngine(props,
        record -> topic.equals(record.topic()) && record.value() instanceof Struct v && "r".equals(v.getString("op")),
        rows, meter);
    boolean done = engine.await(timeoutSeconds, TimeUnit.SECONDS);
    meter.end();
    engine.stop();
    if (!done) {
      throw new IllegalStateException("Debezium snapshot of " + table + " did not finish in " + timeoutSeconds
          + " s: " + engine.count() + " of " + rows + " rows");
    }
    check(engine.count());
    return meter.result(engine.count());
  }
}
