package dev.sluice.sink.kafka;

import static dev.sluice.sink.kafka.KafkaSinkOptions.*;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.option.Options;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The sink's options read once into typed fields, and the Kafka client settings derived from them.
 * The delivery settings are fixed here, not left to pass-through: {@code acks=all} and the idempotent
 * producer are what make "flush returns only when durable" and "no duplicate on retry" true.
 *
 * @param clientProperties the {@code properties.*} pass-through, prefix removed (secrets inside; never
 *     printed)
 */
public record SinkSettings(
    String pipelineId, Map<String, String> clientProperties, String fixedTopic, String topicPattern,
    String topicPrefix, boolean createTopics, int partitions, Integer replicationFactor,
    Map<String, String> topicConfig, String schemaChangeTopic, boolean debeziumEnvelope, boolean schemaInclude,
    boolean tombstones, boolean decimalAsNumber, boolean epochMicros, boolean keylessRowHash,
    boolean tableIdHeaders, boolean exactlyOnce, String checkpointTopic, Duration connectTimeout) {

  /** Pass-through keys that would weaken the delivery promise, or that Sluice sets itself. */
  private static final Set<String> OWN_KEYS = Set.of(ProducerConfig.ACKS_CONFIG,
      ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
      ConsumerConfig.ISOLATION_LEVEL_CONFIG);

  public SinkSettings {
    clientProperties = Map.copyOf(clientProperties);
    topicConfig = Map.copyOf(topicConfig);
  }

  public static SinkSettings from(Options o, String pipelineId) {
    Map<String, String> client = o.withPrefix(PROPERTIES);
    for (String key : client.keySet()) {
      if (OWN_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
        throw new ConfigurationException(o.where() + ": option 'properties." + key + "' cannot be set: the"
            + " Kafka sink always uses acks=all with the idempotent producer, derives transactional.id from"
            + " the pipeline id and serializes JSON itself; remove it (use sink.delivery-guarantee for"
            + " exactly-once)");
      }
    }
    String prefix = blankToNull(o.get(TOPIC_PREFIX));
    String schemaTopic = o.get(SCHEMA_CHANGE_TOPIC);
    if (schemaTopic == null) {
      schemaTopic = prefix == null ? "schema-changes" : prefix + ".schema-changes";
    }
    SinkSettings s = new SinkSettings(pipelineId, client, blankToNull(o.get(TOPIC)), o.get(TOPIC_PATTERN), prefix,
        o.get(TOPIC_CREATE).equals("auto"), o.get(TOPIC_PARTITIONS), o.get(TOPIC_REPLICATION),
        o.withPrefix(TOPIC_CONFIG), schemaTopic, o.get(VALUE_FORMAT).equals("debezium-json"),
        o.get(SCHEMA_INCLUDE), o.get(TOMBSTONES), o.get(DECIMAL_FORMAT).equals("number"),
        o.get(TIMESTAMP_FORMAT).equals("epoch-micros"), o.get(KEYLESS_PARTITIONING).equals("row-hash"),
        o.get(TABLE_ID_HEADERS), o.get(DELIVERY).equals("exactly-once"), o.get(CHECKPOINT_TOPIC),
        o.get(CONNECT_TIMEOUT));
    TopicNames.check(s, o.where());
    return s;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** The {@code transactional.id} of this pipeline's producer: a newer instance fences an older one. */
  public String transactionalId() {
    return "sluice-" + pipelineId;
  }

  /** The envelope's {@code source.name}: the topic prefix, as Debezium's logical server name, or the pipeline. */
  public String serverName() {
    return topicPrefix == null ? pipelineId : topicPrefix;
  }

  public Map<String, Object> producerProperties() {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "sluice-" + pipelineId + "-sink");
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, connectTimeout.toMillis());
    if (exactlyOnce) {
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
    }
    return p;
  }

  public Map<String, Object> adminProperties() {
    Map<String, Object> p = only(AdminClientConfig.configNames());
    p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-" + pipelineId + "-admin");
    p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) connectTimeout.toMillis());
    p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE));
    return p;
  }

  /** A consumer that reads committed data only: the checkpoint store's reader. */
  public Map<String, Object> consumerProperties() {
    Map<String, Object> p = only(ConsumerConfig.configNames());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-" + pipelineId + "-checkpoints");
    p.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) connectTimeout.toMillis());
    return p;
  }

  /** The pass-through keys a client of that kind knows, so it logs no "unknown config" warnings. */
  private Map<String, Object> only(Set<String> known) {
    Map<String, Object> p = new HashMap<>();
    clientProperties.forEach((k, v) -> {
      if (known.contains(k)) {
        p.put(k, v);
      }
    });
    return p;
  }

  /** Never shows client properties: they hold credentials (sasl.jaas.config, ssl passwords). */
  @Override
  public String toString() {
    return "SinkSettings[pipeline=" + pipelineId + " topic=" + (fixedTopic != null ? fixedTopic : topicPattern)
        + " prefix=" + topicPrefix + " exactlyOnce=" + exactlyOnce + " envelope="
        + (debeziumEnvelope ? "debezium-json" : "json") + "]";
  }
}
