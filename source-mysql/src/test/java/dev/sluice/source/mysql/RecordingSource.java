package dev.sluice.source.mysql;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.KeySpace;
import dev.sluice.core.source.Source;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * A {@link MySqlSource} seen through a recorder: every chunk range the engine reads is kept, so a
 * test can assert which ranges a restarted pipeline read again. Chunk reads may be held at a gate
 * (one permit per chunk) so a test can stop or crash a pipeline while its snapshot is unfinished.
 */
final class RecordingSource implements Source {
  record Read(TableId table, KeyRange range) {}

  private final MySqlSource delegate;
  private final List<Read> reads = Collections.synchronizedList(new ArrayList<>());
  private final Semaphore gate;

  /** @param permits chunk reads let through before the gate closes ({@link Integer#MAX_VALUE}: open) */
  RecordingSource(MySqlSource delegate, int permits) {
    this.delegate = delegate;
    this.gate = new Semaphore(permits);
  }

  /** Lets {@code n} more chunk reads through. */
  void open(int n) {
    gate.release(n);
  }

  List<Read> reads() {
    synchronized (reads) {
      return List.copyOf(reads);
    }
  }

  @Override
  public void readChunk(TableSchema table, KeyRange range, Predicate<Row> consumer) {
    try {
      gate.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted at the test's chunk gate", e);
    }
    reads.add(new Read(table.id(), range));
    delegate.readChunk(table, range, consumer);
  }

  @Override
  public List<TableSchema> tables() {
    return delegate.tables();
  }

  @Override
  public KeySpace keySpace(TableSchema table) {
    return delegate.keySpace(table);
  }

  @Override
  public Key chunkBoundary(TableSchema table, Key after, long rows) {
    return delegate.chunkBoundary(table, after, rows);
  }

  @Override
  public Position lowWatermark() {
    return delegate.lowWatermark();
  }

  @Override
  public Position highWatermark() {
    return delegate.highWatermark();
  }

  @Override
  public ChangeLog openLog(Position from, Map<String, String> state) {
    return delegate.openLog(from, state);
  }

  @Override
  public int comparePositions(Position a, Position b) {
    return delegate.comparePositions(a, b);
  }

  @Override
  public Position decodePosition(String encoded) {
    return delegate.decodePosition(encoded);
  }

  @Override
  public Comparator<Key> keyOrder(TableSchema table) {
    return delegate.keyOrder(table);
  }
}
