package dev.sluice.bench;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.connect.source.SourceRecord;

/** Debezium's MySQL connector configured as its documentation shows, for the bench's database. */
final class DebeziumSetup {
  static final String PREFIX = "bench";

  private DebeziumSetup() {}

  static Properties properties(Server server, String table, String name) {
    Properties p = new Properties();
    p.setProperty("name", name);
    p.setProperty("connector.class", "io.debezium.connector.mysql.MySqlConnector");
    p.setProperty("database.hostname", server.host());
    p.setProperty("database.port", Integer.toString(server.port()));
    p.setProperty("database.user", server.user());
    p.setProperty("database.password", server.password());
    p.setProperty("database.allowPublicKeyRetrieval", "true");
    p.setProperty("database.server.id", Integer.toString(16400 + (int) (ProcessHandle.current().pid() % 10_000)));
    p.setProperty("topic.prefix", PREFIX);
    p.setProperty("database.include.list", Server.DATABASE);
    p.setProperty("table.include.list", Server.DATABASE + "\\." + table);
    // Sluice takes no lock either; and the server is shared with other work.
    p.setProperty("snapshot.locking.mode", "none");
    p.setProperty("decimal.handling.mode", "precise");
    return p;
  }

  static String topic(String table) {
    return PREFIX + "." + Server.DATABASE + "." + table;
  }

  /**
   * Debezium's embedded engine on a thread of its own, counting (and metering) the records that
   * {@code counts} accepts until there are {@code target} of them or the engine fails.
   */
  static final class CountingEngine {
    private final AtomicLong count = new AtomicLong();
    private final CountDownLatch reached = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    CountingEngine(Properties props, Predicate<SourceRecord> counts, long target, Meter meter) {
      engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class)).using(props)
          .notifying(event -> {
            if (counts.test(event.record())) {
              meter.row();
              if (count.incrementAndGet() >= target) {
                reached.countDown();
              }
            }
          })
          .using((success, message, error) -> {
            if (!success) {
              failure.set(error != null ? error : new IllegalStateException(message));
              reached.countDown();
            }
          })
          .build();
      runner.execute(engine);
    }

    /** Whether the target was reached (or the engine failed) within the time. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
      return reached.await(timeout, unit);
    }

    long count() {
      return count.get();
    }

    /** Closes the engine, waits for its thread, and throws the engine's failure if there was one. */
    void stop() throws IOException, InterruptedException {
      engine.close();
      runner.shutdown();
      runner.awaitTermination(60, TimeUnit.SECONDS);
      if (failure.get() != null) {
        throw new IllegalStateException("Debezium failed", failure.get());
      }
    }
  }
}
