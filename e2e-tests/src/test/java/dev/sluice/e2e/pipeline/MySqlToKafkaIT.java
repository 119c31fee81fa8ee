package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/mysql-to-kafka.yaml through the real sluice command against MySQL 8 and Kafka, with
 * writes all along: SIGTERM during the snapshot, restart, SIGKILL while streaming, restart; then the
 * last value of every key in the topic equals the table.
 */
class MySqlToKafkaIT {
  @TempDir Path work;

  @Test
  void snapshotAndStreamSurviveACleanStopAndACrash() throws Exception {
    long seed = System.nanoTime();
    String db = "e2e_kafka_" + Long.toHexString(seed).substring(0, 8);
    JdbcEndpoint mysql = TestServers.mysql();
    Path example = Path.of("..", "examples", "mysql-to-kafka.yaml").toAbsolutePath().normalize();
    Map<String, String> env = Map.of("MYSQL_HOST", mysql.host(), "MYSQL_PORT", String.valueOf(mysql.port()),
        "MYSQL_USER", mysql.user(), "MYSQL_PASSWORD", mysql.password(), "MYSQL_DATABASE", db,
        "MYSQL_SERVER_ID", String.valueOf(6000 + (seed & 0xfff)), "KAFKA_BOOTSTRAP", TestServers.kafkaBootstrap());
    try (MySqlWorkload w = new MySqlWorkload(mysql, db, seed)) {
      w.create(40_000);
      w.startWriting();
      try (SluiceProcess first = SluiceProcess.start(work, env, "run", example.toString())) {
        first.awaitOutput("snapshot started");
        TimeUnit.MILLISECONDS.sleep(500); // the stop point: inside the snapshot of 40k rows
        assertThat(first.terminate()).as("exit code after SIGTERM; seed %s; output:%n%s", seed, first.output()).isZero();
      }
      try (SluiceProcess second = SluiceProcess.start(work, env, "run", example.toString())) {
        await().atMost(Duration.ofSeconds(90)).until(() -> TopicState.read(db + ".orders").size() > 30_000);
        second.kill(); // while streaming
      }
      try (SluiceProcess third = SluiceProcess.start(work, env, "run", example.toString())) {
        TimeUnit.SECONDS.sleep(1);
        w.stopWriting();
        Map<Long, String> expected = w.rows();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
            .untilAsserted(() -> assertThat(TopicState.read(db + ".orders")).as("seed %s", seed).isEqualTo(expected));
        assertThat(third.terminate()).as("output:%n%s", third.output()).isZero();
      }
      assertThat(w.writes()).isPositive();
    }
  }
}
