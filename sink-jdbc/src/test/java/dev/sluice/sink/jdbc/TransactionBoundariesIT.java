package dev.sluice.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.runtime.StartupMode;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.LogBatch;
import dev.sluice.core.testing.LogOnlySource;
import dev.sluice.core.testing.MemoryPosition;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code transaction.boundaries: keep}: each source transaction moves money between accounts (the
 * total never changes), its changes reach the pipeline in batches cut at random points, and
 * checkpoints fall due every few milliseconds; a second connection reads the target the whole time
 * and must never see a partly applied transaction: always no accounts or all of them, holding the
 * same total. Each run is restarted once midway: a clean stop (at-least-once) or a kill
 * (exactly-once, resuming from the checkpoint row), and ends equal to the source.
 */
class TransactionBoundariesIT {
  private static final int ACCOUNTS = 20;
  private static final long OPENING = 1000;
  private static final TableSchema SCHEMA = TableSchema.withPrimaryKey(TableId.of("bank", "tx_accounts"),
      List.of(Column.of("id", LogicalType.INT32, false), Column.of("balance", LogicalType.INT64, false)), List.of("id"));

  static Stream<Arguments> targets() {
    return Stream.of(TargetDb.Kind.POSTGRES, TargetDb.Kind.MARIADB)
        .flatMap(k -> Stream.of(Arguments.of(k, Delivery.AT_LEAST_ONCE), Arguments.of(k, Delivery.EXACTLY_ONCE)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("targets")
  void aReaderNeverSeesPartOfASourceTransaction(TargetDb.Kind kind, Delivery delivery) throws Exception {
    long seed = System.nanoTime();
    System.out.println("TransactionBoundariesIT " + kind + " " + delivery + " seed=" + seed);
    TransferSource source = new TransferSource(new Random(seed), 1500);
    try (TargetDb target = TargetDb.create(kind)) {
      Map<String, String> sinkOptions = Map.of("batch.size", "3", "transaction.boundaries", "keep");
      PipelineOptions options = new PipelineOptions(SnapshotOptions.DEFAULTS, 5, Duration.ofMillis(15), delivery,
          StartupMode.LATEST_OFFSET);
      var files = Files.createTempDirectory("sinkjdbc_txb");
      var store = new dev.sluice.core.checkpoint.FileCheckpointStore(files, "txb");
      Reader reader = new Reader(target);
      reader.start();
      source.startReleasing();

      JdbcSink first = target.sink("txb", sinkOptions);
      Pipeline run = new Pipeline("txb", source, first, store, options, null).start();
      TimeUnit.MILLISECONDS.sleep(700);
      if (delivery == Delivery.EXACTLY_ONCE) {
        run.kill();
        first.close(); // its open transaction rolls back: a crash
      } else {
        run.stop();
        assertThat(run.await(30, TimeUnit.SECONDS)).isTrue();
        first.close();
      }
      assertThat(run.failure()).isEmpty();
      long firstCheckpoints = run.status().checkpoints();

      JdbcSink second = target.sink("txb", sinkOptions);
      run = new Pipeline("txb", source, second, store, options, null).start();
      Map<Integer, Long> expected = source.finalBalances();
      Pipeline running = run;
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        assertThat(running.failure()).isEmpty();
        assertThat(balances(target)).isEqualTo(expected);
      });
      run.stop();
      assertThat(run.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(run.failure()).isEmpty();
      second.close();
      reader.stop();

      assertThat(reader.failures).as("reads that saw part of a transaction").isEmpty();
      assertThat(reader.complete.get()).as("reads that saw every account").isGreaterThan(20);
      assertThat(firstCheckpoints + run.status().checkpoints()).as("checkpoints taken").isGreaterThan(10);
    }
  }

  private static Map<Integer, Long> balances(TargetDb target) throws SQLException {
    Map<Integer, Long> out = new java.util.TreeMap<>();
    try (Connection c = target.admin(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, balance FROM " + target.qualified("tx_accounts"))) {
      while (rs.next()) {
        out.put(rs.getInt(1), rs.getLong(2));
      }
    }
    return out;
  }

  /** Reads the accounts' count and total, one statement (one consistent view) at a time. */
  private static final class Reader {
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final AtomicInteger complete = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    Reader(TargetDb target) {
      thread = new Thread(() -> {
        while (!stop.get()) {
          try (Connection c = target.admin(); Statement st = c.createStatement()) {
            while (!stop.get()) {
              try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(balance), 0) FROM "
                  + target.qualified("tx_accounts"))) {
                rs.next();
                long n = rs.getLong(1);
                long total = rs.getLong(2);
                if (n == ACCOUNTS && total == ACCOUNTS * OPENING) {
                  complete.incrementAndGet();
                } else if (n != 0) {
                  if (failures.size() < 20) {
                    failures.add(n + " accounts holding " + total);
                  }
                }
              }
            }
          } catch (SQLException e) {
            sleep(); // the table does not exist yet
          }
        }
      }, "tx-reader");
    }

    private static void sleep() {
      try {
        TimeUnit.MILLISECONDS.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.join();
    }
  }

  /**
   * A log of transactions: the first opens every account, each later one moves amounts between
   * two to five accounts (every 25th between all of them), so the total stays {@code ACCOUNTS *
   * OPENING}. Transactions are released one at a time every millisecond, as a server commits them,
   * and each poll returns 1 to 7 changes, cutting batches inside transactions.
   */
  private static final class TransferSource extends LogOnlySource {
    private final List<ChangeEvent> log = new ArrayList<>();
    /** For each transaction, the index of its last change in {@link #log}. */
    private final List<Integer> ends = new ArrayList<>();
    private final long[] balances = new long[ACCOUNTS];
    private volatile long releaseStart = -1;

    TransferSource(Random random, int transactions) {
      super(SCHEMA);
      Instant now = Instant.now();
      List<ChangeEvent> open = new ArrayList<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        balances[i] = OPENING;
        open.add(change(Op.INSERT, i, "t0", now));
      }
      add(open);
      for (int t = 1; t < transactions; t++) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
          ids.add(i);
        }
        java.util.Collections.shuffle(ids, random);
        int k = t % 25 == 0 ? ACCOUNTS : 2 + random.nextInt(4);
        long moved = 0;
        List<ChangeEvent> tx = new ArrayList<>();
        for (int j = 0; j < k; j++) {
          int id = ids.get(j);
          long delta = j < k - 1 ? random.nextInt(101) - 50 : -moved;
          moved += delta;
          balances[id] += delta;
          tx.add(change(Op.UPDATE, id, "t" + t, now));
        }
        add(tx);
      }
    }

    private void add(List<ChangeEvent> tx) {
      for (ChangeEvent e : tx) {
        log.add(new ChangeEvent(e.schema(), e.op(), e.before(), e.after(), new MemoryPosition(log.size() + 1),
            e.sourceTime(), e.transactionId()));
      }
      ends.add(log.size() - 1);
    }

    private ChangeEvent change(Op op, int id, String tx, Instant at) {
      Row after = Row.of(id, balances[id]);
      return new ChangeEvent(SCHEMA, op, op == Op.INSERT ? null : after, after, null, at, tx);
    }

    Map<Integer, Long> finalBalances() {
      Map<Integer, Long> out = new java.util.TreeMap<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        out.put(i, balances[i]);
      }
      return out;
    }

    void startReleasing() {
      releaseStart = System.nanoTime();
    }

    /** Changes of the transactions committed so far. */
    private int released() {
      if (releaseStart < 0) {
        return 0;
      }
      int committed = (int) Math.min(ends.size(), (System.nanoTime() - releaseStart) / 1_000_000 + 1);
      return ends.get(committed - 1) + 1;
    }

    @Override
    public ChangeLog openLog(Position from, Map<String, String> state) {
      int start = (int) ((MemoryPosition) from).seq();
      String stored = state.get("cursor");
      if (stored != null && Integer.parseInt(stored) != start) {
        throw new IllegalStateException("log state cursor " + stored + " does not match position " + start);
      }
      Random cut = new Random(start);
      return new ChangeLog() {
        private int cursor = start;

        @Override
        public LogBatch poll(long timeout, TimeUnit unit) throws InterruptedException {
          long deadline = System.nanoTime() + unit.toNanos(timeout);
          while (released() <= cursor && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(1);
          }
          int end = Math.min(released(), cursor + 1 + cut.nextInt(7));
          List<Event> events = new ArrayList<>(log.subList(Math.min(cursor, end), end));
          cursor = Math.max(cursor, end);
          return new LogBatch(events, new MemoryPosition(cursor));
        }

        @Override
        public Map<String, String> state() {
          return Map.of("cursor", Integer.toString(cursor));
        }

        @Override
        public void close() {}
      };
    }
  }
}
