package dev.sluice.core.snapshot;

import dev.sluice.core.event.Position;
import dev.sluice.core.source.Source;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The source's visible horizon ({@link Source#lowWatermark()}), the answer to the commit-order caveat:
 * a log event may be dropped or passed by for a chunk not read yet only once it is at or before the
 * horizon, and a range given back after events were applied to it is read again only once they are
 * visible. The log can run ahead of the horizon, so both wait, backing off from {@link #FIRST_WAIT}
 * to {@link #MAX_WAIT} nanoseconds.
 *
 * <p>The horizon last learned is guarded by the {@link Reconciler}'s lock, the one given here:
 * {@link #covers} is called with it held, and releases it while it asks the source.
 */
final class VisibleHorizon {
  static final long FIRST_WAIT = TimeUnit.MILLISECONDS.toNanos(1);
  static final long MAX_WAIT = TimeUnit.MILLISECONDS.toNanos(50);

  private final Source source;
  private final ReentrantLock lock;
  private final Condition changed;
  /** The last visible horizon learned from the source; drops are safe at or before it. */
  private Position visible;

  VisibleHorizon(Source source, ReentrantLock lock, Condition changed) {
    this.source = source;
    this.lock = lock;
    this.changed = changed;
  }

  /** The next wait after one of {@code waitNanos} found the position not visible yet. */
  static long longer(long waitNanos) {
    return Math.min(waitNanos * 2, MAX_WAIT);
  }

  /**
   * Whether {@code p} is visible to new reads. When the last horizon known is before it, asks the
   * source again (with the lock released) and, when still before it, waits up to {@code waitNanos}
   * for the database to make it visible; false then, and the caller must look at its state again.
   */
  boolean covers(Position p, long waitNanos) throws InterruptedException {
    if (visible != null && source.comparePositions(p, visible) <= 0) {
      return true;
    }
    lock.unlock();
    try {
      visible = source.lowWatermark();
    } finally {
      lock.lock();
    }
    if (source.comparePositions(p, visible) > 0) {
      changed.awaitNanos(waitNanos); // logged but not yet visible to new reads
    }
    return false;
  }

  /**
   * A low watermark for a window that may not open before {@code notBefore} ({@code null}: any):
   * log events already applied to its keys must be visible, or a read now could miss them. Called
   * without the lock.
   */
  Position lowWatermarkFrom(Position notBefore) throws InterruptedException {
    Position low = source.lowWatermark();
    long waitNanos = FIRST_WAIT;
    while (notBefore != null && source.comparePositions(low, notBefore) < 0) {
      LockSupport.parkNanos(waitNanos);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      waitNanos = longer(waitNanos);
      low = source.lowWatermark();
    }
    return low;
  }

  /** The horizon last learned, encoded, for diagnostics ({@code null} before any). */
  String describe() {
    return visible == null ? null : visible.encode();
  }
}
