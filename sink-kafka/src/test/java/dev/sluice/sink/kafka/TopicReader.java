package dev.sluice.sink.kafka;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testsupport.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Test fixture: a plain consumer (committed data only) that reads topics from the beginning and
 * keeps every record, decoded with nothing but Jackson, as a Debezium consumer would.
 */
final class TopicReader implements AutoCloseable {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** One record as a consumer sees it. */
  record Rec(String topic, int partition, long offset, byte[] keyBytes, JsonNode key, JsonNode value,
      Map<String, String> headers) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Rec> records = new ArrayList<>();

  TopicReader(Set<String> topics) {
    this(TestServers.kafkaBootstrap(), topics);
  }

  TopicReader(String bootstrap, Set<String> topics) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // the sink must create them, not us
    consumer = new KafkaConsumer<>(p);
    List<TopicPartition> parts = new ArrayList<>();
    for (String t : topics) {
      // The sink creates its topics on first write: wait for them.
      await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.partitionsFor(t, Duration.ofSeconds(5)).isEmpty());
      consumer.partitionsFor(t, Duration.ofSeconds(10)).forEach(i -> parts.add(new TopicPartition(t, i.partition())));
    }
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
  }

  /** Reads what has arrived since the last call; returns every record read so far. */
  List<Rec> poll() {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
      Map<String, String> headers = new HashMap<>();
      for (Header h : r.headers()) {
        headers.put(h.key(), new String(h.value(), java.nio.charset.StandardCharsets.UTF_8));
      }
      records.add(new Rec(r.topic(), r.partition(), r.offset(), r.key(), parse(r.key()), parse(r.value()), headers));
    }
    return records;
  }

  /** Every record read until now. */
  List<Rec> all() {
    return records;
  }

  static JsonNode parse(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Topics whose name starts with {@code prefix}. */
  static Set<String> topicsStartingWith(String prefix) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestServers.kafkaBootstrap()))) {
      return admin.listTopics().names().get().stream().filter(t -> t.startsWith(prefix)).collect(Collectors.toSet());
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
