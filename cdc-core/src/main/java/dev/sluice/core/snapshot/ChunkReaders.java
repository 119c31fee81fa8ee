package dev.sluice.core.snapshot;

import dev.sluice.core.event.Row;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.Source;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot's reader threads: each takes a chunk, opens its window, streams its rows (stopping at
 * the chunk's bound), and delivers it. They end when every table is streaming or on {@link #stop()}.
 */
public final class ChunkReaders {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkReaders.class);

  private final Reconciler reconciler;
  private final Source source;
  private final List<Thread> threads = new ArrayList<>();

  public ChunkReaders(String pipeline, Reconciler reconciler, Source source, int parallelism) {
    this.reconciler = reconciler;
    this.source = source;
    for (int i = 0; i < parallelism; i++) {
      Thread t = new Thread(this::run, "sluice-" + pipeline + "-chunk-reader-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
  }

  public void start() {
    threads.forEach(Thread::start);
  }

  private void run() {
    Chunk c = null;
    try {
      while ((c = reconciler.nextChunk()) != null) {
        reconciler.openWindow(c);
        if (c.wholeTable()) {
          readWhole(c);
          c = null;
          continue;
        }
        Chunk chunk = c;
        boolean[] cutShort = {false};
        source.readChunk(c.schema(), c.range, row -> {
          if (Thread.currentThread().isInterrupted() || reconciler.isClosed()) {
            throw new ReaderStopped();
          }
          boolean more = reconciler.addRow(chunk, row);
          cutShort[0] = !more;
          return more;
        });
        reconciler.deliver(c, cutShort[0]);
        c = null;
      }
    } catch (InterruptedException | ReaderStopped e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      if (!reconciler.isClosed()) {
        LOG.debug("chunk {} failed", c, e);
        reconciler.failed(c, e);
      }
    }
  }

  /**
   * Reads a table without a key in one SELECT, handing its rows over in small batches as they come
   * instead of holding them: memory stays within the chunk's share however big the table.
   */
  private void readWhole(Chunk c) {
    int maxRows = reconciler.handOverRows(c);
    long maxBytes = reconciler.handOverBytes(c);
    List<Row> batch = new ArrayList<>(maxRows);
    long[] bytes = {0};
    source.readChunk(c.schema(), KeyRange.ALL, row -> {
      if (Thread.currentThread().isInterrupted() || reconciler.isClosed()) {
        throw new ReaderStopped();
      }
      batch.add(row);
      bytes[0] += row.estimatedBytes();
      if (batch.size() >= maxRows || bytes[0] >= maxBytes) {
        handOver(c, batch, bytes[0]);
        batch.clear();
        bytes[0] = 0;
      }
      return true;
    });
    handOver(c, batch, bytes[0]);
    reconciler.readAll(c);
  }

  private void handOver(Chunk c, List<Row> rows, long bytes) {
    if (rows.isEmpty()) {
      return;
    }
    try {
      if (!reconciler.handOver(c, rows, bytes)) {
        throw new ReaderStopped();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReaderStopped();
    }
  }

  /** Interrupts the readers and waits for them to end. */
  public void stop() throws InterruptedException {
    reconciler.close();
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      t.join();
    }
  }

  /** Thrown inside a read to unwind it when the pipeline stops. */
  private static final class ReaderStopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReaderStopped() {
      super(null, null, false, false);
    }
  }
}
