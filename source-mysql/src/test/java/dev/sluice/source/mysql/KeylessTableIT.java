package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.runtime.PipelineStatus.State;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table with neither a primary key nor a chunk key column: read whole by one SELECT in
 * at-least-once delivery while a writer inserts, updates and deletes rows, then streamed; refused by
 * name in exactly-once delivery. Each row's {@code n} is unique and every write gives {@code v} a
 * new value, so rows are distinct, though the server knows no key.
 */
class KeylessTableIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void keylessTableIsReadWholeThenStreamedLosingNothing(String server) throws Exception {
    long seed = ThreadLocalRandom.current().nextLong();
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t_nokey (n BIGINT NOT NULL, v VARCHAR(64))");
      db.fill("t_nokey", 3000, Integer::toString);
      TableId t = db.table("t_nokey");
      try (MySqlSource source = db.source(); Writer writer = new Writer(db, seed)) {
        assertThat(source.tables()).filteredOn(s -> s.id().equals(t)).singleElement()
            .satisfies(s -> assertThat(s.hasKey()).isFalse());
        CollectingSink sink = new CollectingSink();
        writer.start();
        // Small chunks make a small buffer: the read waits on the sink, and the writes land in its window.
        Pipeline p = SourceFixtures.pipeline("nk", source, sink, dir, 2, 10);
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
        // The writer runs from before the read, so the table held about, not exactly, 3 000 rows then.
        long rowsRead = p.status().tables().stream().filter(s -> s.table().equals(t)).findFirst().orElseThrow()
            .rowsRead();
        assertThat(rowsRead).as("one read of the whole table").isBetween(2500L, 3500L);
        assertThat(sink.reads()).as("every row read reached the sink once").isEqualTo(rowsRead);
        assertThat(sink.changes()).as("the writes after the read were streamed").isPositive();
      }
    }
  }

  @Test
  void exactlyOnceRefusesTheKeylessTableNamingItAndTheFixes() throws Exception {
    try (Db db = Db.on("mysql")) {
      db.sql("CREATE TABLE $db.t_nokey (n BIGINT NOT NULL, v VARCHAR(64))");
      try (MySqlSource source = db.source()) {
        CheckpointStore store = new FileCheckpointStore(dir, "eo");
        Sink atomic = new Sink() {
          @Override
          public void write(List<ChangeEvent> events) {}

          @Override
          public void flush() {}

          @Override
          public Optional<CheckpointStore> atomicCheckpoints() {
            return Optional.of(store);
          }
        };
        PipelineOptions options = new PipelineOptions(SnapshotOptions.of(1, 100), 512, Duration.ofMillis(300),
            Delivery.EXACTLY_ONCE);
        Pipeline p = new Pipeline("eo", source, atomic, null, options, null).start();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).get().isInstanceOf(ConfigurationException.class).extracting(Throwable::getMessage)
            .asString().contains(db.name + ".t_nokey", "no primary key", "scan.incremental.snapshot.chunk.key-column",
                "at-least-once");
      }
    }
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
    private final Db db;
    private final Random random;
    private final Thread thread = new Thread(this::run, "keyless-writer");
    final AtomicLong writes = new AtomicLong();
    private volatile boolean stop;
    private volatile Throwable failure;

    Writer(Db db, long seed) {
      this.db = db;
      this.random = new Random(seed);
    }

    void start() {
      thread.start();
    }

    private void run() {
      long next = 1_000_000;
      try (Connection c = db.admin();
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
          } else if (op < 8) {
            update.setString(1, "upd" + w);
            update.setLong(2, 1 + random.nextInt(3000));
            update.executeUpdate();
          } else {
            delete.setLong(1, 1 + random.nextInt(3000));
            delete.executeUpdate();
          }
        }
      } catch (SQLException | RuntimeException e) {
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
