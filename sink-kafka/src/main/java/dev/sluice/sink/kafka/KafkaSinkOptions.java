package dev.sluice.sink.kafka;

import dev.sluice.core.option.Option;
import java.time.Duration;
import java.util.List;

/**
 * Every option of the Kafka sink, declared once. Names follow Flink CDC's Kafka pipeline sink where
 * it has the same option ({@code properties.*}, {@code topic}, {@code value.format},
 * {@code sink.add-tableId-to-header-enabled}, {@code sink.delivery-guarantee}); the rest are Sluice's
 * own. Validation, defaults, {@code sluice describe} and the module README come from this list.
 */
public final class KafkaSinkOptions {
  private KafkaSinkOptions() {}

  public static final Option<String> BOOTSTRAP_SERVERS = Option.string("properties.bootstrap.servers",
      "Kafka brokers to connect to, host:port[,host:port...]").asRequired();

  public static final Option<String> PROPERTIES = Option.prefix("properties.",
      "any Kafka producer/admin/consumer setting, passed through without the prefix (batching, compression,"
          + " security); the delivery settings acks, enable.idempotence and transactional.id are Sluice's own");

  public static final Option<String> TOPIC = Option.string("topic",
      "one fixed topic for every table; when unset, topic.pattern names one topic per table");

  public static final Option<String> TOPIC_PATTERN = Option.string("topic.pattern",
      "topic of a table; ${db}, ${schema} and ${table} are replaced, and a placeholder with no value"
          + " (no schema in MySQL) is dropped with its dot").withDefault("${db}.${schema}.${table}");

  public static final Option<String> TOPIC_PREFIX = Option.string("topic.prefix",
      "prepended with a dot to every topic name (also the source.name of the envelope)");

  public static final Option<String> TOPIC_CREATE = Option.oneOf("topic.create", List.of("auto", "never"),
      "auto creates a missing topic with topic.partitions and topic.replication-factor; never fails on a"
          + " missing topic").withDefault("auto");

  public static final Option<Integer> TOPIC_PARTITIONS = Option.integer("topic.partitions", 1,
      "partitions of a topic the sink creates; changes of one key always go to one partition")
      .withDefault("1");

  public static final Option<Integer> TOPIC_REPLICATION = Option.integer("topic.replication-factor", 1,
      "replication factor of topics the sink creates; unset uses the broker's default.replication.factor");

  public static final Option<String> TOPIC_CONFIG = Option.prefix("topic.config.",
      "topic-level settings for topics the sink creates, e.g. topic.config.cleanup.policy=compact");

  public static final Option<String> SCHEMA_CHANGE_TOPIC = Option.string("schema-change.topic",
      "topic of schema change events (one partition); unset: <topic.prefix>.schema-changes, or"
          + " schema-changes without a prefix");

  public static final Option<String> VALUE_FORMAT = Option.oneOf("value.format",
      List.of("debezium-json", "json"),
      "debezium-json: Debezium's JSON envelope (before, after, source, op, ts_ms); json: the row plus"
          + " __op, __table and __ts_ms").withDefault("debezium-json");

  public static final Option<Boolean> SCHEMA_INCLUDE = Option.bool("debezium-json.schema-include",
      "wrap keys and values as {schema, payload} like Kafka Connect's JsonConverter with schemas.enable")
      .withDefault("false");

  public static final Option<Boolean> TOMBSTONES = Option.bool("tombstones.enabled",
      "after a delete, also send a record with the same key and a null value, so compaction removes the key")
      .withDefault("false");

  public static final Option<String> DECIMAL_FORMAT = Option.oneOf("decimal.format", List.of("string", "number"),
      "DECIMAL values as exact strings (\"12.50\") or as exact JSON numbers (12.50)").withDefault("string");

  public static final Option<String> TIMESTAMP_FORMAT = Option.oneOf("timestamp.format",
      List.of("iso", "epoch-micros"),
      "TIMESTAMP and TIMESTAMP_TZ values as ISO-8601 text or as microseconds since 1970-01-01T00:00Z")
      .withDefault("iso");

  public static final Option<String> KEYLESS_PARTITIONING = Option.oneOf("keyless.partitioning",
      List.of("row-hash", "partition-0"),
      "partition of a row of a table without key: a hash of the whole row, or always partition 0 (total"
          + " order)").withDefault("row-hash");

  public static final Option<Boolean> TABLE_ID_HEADERS = Option.bool("sink.add-tableId-to-header-enabled",
      "add the headers namespace, schemaName and tableName to every record").withDefault("false");

  public static final Option<String> DELIVERY = Option.oneOf("sink.delivery-guarantee",
      List.of("at-least-once", "exactly-once"),
      "exactly-once uses a transactional producer and keeps the pipeline's checkpoint in checkpoint.topic;"
          + " set from the pipeline's delivery").withDefault("at-least-once");

  public static final Option<String> CHECKPOINT_TOPIC = Option.string("checkpoint.topic",
      "compacted topic holding checkpoints in exactly-once mode, one record per pipeline")
      .withDefault("sluice-checkpoints");

  public static final Option<Duration> CONNECT_TIMEOUT = Option.duration("connect.timeout",
      "how long a call may wait for the brokers (metadata, topic creation, transactions) before it fails")
      .withDefault("30s");

  public static final List<Option<?>> ALL = List.of(BOOTSTRAP_SERVERS, PROPERTIES, TOPIC, TOPIC_PATTERN,
      TOPIC_PREFIX, TOPIC_CREATE, TOPIC_PARTITIONS, TOPIC_REPLICATION, TOPIC_CONFIG, SCHEMA_CHANGE_TOPIC,
      VALUE_FORMAT, SCHEMA_INCLUDE, TOMBSTONES, DECIMAL_FORMAT, TIMESTAMP_FORMAT, KEYLESS_PARTITIONING,
      TABLE_ID_HEADERS, DELIVERY, CHECKPOINT_TOPIC, CONNECT_TIMEOUT);
}
