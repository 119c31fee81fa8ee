package dev.sluice.sink.kafka;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.event.TableId;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's view of its topics: makes sure each exists before the first record goes to it
 * (creating it per {@code topic.create}, never leaving it to the broker's auto-creation and its
 * defaults) and knows its partition count. Every call is bounded by {@code connect.timeout}. Known
 * topics are cached: one entry per topic the pipeline writes to.
 */
final class Topics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

  private final SinkSettings settings;
  private final KafkaErrors errors;
  private final Admin admin;
  private static final Duration RETRY_PAUSE = Duration.ofMillis(100);
  private final Map<String, Integer> partitions = new HashMap<>();

  Topics(SinkSettings settings, KafkaErrors errors, Admin admin) {
    this.settings = settings;
    this.errors = errors;
    this.admin = admin;
  }

  /** Fails with a {@code ConnectionException} when no broker answers within connect.timeout. */
  void checkReachable() {
    get(admin.describeCluster().nodes(), "reaching the Kafka brokers");
  }

  /** Makes sure a table's topic exists; returns its partition count. */
  int ensureTableTopic(String topic, TableId table) {
    Integer known = partitions.get(topic); // the per-record path: no text made for a known topic
    return known != null ? known : ensure(topic, settings.partitions(), settings.topicConfig(), "table " + table);
  }

  /**
   * Makes sure a topic that needs one partition for a total order exists (schema changes,
   * checkpoints); {@code compact} adds cleanup.policy=compact.
   */
  int ensureSingle(String topic, boolean compact, String forWhat) {
    Map<String, String> config = new HashMap<>(settings.topicConfig());
    if (compact) {
      config.put("cleanup.policy", "compact");
    }
    boolean known = partitions.containsKey(topic);
    int n = ensure(topic, 1, config, forWhat);
    if (!known && compact) {
      warnUnlessCompacted(topic, forWhat);
    }
    return n;
  }

  /**
   * A checkpoint topic someone else created may delete old records by time and is never compacted:
   * the checkpoint is then lost after a downtime longer than its retention, and every start reads
   * more history. Worth a warning, not a refusal: the pipeline works.
   */
  private void warnUnlessCompacted(String topic, String forWhat) {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = await(admin.describeConfigs(Set.of(r)).values().get(r), "describing topic " + topic,
        "DESCRIBE_CONFIGS on topic '" + topic + "'", null);
    ConfigEntry policy = config.get("cleanup.policy");
    if (policy == null || !policy.value().contains("compact")) {
      LOG.warn("pipeline={} topic {} ({}) has cleanup.policy={}, not compact: a checkpoint can expire after"
          + " retention.ms and starts read its whole history; set cleanup.policy=compact on it",
          settings.pipelineId(), topic, forWhat, policy == null ? null : policy.value());
    }
  }

  private int ensure(String topic, int wanted, Map<String, String> config, String forWhat) {
    Integer known = partitions.get(topic);
    if (known != null) {
      return known;
    }
    Optional<Integer> existing = describe(topic);
    int n;
    if (existing.isPresent()) {
      n = existing.get();
    } else if (!settings.createTopics()) {
      throw new ConfigurationException("pipeline " + settings.pipelineId() + ": topic '" + topic + "' (" + forWhat
          + ") does not exist and topic.create=never; create it, or set topic.create=auto");
    } else {
      n = create(topic, wanted, config, forWhat);
    }
    partitions.put(topic, n);
    return n;
  }

  private Optional<Integer> describe(String topic) {
    KafkaFuture<TopicDescription> f = admin.describeTopics(Set.of(topic)).topicNameValues().get(topic);
    TopicDescription d = await(f, "describing topic " + topic, "DESCRIBE on topic '" + topic + "'",
        UnknownTopicOrPartitionException.class);
    return d == null ? Optional.empty() : Optional.of(d.partitions().size());
  }

  private int create(String topic, int wanted, Map<String, String> config, String forWhat) {
    Optional<Short> rf = Optional.ofNullable(settings.replicationFactor()).map(Integer::shortValue);
    NewTopic t = new NewTopic(topic, Optional.of(wanted), rf).configs(config);
    boolean created = await(admin.createTopics(List.of(t)).all().thenApply(v -> true),
        "creating topic " + topic + " for " + forWhat, "CREATE on topic '" + topic + "' (or on the cluster)",
        TopicExistsException.class) != null;
    if (!created) {
      return describe(topic).orElse(wanted); // created meanwhile by someone else
    }
    awaitLeaders(topic, wanted);
    LOG.info("pipeline={} created topic {} ({} partitions) for {}", settings.pipelineId(), topic, wanted, forWhat);
    return wanted;
  }

  /**
   * Waits until every partition of a new topic has a leader that answers. Sending before that is
   * not just slow: an idempotent producer whose first batch to a partition gets NOT_LEADER can be
   * left retrying OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms (seen with Kafka 4.1).
   * Listing offsets goes to each leader and is retried by the admin client until it answers; but
   * right after the creation the broker that answers metadata may not know the topic yet, and the
   * admin client fails that at once (seen under load: "metadata for topic ... could not be found"),
   * so that is retried here, within connect.timeout.
   */
  /**
   * Fails with a {@code ConfigurationException} unless the sink's principal may read the topic.
   * Reading a topic to its end takes no fetch while it is empty, so without this a principal
   * lacking READ would pass the first start and fail at a later one, once there is something to
   * read. Brokers that do not report authorized operations are not asked twice: the read itself
   * then fails as clearly.
   */
  void requireRead(String topic, String forWhat) {
    String what = "reading " + forWhat + " from topic " + topic;
    String needs = "READ on topic '" + topic + "'";
    TopicDescription d = await(admin.describeTopics(Set.of(topic),
        new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues().get(topic), what, needs, null);
    Set<AclOperation> ops = d.authorizedOperations();
    if (ops != null && !ops.contains(AclOperation.READ) && !ops.contains(AclOperation.ALL)) {
      throw errors.translate(new TopicAuthorizationException(Set.of(topic)), what, needs);
    }
  }

  private void awaitLeaders(String topic, int count) {
    Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
    for (int p = 0; p < count; p++) {
      spec.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    String what = "waiting for the leaders of new topic " + topic;
    long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      try {
        await(admin.listOffsets(spec).all(), what, "DESCRIBE on topic '" + topic + "'", null,
            Duration.ofNanos(Math.max(left, 1)));
        return;
      } catch (ConnectionException e) {
        if (deadline - System.nanoTime() < RETRY_PAUSE.toNanos()) {
          throw e;
        }
        LOG.debug("pipeline={} {}: {}; retrying", settings.pipelineId(), what, e.getMessage());
        pause();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.common.errors.InterruptException(e);
    }
  }

  private <T> T get(KafkaFuture<T> f, String what) {
    return await(f, what, null, null);
  }

  /**
   * The future's value within connect.timeout; {@code null} when it failed with {@code tolerated}.
   * {@code needs} names the permission the call needs, for the error when it is refused.
   */
  private <T> T await(KafkaFuture<T> f, String what, String needs, Class<? extends Throwable> tolerated) {
    return await(f, what, needs, tolerated, settings.connectTimeout());
  }

  private <T> T await(KafkaFuture<T> f, String what, String needs, Class<? extends Throwable> tolerated,
      Duration timeout) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (tolerated != null && tolerated.isInstance(e.getCause())) {
        return null;
      }
      throw errors.translate(e.getCause(), what, needs);
    } catch (TimeoutException e) {
      throw errors.translate(new org.apache.kafka.common.errors.TimeoutException(
          "no answer within " + timeout.toMillis() + " ms"), what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.common.errors.InterruptException(e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
