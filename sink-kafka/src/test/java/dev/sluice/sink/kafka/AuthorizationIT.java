package dev.sluice.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.option.Options;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.runtime.Supervisor;
import dev.sluice.core.runtime.Supervisor.RetryPolicy;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Authorization end to end, on a private broker with Kafka's StandardAuthorizer and SASL/PLAIN
 * users: a principal that may not write a table's topic, one that may not create it, and in
 * exactly-once mode one that may not use its transactional id and one that may not read its
 * checkpoint topic, each stop the pipeline under the supervisor with a {@code ConfigurationException}
 * naming the resource and the permission it lacks, once (not retried as if the broker were away),
 * within connect.timeout.
 */
class AuthorizationIT {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  @TempDir
  static Path dir;
  private static PrivateBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = PrivateBroker.startSecured(dir.resolve("broker"), Map.of("nowrite", "nowrite-pw",
        "nocreate", "nocreate-pw", "notxn", "notxn-pw", "noread", "noread-pw"));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
      List<AclBinding> acls = new ArrayList<>(List.of(
          // Both may run an idempotent producer and see their topics.
          allow("nowrite", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE),
          allow("nowrite", ResourceType.TOPIC, "authz.nowrite.", PatternType.PREFIXED, AclOperation.DESCRIBE),
          allow("nowrite", ResourceType.TOPIC, "authz.nowrite.", PatternType.PREFIXED, AclOperation.CREATE),
          allow("nocreate", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE),
          allow("nocreate", ResourceType.TOPIC, "authz.nocreate.", PatternType.PREFIXED, AclOperation.DESCRIBE),
          allow("nocreate", ResourceType.TOPIC, "authz.nocreate.", PatternType.PREFIXED, AclOperation.WRITE)));
      // Both have every permission an at-least-once sink needs on their topics (the checkpoint
      // topic among them); notxn may read it but only see its transactional id, noread may use its
      // transactional id but never read a topic.
      for (String user : List.of("notxn", "noread")) {
        acls.add(allow(user, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE));
        for (AclOperation op : List.of(AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.CREATE,
            AclOperation.WRITE)) {
          acls.add(allow(user, ResourceType.TOPIC, "authz." + user + ".", PatternType.PREFIXED, op));
        }
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, "sluice-authz." + user, PatternType.LITERAL,
            AclOperation.DESCRIBE));
      }
      acls.add(allow("notxn", ResourceType.TOPIC, "authz.notxn.", PatternType.PREFIXED, AclOperation.READ));
      acls.add(allow("noread", ResourceType.TRANSACTIONAL_ID, "sluice-authz.noread", PatternType.LITERAL,
          AclOperation.WRITE));
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
      // noread's checkpoint topic holds another pipeline's checkpoint, so reading it to its end
      // takes a fetch (an empty topic's end is reached without one).
      admin.createTopics(List.of(new NewTopic("authz.noread.checkpoints", Optional.of(1), Optional.empty())
          .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrap()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("authz.noread.checkpoints", "another-pipeline".getBytes(StandardCharsets.UTF_8),
          "{}".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation op) {
    return new AclBinding(new ResourcePattern(type, name, pattern),
        new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
  }

  /** The users' names say what they lack; their topics are named after them. */
  @ParameterizedTest
  @CsvSource({"nowrite, WRITE", "nocreate, CREATE"})
  void withoutAPermissionForItsTopicThePipelineStopsNamingTopicAndPermission(String user, String lacking)
      throws Exception {
    Throwable failure = runAs(user, user + "-pw", "authz." + user);
    assertThat(failure).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("lacks " + lacking + " on topic 'authz." + user + ".testdb.t'")
        .hasMessageNotContaining(user + "-pw");
  }

  /**
   * Exactly-once: without WRITE on its transactional id the transactional producer cannot start;
   * without READ on the checkpoint topic the checkpoint cannot be read back.
   */
  @Test
  void exactlyOnceWithoutWriteOnItsTransactionalIdThePipelineStopsNamingIt() throws Exception {
    Throwable failure = runAs("notxn", "notxn-pw", "authz.notxn", Delivery.EXACTLY_ONCE, "authz.notxn.checkpoints");
    assertThat(failure).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("transactional.id sluice-authz.notxn")
        .hasMessageContaining("WRITE")
        .hasMessageNotContaining("notxn-pw");
  }

  /**
   * Both on a checkpoint topic holding another pipeline's checkpoint and on a new one the sink
   * creates: an empty topic's end is reached without reading, yet the first start must fail, not a
   * later one once checkpoints were written.
   */
  @ParameterizedTest
  @CsvSource({"authz.noread.checkpoints", "authz.noread.new-checkpoints"})
  void exactlyOnceWithoutReadOnTheCheckpointTopicThePipelineStopsNamingIt(String checkpointTopic) throws Exception {
    Throwable failure = runAs("noread", "noread-pw", "authz.noread", Delivery.EXACTLY_ONCE, checkpointTopic);
    assertThat(failure).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("lacks READ on topic '" + checkpointTopic + "'")
        .hasMessageNotContaining("noread-pw");
  }

  private static Throwable runAs(String user, String password, String prefix) throws Exception {
    return runAs(user, password, prefix, Delivery.AT_LEAST_ONCE, null);
  }

  /** Runs a pipeline as {@code user} under the supervisor; returns what stopped it. */
  private static Throwable runAs(String user, String password, String prefix, Delivery delivery,
      String checkpointTopic) throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    new Workload(db, 7, 10).addTable("t", KeyKind.DENSE, 20);
    Map<String, String> raw = new HashMap<>(Map.of("properties.bootstrap.servers", broker.saslBootstrap(),
        "properties.security.protocol", "SASL_PLAINTEXT", "properties.sasl.mechanism", "PLAIN",
        "properties.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + user + "\" password=\"" + password + "\";",
        "topic.prefix", prefix, "connect.timeout", CONNECT_TIMEOUT.toSeconds() + "s"));
    if (delivery == Delivery.EXACTLY_ONCE) {
      raw.put("sink.delivery-guarantee", "exactly-once");
      raw.put("checkpoint.topic", checkpointTopic);
    }
    AtomicInteger attempts = new AtomicInteger();
    Supervisor supervisor = new Supervisor(prefix, () -> {
      attempts.incrementAndGet();
      return new Pipeline(prefix, new MemorySource(db),
          new KafkaSinkFactory().create(Options.parse("test", KafkaSinkOptions.ALL, raw), prefix),
          new FileCheckpointStore(dir, prefix),
          new PipelineOptions(SnapshotOptions.DEFAULTS, 100, Duration.ofMillis(200), delivery), null);
    }, new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(1))).start();
    // Within connect.timeout: a refusal is an answer, not a wait.
    assertThat(supervisor.await(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("stopped for good").isTrue();
    assertThat(attempts.get()).as("pipelines started: a refusal is not retried").isEqualTo(1);
    return supervisor.failure().orElseThrow();
  }
}
