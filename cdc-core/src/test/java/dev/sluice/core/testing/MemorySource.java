package dev.sluice.core.testing;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.KeySpace;
import dev.sluice.core.source.LogBatch;
import dev.sluice.core.source.Source;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The reference source over a {@link MemoryDatabase}: what a real connector does, in a few lines.
 * Reads can be slowed down (a pause before the SELECT takes its snapshot, and while streaming rows)
 * so that chunk windows overlap concurrent writes, and every chunk read is recorded.
 */
public class MemorySource implements Source {
  private final MemoryDatabase db;
  private final long maxReadPauseMicros;
  private final boolean honestLowWatermark;
  private final List<Read> reads = Collections.synchronizedList(new ArrayList<>());
  private volatile int epoch;
  private volatile MemoryPosition startOffset;

  /** A chunk read: the table, the range, and the {@link #nextEpoch() epoch} it happened in. */
  public record Read(TableId table, KeyRange range, int epoch) {}

  /**
   * @param maxReadPauseMicros upper bound of the random pauses inside a chunk read
   * @param honestLowWatermark false makes {@link #lowWatermark()} return the log end, as a naive
   *     connector using a status query would; the engine then loses changes (a test proves it)
   */
  public MemorySource(MemoryDatabase db, long maxReadPauseMicros, boolean honestLowWatermark) {
    this.db = db;
    this.maxReadPauseMicros = maxReadPauseMicros;
    this.honestLowWatermark = honestLowWatermark;
  }

  public MemorySource(MemoryDatabase db) {
    this(db, 200, true);
  }

  /** Names the position startup mode {@code SOURCE_OFFSET} starts after, as a source's options would. */
  public MemorySource startingAfter(long seq) {
    this.startOffset = new MemoryPosition(seq);
    return this;
  }

  @Override
  public Position startOffset() {
    return startOffset == null ? Source.super.startOffset() : startOffset;
  }

  /** Starts a new epoch of recorded reads (call before a restart). */
  public int nextEpoch() {
    return ++epoch;
  }

  public List<Read> reads() {
    synchronized (reads) {
      return List.copyOf(reads);
    }
  }

  @Override
  public List<TableSchema> tables() {
    return db.schemas();
  }

  @Override
  public KeySpace keySpace(TableSchema table) {
    NavigableMap<Key, Row> rows = db.visibleRows(table.id());
    return rows.isEmpty() ? KeySpace.EMPTY : new KeySpace(rows.firstKey(), rows.lastKey(), rows.size());
  }

  @Override
  public Key chunkBoundary(TableSchema table, Key after, long rows) {
    NavigableMap<Key, Row> all = db.visibleRows(table.id());
    NavigableMap<Key, Row> tail = after == null ? all : all.tailMap(after, false);
    long i = 0;
    for (Key k : tail.keySet()) {
      if (++i == rows) {
        return k;
      }
    }
    return null;
  }

  @Override
  public void readChunk(TableSchema table, KeyRange range, Predicate<Row> consumer) {
    reads.add(new Read(table.id(), range, epoch));
    pause();
    List<Row> rows = db.read(table.id(), range);
    int i = 0;
    for (Row r : rows) {
      if (!consumer.test(r)) {
        return;
      }
      if (++i % 64 == 0) {
        pause();
      }
    }
  }

  private void pause() {
    if (maxReadPauseMicros > 0) {
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextLong(maxReadPauseMicros)));
    }
  }

  @Override
  public Position lowWatermark() {
    return new MemoryPosition(honestLowWatermark ? db.visibleUpTo() : db.logEnd());
  }

  @Override
  public Position highWatermark() {
    return new MemoryPosition(db.logEnd());
  }

  @Override
  public ChangeLog openLog(Position from, Map<String, String> state) {
    long start = ((MemoryPosition) from).seq();
    String stored = state.get("cursor");
    if (stored != null && Long.parseLong(stored) != start) {
      throw new IllegalStateException("connector state cursor " + stored + " does not match position " + start);
    }
    return new Log(start);
  }

  @Override
  public int comparePositions(Position a, Position b) {
    return MemoryPosition.compare(a, b);
  }

  @Override
  public Position decodePosition(String encoded) {
    return MemoryPosition.decode(encoded);
  }

  private final class Log implements ChangeLog {
    private long cursor;

    Log(long start) {
      this.cursor = start;
    }

    @Override
    public LogBatch poll(long timeout, TimeUnit unit) throws InterruptedException {
      List<ChangeEvent> entries = db.logAfter(cursor, 256, unit.toMillis(timeout));
      if (entries.isEmpty()) {
        return new LogBatch(List.of(), new MemoryPosition(cursor)); // idle: nothing after the cursor
      }
      return batch(entries);
    }

    private LogBatch batch(List<ChangeEvent> entries) {
      cursor = ((MemoryPosition) entries.get(entries.size() - 1).position()).seq();
      return new LogBatch(new ArrayList<Event>(entries), new MemoryPosition(cursor));
    }

    @Override
    public Map<String, String> state() {
      return Map.of("cursor", Long.toString(cursor));
    }

    @Override
    public void close() {}
  }
}
