package dev.sluice.e2e.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testsupport.TestServers;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The state a topic describes: each key's last row (and, for the orders workload, "name|qty|version"). */
final class TopicState {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TopicState() {}

  /** The topic read from the start: each key's last value, deletes removing it. */
  static Map<Long, String> read(String topic) throws Exception {
    Map<Long, String> state = new TreeMap<>();
    lastValues(topic).forEach((id, after) -> state.put(id,
        after.get("name").asText() + "|" + after.get("qty").asInt() + "|" + after.get("version").asLong()));
    return state;
  }

  /**
   * The topic read from the start: for each key's {@code id}, the {@code after} row of its last
   * Debezium-JSON value; a delete or a tombstone removes the key.
   */
  static Map<Long, JsonNode> lastValues(String topic) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafkaBootstrap());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<Long, JsonNode> state = new TreeMap<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
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
          JsonNode after = r.value() == null ? null : JSON.readTree(r.value()).get("after");
          if (after == null || after.isNull()) {
            state.remove(id);
          } else {
            state.put(id, after);
          }
        }
      }
    }
    return state;
  }
}
