package dev.sluice.cli;

import dev.sluice.core.runtime.Supervisor.RetryPolicy;
import dev.sluice.pipeline.ConnectorCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice serve}: every pipeline file of a directory, each under its own supervisor, plus the
 * REST API, its status page and metrics. One pipeline's failure never stops another. Every second
 * each pipeline's throughput and lag are sampled for the page's charts.
 */
final class Daemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  private final List<PipelineManager> managers = new ArrayList<>();
  private final RestServer rest;
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sluice-sampler");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch closed = new CountDownLatch(1);

  Daemon(Path dir, String host, int port, String token, RetryPolicy retry) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--pipelines " + dir + " is not a directory");
    }
    LogTail logs = LogTail.install();
    ConnectorCatalog catalog = ConnectorCatalog.fromClassPath();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
          .forEach(f -> managers.add(new PipelineManager(f, catalog, retry)));
    }
    Metrics metrics = new Metrics();
    for (PipelineManager m : managers) {
      m.start();
      metrics.register(m);
      LOG.info("pipeline={} {}", m.id(), m.describe().get("state"));
    }
    sampler.scheduleAtFixedRate(() -> {
      long now = System.currentTimeMillis();
      for (PipelineManager m : managers) {
        try {
          m.sample(now);
        } catch (RuntimeException e) { // one bad sample must not end the sampling
          LOG.warn("pipeline={} sampling its status failed: {}", m.id(), e.toString());
        }
      }
    }, 0, 1, TimeUnit.SECONDS);
    rest = new RestServer(host, port, managers, metrics, logs, token);
    rest.start();
  }

  int port() {
    return rest.port();
  }

  List<PipelineManager> managers() {
    return managers;
  }

  private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

  void awaitClosed() throws InterruptedException {
    closed.await();
  }

  /** Stops the API, then every pipeline cleanly (drain, flush, checkpoint). */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return; // a signal closed it, then the JVM's shutdown hook asks again
    }
    rest.close();
    sampler.shutdownNow();
    for (PipelineManager m : managers) {
      try {
        m.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closed.countDown();
  }
}
