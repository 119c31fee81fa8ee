package dev.sluice.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.LogBatch;
import dev.sluice.core.source.Source;
import dev.sluice.core.testing.LogOnlySource;
import dev.sluice.core.testing.MemoryPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * A sink that wants source transactions whole ({@link Sink#transactionBoundaryWait}) is flushed and
 * checkpointed only between them, although batches are cut inside transactions and checkpoints fall
 * due every few milliseconds; a transaction that never ends holds checkpoints back only as long as
 * the sink allows.
 */
class TransactionBoundaryWaitTest {
  private static final TableSchema T = TableSchema.withPrimaryKey(TableId.of("db", "t"),
      List.of(Column.of("id", LogicalType.INT64, false)), List.of("id"));

  @Test
  void flushesAndCheckpointsFallOnlyBetweenTransactions() throws Exception {
    // Transaction n holds n % 6 + 1 changes.
    int[] txOf = new int[1_000_000];
    for (int seq = 0, n = 0; seq < txOf.length; n++) {
      for (int i = 0; i <= n % 6 && seq < txOf.length; i++) {
        txOf[seq++] = n;
      }
    }
    RecordingSink sink = new RecordingSink(Duration.ofMinutes(1));
    SavedCheckpoints store = new SavedCheckpoints();
    Pipeline p = pipeline(new ScriptedSource(seq -> "tx" + txOf[seq]), sink, store);
    await().atMost(Duration.ofSeconds(20)).until(() -> store.saved.size() >= 20);
    p.stop();
    assertThat(p.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.failure()).isEmpty();

    List<String> written = sink.written;
    assertThat(sink.flushedAfter).hasSizeGreaterThanOrEqualTo(20);
    for (int at : sink.flushedAfter) {
      if (at > 0 && at < written.size()) {
        assertThat(written.get(at)).as("the change after a flush at %d", at).isNotEqualTo(written.get(at - 1));
      }
    }
    for (Checkpoint cp : store.saved) {
      int seq = Integer.parseInt(cp.position());
      assertThat(cp.connectorState()).as("the log's state with the checkpoint at %d", seq)
          .containsEntry("cursor", cp.position());
      if (seq > 0) {
        assertThat(txOf[seq]).as("transaction after the checkpoint at %d", seq).isNotEqualTo(txOf[seq - 1]);
      }
    }
  }

  @Test
  void aTransactionThatNeverEndsHoldsCheckpointsBackOnlyAsLongAsTheSinkAllows() throws Exception {
    RecordingSink sink = new RecordingSink(Duration.ofMillis(200));
    SavedCheckpoints store = new SavedCheckpoints();
    Pipeline p = pipeline(new ScriptedSource(seq -> "endless"), sink, store);
    await().atMost(Duration.ofSeconds(20)).until(() -> store.saved.size() >= 3);
    p.kill();
    assertThat(p.failure()).isEmpty();
    assertThat(sink.written).isNotEmpty();
  }

  private static Pipeline pipeline(Source source, Sink sink, CheckpointStore store) {
    PipelineOptions options = new PipelineOptions(PipelineOptions.DEFAULTS.snapshot(), 3, Duration.ofMillis(2),
        Delivery.AT_LEAST_ONCE, StartupMode.LATEST_OFFSET);
    return new Pipeline("txwait", source, sink, store, options, null).start();
  }

  /** Records the transaction of every change written and how many were written at each flush. */
  private static final class RecordingSink implements Sink {
    final List<String> written = new CopyOnWriteArrayList<>();
    final List<Integer> flushedAfter = new CopyOnWriteArrayList<>();
    private final Duration wait;

    RecordingSink(Duration wait) {
      this.wait = wait;
    }

    @Override
    public void write(List<ChangeEvent> events) {
      events.forEach(e -> written.add(e.transactionId()));
    }

    @Override
    public void flush() {
      flushedAfter.add(written.size());
    }

    @Override
    public Optional<Duration> transactionBoundaryWait() {
      return Optional.of(wait);
    }
  }

  private static final class SavedCheckpoints implements CheckpointStore {
    final List<Checkpoint> saved = new CopyOnWriteArrayList<>();

    @Override
    public Optional<Checkpoint> load() {
      return Optional.empty();
    }

    @Override
    public void save(Checkpoint checkpoint) {
      saved.add(checkpoint);
    }
  }

  /** A log that always has more: each poll returns 1 to 4 changes, the n-th in transaction {@code tx(n)}. */
  private static final class ScriptedSource extends LogOnlySource {
    private final IntFunction<String> tx;

    ScriptedSource(IntFunction<String> tx) {
      super(T);
      this.tx = tx;
    }

    @Override
    public ChangeLog openLog(Position from, Map<String, String> state) {
      Random cut = new Random(42);
      return new ChangeLog() {
        private int cursor = (int) ((MemoryPosition) from).seq();

        @Override
        public LogBatch poll(long timeout, TimeUnit unit) throws InterruptedException {
          TimeUnit.MICROSECONDS.sleep(200);
          List<Event> events = new ArrayList<>();
          for (int n = 1 + cut.nextInt(4); n > 0; n--) {
            Row row = Row.of((long) cursor);
            events.add(new ChangeEvent(T, Op.INSERT, null, row, new MemoryPosition(cursor + 1), Instant.now(),
                tx.apply(cursor)));
            cursor++;
          }
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
