package dev.sluice.core.runtime;

import dev.sluice.core.SluiceException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides retry versus fail. It runs a pipeline and, when it fails with an error
 * that says it may succeed later ({@link SluiceException#retriable()}, a lost connection), starts a
 * fresh one from the last checkpoint after an exponential backoff, up to a bounded number of
 * attempts in a row; any other error, or too many attempts, stops it for good. A pipeline that has
 * run for longer than the longest backoff counts as healthy again.
 */
public final class Supervisor {
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  /**
   * @param maxAttempts failures in a row before giving up
   * @param firstBackoff wait after the first failure, doubled after each further one
   */
  public record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofMinutes(1));

    public RetryPolicy {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
    }

    Duration backoff(int failures) {
      long ms = firstBackoff.toMillis() << Math.min(20, Math.max(0, failures - 1));
      return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
  }

  private final String id;
  private final Supplier<Pipeline> factory;
  private final RetryPolicy policy;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Object lock = new Object();
  private volatile Pipeline current;
  private volatile boolean stopRequested;
  private volatile Throwable finalFailure;
  private volatile int failuresInARow;

  /** @param factory builds a fresh pipeline (new source, sink and log) for each attempt */
  public Supervisor(String id, Supplier<Pipeline> factory, RetryPolicy policy) {
    this.id = id;
    this.factory = factory;
    this.policy = policy;
    this.thread = new Thread(this::run, "sluice-" + id + "-supervisor");
  }

  public Supervisor start() {
    thread.start();
    return this;
  }

  /** Stops the running pipeline cleanly (drain, flush, checkpoint) and stops retrying. */
  public void stop() {
    stopRequested = true;
    Pipeline p = current;
    if (p != null) {
      p.stop();
    }
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return stopped.await(timeout, unit);
  }

  /** The pipeline of the current attempt, if one is running or just ended. */
  public Optional<Pipeline> current() {
    return Optional.ofNullable(current);
  }

  /** Why the supervisor gave up, if it did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(finalFailure);
  }

  public int failuresInARow() {
    return failuresInARow;
  }

  /** Builds and runs one pipeline until it ends; its error, if it failed (building it included). */
  private Optional<Throwable> attempt() throws InterruptedException {
    Pipeline p;
    try {
      p = factory.get();
    } catch (RuntimeException e) {
      return Optional.of(e); // connecting or preflight failed: judged like any other failure
    }
    current = p;
    p.start();
    while (!p.await(200, TimeUnit.MILLISECONDS)) {
      if (stopRequested) {
        p.stop();
      }
    }
    return p.failure();
  }

  private void run() {
    try {
      while (!stopRequested) {
        long started = System.nanoTime();
        Optional<Throwable> error = attempt();
        if (error.isEmpty()) {
          return; // a clean stop
        }
        if (Duration.ofNanos(System.nanoTime() - started).compareTo(policy.maxBackoff()) > 0) {
          failuresInARow = 0;
        }
        failuresInARow++;
        Throwable e = error.get();
        boolean retriable = e instanceof SluiceException se && se.retriable();
        if (!retriable || failuresInARow >= policy.maxAttempts()) {
          finalFailure = e;
          LOG.error("pipeline={} stopped for good after {} failure(s) in a row: {}", id, failuresInARow, e.getMessage());
          return;
        }
        Duration wait = policy.backoff(failuresInARow);
        LOG.warn("pipeline={} failed ({}); retrying from its last checkpoint in {} ms (attempt {} of {})", id,
            e.getMessage(), wait.toMillis(), failuresInARow + 1, policy.maxAttempts());
        synchronized (lock) {
          if (!stopRequested) {
            lock.wait(wait.toMillis());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
  }
}
