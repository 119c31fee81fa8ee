package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chunks are released by the log's reached position even when every binlog event belongs to a
 * table that is not captured: Debezium filters them out, its heartbeats still move the position.
 */
class FilteredLogIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void snapshotFinishesWhileOnlyUncapturedTablesAreWritten(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.captured (id INT PRIMARY KEY, v INT)", "CREATE TABLE $db.noise (id INT PRIMARY KEY "
          + "AUTO_INCREMENT, v INT)");
      StringBuilder rows = new StringBuilder("INSERT INTO $db.captured VALUES ");
      for (int i = 1; i <= 3000; i++) {
        rows.append(i == 1 ? "" : ",").append('(').append(i).append(',').append(i).append(')');
      }
      db.sql(rows.toString());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong noise = new AtomicLong();
      Thread writer = new Thread(() -> {
        try (Connection c = db.admin(); Statement s = c.createStatement()) {
          while (!stop.get()) {
            s.executeUpdate("INSERT INTO noise (v) VALUES (1)");
            noise.incrementAndGet();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "noise-writer");
      writer.start();
      try (MySqlSource source = db.source(Map.of("tables", db.name + "\\.captured"))) {
        CollectingSink sink = new CollectingSink();
        Pipeline p = SourceFixtures.pipeline("filtered", source, sink, dir, 4, 50);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        TableId t = db.table("captured");
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.rows(t).size() == 3000);
        assertThat(noise.get()).as("uncaptured writes during the snapshot").isPositive();
        stop.set(true);
        writer.join();
        assertThat(sink.events()).allMatch(e -> e.table().equals(t));
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      } finally {
        stop.set(true);
        writer.join();
      }
    }
  }
}
