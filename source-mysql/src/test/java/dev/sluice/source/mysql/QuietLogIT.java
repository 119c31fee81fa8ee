package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.Position;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.LogBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On a server that falls quiet after a write, the log's position passes the high watermark taken
 * after the write (through the server's heartbeat, since the write's last events get no Debezium
 * heartbeat of their own), only after the write's captured change has been returned, and never
 * beyond the end of the binlog.
 */
class QuietLogIT {

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void aQuietLogPassesTheHighWatermarkOnlyAfterItsChanges(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t (id INT PRIMARY KEY, v INT)", "CREATE TABLE $db.noise (id INT PRIMARY KEY, v INT)");
      try (MySqlSource source = db.source(Map.of("tables", db.name + "\\.t"));
          ChangeLog log = source.openLog(source.lowWatermark(), Map.of())) {
        for (int i = 1; i <= 4; i++) {
          // A captured change, then one the log filters out, then nothing.
          db.sql("INSERT INTO $db.t VALUES (" + i + ", 0)", "INSERT INTO $db.noise VALUES (" + i + ", 0)");
          Position high = source.highWatermark();
          List<Event> seen = new ArrayList<>();
          int id = i;
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> {
            LogBatch b = log.poll(20, TimeUnit.MILLISECONDS);
            seen.addAll(b.events());
            assertThat(source.comparePositions(b.reached(), source.highWatermark()))
                .as("reached %s is within the binlog", b.reached()).isLessThanOrEqualTo(0);
            boolean passed = source.comparePositions(b.reached(), high) >= 0;
            if (passed) {
              assertThat(seen).as("the insert of %s came before reached passed %s", id, high)
                  .anyMatch(e -> e instanceof ChangeEvent c && c.after() != null && c.after().get(0).equals(id));
            }
            return passed;
          });
        }
      }
    }
  }
}
