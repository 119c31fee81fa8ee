package dev.sluice.bench;

import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.option.Options;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.runtime.StartupMode;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.sink.SinkFactory;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.sink.jdbc.JdbcSinkFactory;
import dev.sluice.sink.kafka.KafkaSinkFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A table's snapshot delivered into a real target, Sluice against hand-written code that moves the
 * same rows: into Kafka (Sluice's sink, Debezium JSON) against a JDBC read feeding a bare producer
 * loop with the same acknowledgement settings; into PostgreSQL (Sluice's upserting JDBC sink)
 * against a JDBC read feeding 1000-row multi-row INSERTs. Each run ends once everything is
 * acknowledged (Sluice: its pipeline has flushed and stopped after the snapshot).
 */
final class EndToEndRunners {
  private final Server server;
  private final String table;
  private final long rows;
  private final int parallelism;

  EndToEndRunners(Server server, Map<String, String> o) {
    this.server = server;
    this.table = Runner.require(o, "table");
    this.rows = Long.parseLong(Runner.require(o, "rows"));
    this.parallelism = Integer.parseInt(o.getOrDefault("p", "4"));
  }

  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException("environment variable " + name + " is not set (scripts/bench.sh sets it)");
    }
    return v;
  }

  private static String topicName() {
    return "bench-sluice-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis();
  }

  private static void deleteTopic(String topic) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env("SLUICE_KAFKA_BOOTSTRAP"));
    try (Admin admin = Admin.create(p)) {
      admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("could not delete topic " + topic + ": " + e);
    }
  }

  private String postgresUrl() {
    return "jdbc:postgresql://" + env("SLUICE_POSTGRES_HOST") + ":" + env("SLUICE_POSTGRES_PORT") + "/"
        + env("SLUICE_POSTGRES_DATABASE");
  }

  private Connection postgres() throws SQLException {
    return DriverManager.getConnection(postgresUrl(), env("SLUICE_POSTGRES_ADMIN_USER"),
        env("SLUICE_POSTGRES_ADMIN_PASSWORD"));
  }

  /** An empty schema {@code bench_sluice} in the PostgreSQL test database. */
  private void freshPostgresSchema() throws SQLException {
    try (Connection c = postgres(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + Server.DATABASE + " CASCADE");
      s.execute("CREATE SCHEMA " + Server.DATABASE);
    }
  }

  private Map<String, String> sluiceInto(SinkFactory factory, Map<String, String> sinkOptions) throws Exception {
    Meter meter = new Meter(server.serverPid());
    meter.start();
    Sink sink = factory.create(Options.parse("bench sink", factory.options(), sinkOptions), "bench");
    PipelineOptions options = new PipelineOptions(SnapshotOptions.of(parallelism, 8096), 2048, Duration.ofSeconds(10),
        Delivery.AT_LEAST_ONCE, StartupMode.SNAPSHOT_ONLY);
    Pipeline p = new Pipeline("bench", SluiceSetup.source(server, table, Map.of()), sink,
        new FileCheckpointStore(Files.createTempDirectory("sluice-bench-e2e"), "bench"), options, null)
        .ownsConnectors().start();
    if (!p.await(600, TimeUnit.SECONDS)) {
      p.kill();
      throw new IllegalStateException("the pipeline did not finish the snapshot in 600 s");
    }
    meter.end();
    if (p.failure().isPresent()) {
      throw new IllegalStateException("pipeline failed", p.failure().get());
    }
    long written = p.status().eventsWritten();
    if (written != rows) {
      throw new IllegalStateException("the pipeline wrote " + written + " rows, expected " + rows);
    }
    return meter.result(written);
  }

  Map<String, String> sluiceKafka() throws Exception {
    String topic = topicName();
    Map<String, String> o = new HashMap<>();
    o.put("properties.bootstrap.servers", env("SLUICE_KAFKA_BOOTSTRAP"));
    o.put("topic", topic);
    try {
      return sluiceInto(new KafkaSinkFactory(), o);
    } finally {
      deleteTopic(topic);
    }
  }

  Map<String, String> sluicePostgres() throws Exception {
    freshPostgresSchema();
    Map<String, String> o = new HashMap<>();
    o.put("url", postgresUrl());
    o.put("username", env("SLUICE_POSTGRES_ADMIN_USER"));
    o.put("password", env("SLUICE_POSTGRES_ADMIN_PASSWORD"));
    o.put("target.schema", Server.DATABASE);
    Map<String, String> r = sluiceInto(new JdbcSinkFactory(), o);
    requirePostgresRows(table);
    return r;
  }

  private void requirePostgresRows(String target) throws SQLException {
    try (Connection c = postgres(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + Server.DATABASE + "." + target)) {
      rs.next();
      if (rs.getLong(1) != rows) {
        throw new IllegalStateException("PostgreSQL holds " + rs.getLong(1) + " rows, expected " + rows);
      }
    }
  }

  /** Reads the narrow-shaped table in key order with the driver's streaming and hands each row over. */
  private interface RowHandler {
    void row(long id, int i, String s1, String s2, java.math.BigDecimal d, LocalDateTime t) throws Exception;
  }

  private long readAll(Meter meter, RowHandler handler) throws Exception {
    long n = 0;
    try (Connection c = server.connect(); PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table
        + " ORDER BY id", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      ps.setFetchSize(Integer.MIN_VALUE);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          meter.row();
          handler.row(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getBigDecimal(5),
              rs.getObject(6, LocalDateTime.class));
          n++;
        }
      }
    }
    return n;
  }

  private static void json(StringBuilder b, String s) {
    if (s == null) {
      b.append("null");
      return;
    }
    b.append('"');
    for (int k = 0; k < s.length(); k++) {
      char ch = s.charAt(k);
      if (ch == '"' || ch == '\\') {
        b.append('\\');
      }
      b.append(ch);
    }
    b.append('"');
  }

  /**
   * The producer floor: each row as a Debezium-shaped JSON envelope built by hand, keyed by its id,
   * sent by a KafkaProducer with the sink's acknowledgement settings (acks=all, idempotence).
   */
  Map<String, String> producer() throws Exception {
    String topic = topicName();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env("SLUICE_KAFKA_BOOTSTRAP"));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env("SLUICE_KAFKA_BOOTSTRAP")))) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all()
          .get(60, TimeUnit.SECONDS);
    }
    Meter meter = new Meter(server.serverPid());
    meter.start();
    long n;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      StringBuilder b = new StringBuilder(256);
      n = readAll(meter, (id, i, s1, s2, d, t) -> {
        b.setLength(0);
        b.append("{\"before\":null,\"after\":{\"id\":").append(id).append(",\"i\":").append(i).append(",\"s1\":");
        json(b, s1);
        b.append(",\"s2\":");
        json(b, s2);
        b.append(",\"d\":").append(d == null ? "null" : "\"" + d.toPlainString() + "\"").append(",\"t\":");
        json(b, t == null ? null : t.toString());
        b.append("},\"source\":{\"db\":\"").append(Server.DATABASE).append("\",\"table\":\"").append(table)
            .append("\"},\"op\":\"r\",\"ts_ms\":").append(System.currentTimeMillis()).append('}');
        producer.send(new ProducerRecord<>(topic, ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8),
            b.toString().getBytes(StandardCharsets.UTF_8)));
      });
      producer.flush();
    } finally {
      meter.end();
      deleteTopic(topic);
    }
    if (n != rows) {
      throw new IllegalStateException("sent " + n + " rows, expected " + rows);
    }
    return meter.result(n);
  }

  /** The INSERT floor: the rows read as above, written by 1000-row multi-row INSERTs, each committed. */
  Map<String, String> insert() throws Exception {
    freshPostgresSchema();
    try (Connection c = postgres(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + Server.DATABASE + "." + table + " (id BIGINT PRIMARY KEY, i INT NOT NULL, "
          + "s1 VARCHAR(60) NOT NULL, s2 VARCHAR(40), d NUMERIC(12,2), t TIMESTAMP(3))");
    }
    int batch = 1000;
    StringBuilder sql = new StringBuilder("INSERT INTO " + Server.DATABASE + "." + table + " VALUES ");
    for (int k = 0; k < batch; k++) {
      sql.append(k == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?)");
    }
    Meter meter = new Meter(server.serverPid());
    meter.start();
    long n;
    try (Connection pg = postgres(); PreparedStatement full = pg.prepareStatement(sql.toString())) {
      int[] filled = {0};
      n = readAll(meter, (id, i, s1, s2, d, t) -> {
        int base = filled[0] * 6;
        full.setLong(base + 1, id);
        full.setInt(base + 2, i);
        full.setString(base + 3, s1);
        full.setString(base + 4, s2);
        full.setBigDecimal(base + 5, d);
        full.setObject(base + 6, t);
        if (++filled[0] == batch) {
          full.executeUpdate();
          filled[0] = 0;
        }
      });
      if (filled[0] > 0) {
        throw new IllegalStateException("the INSERT floor needs a row count that is a multiple of " + batch
            + ", got " + n);
      }
    } finally {
      meter.end();
    }
    requirePostgresRows(table);
    return meter.result(n);
  }
}
