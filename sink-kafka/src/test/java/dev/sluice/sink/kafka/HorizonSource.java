package dev.sluice.sink.kafka;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemoryPosition;
import dev.sluice.core.testing.MemorySource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Test fixture: the memory source that also remembers, for every chunk read (in any run of the
 * pipeline, committed or not), its table, range and high watermark. That is how far back the
 * snapshot may legitimately have folded a key's changes into the row it read: a change of the key
 * after the high watermark of the last chunk read over it is never folded and must reach the sink
 * as itself. Before any chunk, that is the position a fresh pipeline starts at: the first low
 * watermark asked for.
 */
final class HorizonSource extends MemorySource {
  private record Horizon(TableId table, KeyRange range, long high) {}

  private final ThreadLocal<Horizon> reading = new ThreadLocal<>();
  private final List<Horizon> horizons = new ArrayList<>();
  private volatile long start = -1;

  HorizonSource(MemoryDatabase db, long maxReadPauseMicros) {
    super(db, maxReadPauseMicros, true);
  }

  @Override
  public void readChunk(TableSchema table, KeyRange range, Predicate<Row> consumer) {
    reading.set(new Horizon(table.id(), range, -1));
    super.readChunk(table, range, consumer);
  }

  @Override
  public Position lowWatermark() {
    Position low = super.lowWatermark();
    synchronized (horizons) {
      if (start < 0) {
        start = ((MemoryPosition) low).seq();
      }
    }
    return low;
  }

  /** The engine takes a chunk's high watermark on the reader's thread right after the read. */
  @Override
  public Position highWatermark() {
    Position high = super.highWatermark();
    Horizon read = reading.get();
    if (read != null) {
      reading.remove();
      synchronized (horizons) {
        horizons.add(new Horizon(read.table(), read.range(), ((MemoryPosition) high).seq()));
      }
    }
    return high;
  }

  /**
   * The log position after which every change of {@code key} must reach the sink: the highest high
   * watermark of a chunk read over it, or the pipeline's start position when none was.
   */
  long horizon(TableId table, Key key) {
    long h = start;
    synchronized (horizons) {
      for (Horizon r : horizons) {
        if (r.table().equals(table) && r.range().contains(key, Key.NATURAL)) {
          h = Math.max(h, r.high());
        }
      }
    }
    return h;
  }
}
