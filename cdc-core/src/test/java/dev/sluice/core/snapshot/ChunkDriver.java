package dev.sluice.core.snapshot;

import dev.sluice.core.event.Event;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.testing.MemorySource;
import java.util.List;

/** Plays one chunk reader and the log's progress against a {@link Reconciler}, on the test's thread. */
final class ChunkDriver {
  private ChunkDriver() {}

  /**
   * Reads {@code c} as a chunk reader would, lets the log pass its high watermark and hands what it
   * emitted to the sink; returns the rows the read returned.
   */
  static int read(Reconciler reconciler, MemorySource source, TableSchema t, Chunk c, List<Event> emitted)
      throws InterruptedException {
    reconciler.openWindow(c);
    int[] rows = {0};
    boolean[] full = {false};
    source.readChunk(t, c.range, row -> {
      rows[0]++;
      full[0] = !reconciler.addRow(c, row);
      return !full[0];
    });
    reconciler.deliver(c, full[0]);
    reconciler.onReached(source.highWatermark(), emitted::add);
    reconciler.written();
    return rows[0];
  }
}
