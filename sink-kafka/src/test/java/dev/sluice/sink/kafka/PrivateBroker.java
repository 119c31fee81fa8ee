package dev.sluice.sink.kafka;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: a single-node KRaft broker of this test's own, in a child JVM on free ports, that a
 * test may kill (SIGKILL, as a crash) and start again on the same data. The shared broker of the
 * test environment is never touched.
 *
 * <p>{@link #startSecured} adds what authorization needs: a SASL/PLAIN listener for the given users,
 * Kafka's StandardAuthorizer with {@code allow.everyone.if.no.acl.found=false}, and the PLAINTEXT
 * listener (the broker's own and the test's administration) as the one super user, ANONYMOUS.
 */
final class PrivateBroker implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final int saslPort;
  private Process process;

  private PrivateBroker(Path dir, int port, int saslPort) {
    this.dir = dir;
    this.port = port;
    this.saslPort = saslPort;
  }

  static PrivateBroker start(Path dir) throws IOException, InterruptedException {
    return start(dir, Map.of());
  }

  /** A broker that authorizes: {@code users} (name to password) log in over SASL/PLAIN. */
  static PrivateBroker startSecured(Path dir, Map<String, String> users) throws IOException, InterruptedException {
    return start(dir, users);
  }

  private static PrivateBroker start(Path dir, Map<String, String> users) throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("data"));
    int port = freePort();
    int controller = freePort();
    int sasl = users.isEmpty() ? -1 : freePort();
    String listeners = "PLAINTEXT://127.0.0.1:" + port + (sasl < 0 ? "" : ",CLIENT://127.0.0.1:" + sasl);
    List<String> secured = new ArrayList<>();
    if (sasl >= 0) {
      StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
      users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
      secured.addAll(List.of("listener.name.client.sasl.enabled.mechanisms=PLAIN",
          "listener.name.client.plain.sasl.jaas.config=" + jaas + ";",
          "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
          "allow.everyone.if.no.acl.found=false", "super.users=User:ANONYMOUS"));
    }
    List<String> config = new ArrayList<>(List.of(
        "process.roles=broker,controller", "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controller,
        "listeners=" + listeners + ",CONTROLLER://127.0.0.1:" + controller,
        "advertised.listeners=" + listeners, "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,CLIENT:SASL_PLAINTEXT",
        "log.dirs=" + dir.resolve("data"), "num.partitions=1", "auto.create.topics.enable=false",
        "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1", "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1", "group.initial.rebalance.delay.ms=0"));
    config.addAll(secured);
    config.add("");
    Files.writeString(dir.resolve("server.properties"), String.join("\n", config));
    String clusterId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    Process format = java(dir.resolve("format.log"), "kafka.tools.StorageTool", "format",
        "--cluster-id=" + clusterId, "-c", dir.resolve("server.properties").toString());
    if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
      throw new IllegalStateException("formatting the private broker failed; see " + dir.resolve("format.log"));
    }
    PrivateBroker b = new PrivateBroker(dir, port, sasl);
    b.launch();
    return b;
  }

  /** The PLAINTEXT listener: on a secured broker, the super user. */
  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** The SASL/PLAIN listener of a secured broker. */
  String saslBootstrap() {
    return "127.0.0.1:" + saslPort;
  }

  /** Kills the broker as a crash would, and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** Starts the broker again on the same data and ports; returns once it accepts connections. */
  void launch() throws IOException {
    process = java(dir.resolve("kafka.log"), "kafka.Kafka", dir.resolve("server.properties").toString());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(this::accepting);
  }

  private boolean accepting() {
    if (!process.isAlive()) {
      throw new IllegalStateException("the private broker exited; see " + dir.resolve("kafka.log"));
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Process java(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
        "-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          kill();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
