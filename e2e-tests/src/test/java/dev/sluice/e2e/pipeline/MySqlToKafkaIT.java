package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/mysql-to-kafka.yaml through the real sluice command against MySQL 8 and Kafka, with
 * writes all along: SIGTERM during the snapshot, restart, SIGKILL while streaming, restart; then the
 * last value of every key in the topic equals the table.
 */
class MySqlToKafkaIT {
  private static final ObjectMapper JSON = new ObjectMapper();
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
        TimeUnit.MILLISECONDS.sleep(2500); // the crash point: inside the snapshot of 40k rows
        assertThat(first.terminate()).as("exit code after SIGTERM; seed %s; output:%n%s", seed, first.output()).isZero();
      }
      try (SluiceProcess second = SluiceProcess.start(work, env, "run", example.toString())) {
        await().atMost(Duration.ofSeconds(90)).until(() -> topicState(db).size() > 30_000);
        second.kill(); // while streaming
      }
      try (SluiceProcess third = SluiceProcess.start(work, env, "run", example.toString())) {
        TimeUnit.SECONDS.sleep(1);
        w.stopWriting();
        Map<Long, String> expected = w.rows();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
            .untilAsserted(() -> assertThat(topicState(db)).as("seed %s", seed).isEqualTo(expected));
        assertThat(third.terminate()).as("output:%n%s", third.output()).isZero();
      }
      assertThat(w.writes()).isPositive();
    }
  }

  /** The topic read from the start: each key's last value, deletes removing it. */
  private static Map<Long, String> topicState(String db) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafkaBootstrap());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<Long, String> state = new TreeMap<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      String topic = db + ".orders";
      if (!c.listTopics().containsKey(topic)) {
        return state;
      }
      var partitions = c.partitionsFor(topic).stream()
          .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
          long id = JSON.readTree(r.key()).get("id").asLong();
          if (r.value() == null) {
            state.remove(id);
            continue;
          }
          JsonNode after = JSON.readTree(r.value()).get("after");
          if (after == null || after.isNull()) {
            state.remove(id);
          } else {
            state.put(id, after.get("name").asText() + "|" + after.get("qty").asInt() + "|" + after.get("version").asLong());
          }
        }
      }
    }
    return state;
  }

}
