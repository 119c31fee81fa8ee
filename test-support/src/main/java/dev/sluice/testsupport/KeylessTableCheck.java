package dev.sluice.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus.State;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.source.Source;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JDBC sources' check of a table with neither a primary key nor a chunk key column, read whole
 * by one SELECT in at-least-once delivery while a writer inserts, updates and deletes rows, then
 * streamed. The table is {@code t_nokey (n <integer>, v <text>)} holding rows {@code (i, 'v' || i)}
 * for i from 1 to the fill; each row's {@code n} stays unique and every write gives {@code v} a new
 * value, so rows are distinct, though the server knows no key.
 */
public final class KeylessTableCheck {
  private KeylessTableCheck() {}

  /**
   * Runs the check: nothing the table holds is missing from the sink, rows of the first fill no
   * write touched arrive exactly once, the sink's READ events are the engine's rows read, and the
   * writes after the read were streamed.
   *
   * @param connect a connection in whose default database or schema {@code t_nokey} is, autocommit
   */
  public static void readWhileWritten(Source source, TableId t, int fill, Callable<Connection> connect, Path dir)
      throws Exception {
    long seed = ThreadLocalRandom.current().nextLong();
    assertThat(source.tables()).filteredOn(s -> s.id().equals(t)).singleElement()
        .satisfies(s -> assertThat(s.hasKey()).isFalse());
    try (Writer writer = new Writer(connect, fill, seed)) {
      CollectingSink sink = new CollectingSink();
      writer.start();
      // A small buffer and a slow sink: the read waits on the sink, so it lasts long enough for the
      // log to bring writes made after the SELECT began while the read runs, and those deferred events
      // (up to the chunk size) are ones the SELECT did not see.
      Pipeline p = SourceFixtures.pipeline("nk", source, slow(sink), dir, 2, 400);
      await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == State.STREAMING
          || p.failure().isPresent());
      long more = writer.writes.get() + 200;
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.writes.get() > more);
      writer.stop();
      List<Row> table = SourceFixtures.allRows(source, t);
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(p.failure()).isEmpty();
        assertThat(missing(table, sink.copies(t))).as("seed %s: rows of the table not in the sink", seed).isEmpty();
      });
      p.stop();
      assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.failure()).isEmpty();

      Map<Row, Integer> copies = sink.copies(t);
      assertThat(missing(table, copies)).as("seed %s: rows lost", seed).isEmpty();
      // Rows of the first fill that no write touched arrive exactly once; touched ones are gone.
      Set<Row> now = new HashSet<>(table);
      copies.forEach((row, n) -> {
        if (((String) row.get(1)).startsWith("v")) {
          assertThat(now).as("seed %s: %s was changed or deleted in the table", seed, row).contains(row);
          assertThat(n).as("seed %s: copies of %s", seed, row).isEqualTo(1);
        }
      });
      // The writer runs from before the read (a source's start takes a varying time), so the table
      // held the fill give or take the rows the writer had inserted and deleted by then.
      long rowsRead = p.status().tables().stream().filter(s -> s.table().equals(t)).findFirst().orElseThrow()
          .rowsRead();
      assertThat(rowsRead).as("one read of the whole table")
          .isBetween(fill - writer.deletes.get(), fill + writer.inserts.get());
      assertThat(sink.reads()).as("every row read reached the sink once").isEqualTo(rowsRead);
      assertThat(sink.changes()).as("the writes after the read were streamed").isPositive();
    }
  }

  /** Writes to {@code sink} after a millisecond per snapshot row. */
  private static Sink slow(CollectingSink sink) {
    return new Sink() {
      @Override
      public void write(List<ChangeEvent> events) {
        long reads = events.stream().filter(e -> e.op() == Op.READ).count();
        if (reads > 0) {
          try {
            Thread.sleep(reads);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        }
        sink.write(events);
      }

      @Override
      public void flush() {
        sink.flush();
      }
    };
  }

  private static List<Row> missing(List<Row> table, Map<Row, Integer> copies) {
    List<Row> out = new ArrayList<>();
    for (Row r : table) {
      if (!copies.containsKey(r)) {
        out.add(r);
      }
    }
    return out.size() > 10 ? out.subList(0, 10) : out;
  }

  /** One thread inserting, updating and deleting rows of {@code t_nokey} by {@code n}. */
  private static final class Writer implements AutoCloseable {
    private final Callable<Connection> connect;
    private final int fill;
    private final Random random;
    private final Thread thread = new Thread(this::run, "keyless-writer");
    final AtomicLong writes = new AtomicLong();
    final AtomicLong inserts = new AtomicLong();
    final AtomicLong deletes = new AtomicLong();
    private volatile boolean stop;
    private volatile Throwable failure;

    Writer(Callable<Connection> connect, int fill, long seed) {
      this.connect = connect;
      this.fill = fill;
      this.random = new Random(seed);
    }

    void start() {
      thread.start();
    }

    private void run() {
      long next = 1_000_000;
      try (Connection c = connect.call();
          PreparedStatement insert = c.prepareStatement("INSERT INTO t_nokey VALUES (?, ?)");
          PreparedStatement update = c.prepareStatement("UPDATE t_nokey SET v = ? WHERE n = ?");
          PreparedStatement delete = c.prepareStatement("DELETE FROM t_nokey WHERE n = ?")) {
        while (!stop) {
          long w = writes.incrementAndGet();
          int op = random.nextInt(10);
          if (op < 4) {
            insert.setLong(1, ++next);
            insert.setString(2, "ins" + w);
            insert.executeUpdate();
            inserts.incrementAndGet();
          } else if (op < 8) {
            update.setString(1, "upd" + w);
            update.setLong(2, 1 + random.nextInt(fill));
            update.executeUpdate();
          } else {
            delete.setLong(1, 1 + random.nextInt(fill));
            deletes.addAndGet(delete.executeUpdate());
          }
        }
      } catch (Exception e) {
        failure = e;
      }
    }

    void stop() throws InterruptedException {
      stop = true;
      thread.join();
      if (failure != null) {
        throw new AssertionError("writer failed", failure);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }
}
