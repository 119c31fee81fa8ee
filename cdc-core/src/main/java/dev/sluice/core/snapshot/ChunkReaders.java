package dev.sluice.core.snapshot;

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
