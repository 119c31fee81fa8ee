package dev.sluice.bench;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.option.Options;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.KeySpace;
import dev.sluice.core.source.Source;
import dev.sluice.source.mysql.MySqlOptions;
import dev.sluice.source.mysql.MySqlSourceFactory;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The real MySQL source as a pipeline file would build it, and the pieces the bench puts around it. */
final class SluiceSetup {
  private SluiceSetup() {}

  static Source source(Server server, String table, Map<String, String> extra) {
    Map<String, String> o = new HashMap<>();
    o.put("hostname", server.host());
    o.put("port", Integer.toString(server.port()));
    o.put("username", server.user());
    o.put("password", server.password());
    o.put("tables", Server.DATABASE + "\\." + table);
    o.put("server-id", Integer.toString(6400 + (int) (ProcessHandle.current().pid() % 10_000)));
    o.putAll(extra);
    return new MySqlSourceFactory().create(Options.parse("bench source", MySqlOptions.ALL, o));
  }

  /** A sink that keeps nothing: counts events, reports each to a hook, and opens a latch at a given count. */
  /**
   * Waits until {@code latch} opens (the rows a run waits for have reached its sink): true then;
   * false after {@code timeoutSeconds}, or at once when the pipeline ended short of them; a failed
   * pipeline's error is thrown.
   */
  static boolean awaitRows(CountDownLatch latch, Pipeline p, long timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      if (latch.await(20, TimeUnit.MILLISECONDS)) {
        return true;
      }
      if (p.failure().isPresent()) {
        throw new IllegalStateException("pipeline failed", p.failure().get());
      }
      if (p.await(0, TimeUnit.MILLISECONDS) && latch.getCount() > 0) {
        return false; // the pipeline ended short of the expected rows: no use waiting
      }
    }
    return false;
  }

  static final class CountingSink implements Sink {
    final AtomicLong events = new AtomicLong();
    final CountDownLatch reached = new CountDownLatch(1);
    private final long target;
    private final Consumer<ChangeEvent> each;

    CountingSink(long target, Consumer<ChangeEvent> each) {
      this.target = target;
      this.each = each;
    }

    @Override
    public void write(List<ChangeEvent> batch) {
      for (ChangeEvent e : batch) {
        each.accept(e);
      }
      if (events.addAndGet(batch.size()) >= target) {
        reached.countDown();
      }
    }

    @Override
    public void flush() {}
  }

  /** The source unchanged, except that it keeps the largest number of rows one chunk read returned. */
  static final class ChunkCountingSource implements Source {
    final AtomicLong maxChunkRows = new AtomicLong();
    final AtomicLong chunkReads = new AtomicLong();
    private final Source d;

    ChunkCountingSource(Source delegate) {
      this.d = delegate;
    }

    @Override
    public List<TableSchema> tables() {
      return d.tables();
    }

    @Override
    public KeySpace keySpace(TableSchema table) {
      return d.keySpace(table);
    }

    @Override
    public Key chunkBoundary(TableSchema table, Key after, long rows) {
      return d.chunkBoundary(table, after, rows);
    }

    @Override
    public void readChunk(TableSchema table, KeyRange range, Predicate<Row> consumer) {
      long[] n = {0};
      try {
        d.readChunk(table, range, r -> {
          n[0]++;
          return consumer.test(r);
        });
      } finally {
        chunkReads.incrementAndGet();
        maxChunkRows.accumulateAndGet(n[0], Math::max);
      }
    }

    @Override
    public Position lowWatermark() {
      return d.lowWatermark();
    }

    @Override
    public Position highWatermark() {
      return d.highWatermark();
    }

    @Override
    public ChangeLog openLog(Position from, Map<String, String> state) {
      return d.openLog(from, state);
    }

    @Override
    public Position startOffset() {
      return d.startOffset();
    }

    @Override
    public int comparePositions(Position a, Position b) {
      return d.comparePositions(a, b);
    }

    @Override
    public Position decodePosition(String encoded) {
      return d.decodePosition(encoded);
    }

    @Override
    public Comparator<Key> keyOrder(TableSchema table) {
      return d.keyOrder(table);
    }

    @Override
    public void close() {
      d.close();
    }
  }
}
