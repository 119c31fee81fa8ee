package dev.sluice.bench;

import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.option.Options;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.runtime.PipelineStatus;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A table's snapshot and then its changes delivered into a real target, Sluice against
 * hand-written code that moves the same rows: into Kafka (Sluice's sink, Debezium JSON) against a
 * JDBC read feeding a bare producer loop with the same acknowledgement settings; into PostgreSQL
 * (Sluice's upserting JDBC sink) against a JDBC read feeding 1000-row multi-row INSERTs.
 *
 * <p>Each run starts from a fresh copy of the generated table ({@link #TABLE}, copied before the
 * clock starts); once the snapshot is read, a writer commits the same fixed set of changes to it
 * ({@link #commitChanges}). Sluice reads the table in its snapshot, then the changes from the log,
 * and its run ends when the last change has reached the sink and the pipeline has stopped, which
 * flushes the sink (Kafka: acknowledged; PostgreSQL: committed); it must have written every row and
 * every change once. The hand-written code reads the table once, and once the writer is done sends
 * the changed rows again (Kafka: an update or create envelope each, a delete envelope for each
 * deleted row; PostgreSQL: multi-row upserts and one DELETE). Both PostgreSQL targets are checked
 * against the source's final rows (count and column sums).
 */
final class EndToEndRunners {
  /** The table each run reads and changes: a fresh copy of the generated one. */
  static final String TABLE = "e2e_changes";
  /** Transactions of the change set; each updates, deletes and inserts in its own slice of the keys. */
  static final int TRANSACTIONS = 20;
  /** Rows inserted by each transaction, after the table's last key. */
  static final int INSERTS_PER_TRANSACTION = 250;

  private final Server server;
  /** The generated table the copy is made from. */
  private final String generated;
  private final long rows;
  private final int parallelism;

  EndToEndRunners(Server server, Map<String, String> o) {
    this.server = server;
    this.generated = Runner.require(o, "table");
    this.rows = Long.parseLong(Runner.require(o, "rows"));
    this.parallelism = Integer.parseInt(o.getOrDefault("p", "4"));
    if (rows < 40L * TRANSACTIONS) {
      throw new IllegalArgumentException("the end-to-end table needs at least " + 40 * TRANSACTIONS + " rows, got "
          + rows);
    }
  }

  /** Rows updated by the change set: every id divisible by 20 (i negated, s2 rewritten). */
  private long updates() {
    return rows / 20;
  }

  /** Rows deleted: every id that leaves 7 divided by 40. */
  private long deletes() {
    return (rows - 7) / 40 + 1;
  }

  private long inserts() {
    return (long) TRANSACTIONS * INSERTS_PER_TRANSACTION;
  }

  /** Row changes the change set commits. */
  long changes() {
    return updates() + deletes() + inserts();
  }

  /** The key of the change set's last row change (the last insert of the last transaction). */
  private long lastKey() {
    return rows + inserts();
  }

  /** Replaces {@link #TABLE} with a copy of the generated table, before the clock starts. */
  private void freshSourceTable() throws SQLException {
    try (Connection c = server.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("USE " + Server.DATABASE);
      s.execute("DROP TABLE IF EXISTS " + TABLE);
      s.execute("CREATE TABLE " + TABLE + " LIKE " + generated);
      s.execute("INSERT INTO " + TABLE + " SELECT * FROM " + generated);
    }
  }

  /**
   * The change set, the same in every run: {@link #TRANSACTIONS} transactions, the k-th updating and
   * deleting in the k-th slice of the keys and inserting {@link #INSERTS_PER_TRANSACTION} new rows
   * (generated by the server as the table's own rows are); the very last change is the insert of
   * {@link #lastKey()}.
   */
  private void commitChanges() throws SQLException {
    long slice = rows / TRANSACTIONS;
    try (Connection c = server.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("USE " + Server.DATABASE);
      c.setAutoCommit(false);
      for (int k = 0; k < TRANSACTIONS; k++) {
        long lo = k * slice;
        long hi = k == TRANSACTIONS - 1 ? rows : lo + slice;
        s.executeUpdate("UPDATE " + TABLE + " SET i = -i, s2 = CONCAT('changed ', id) WHERE id > " + lo
            + " AND id <= " + hi + " AND id % 20 = 0");
        s.executeUpdate("DELETE FROM " + TABLE + " WHERE id > " + lo + " AND id <= " + hi + " AND id % 40 = 7");
        s.executeUpdate("INSERT INTO " + TABLE + " SELECT " + Tables.NARROW.values + " FROM (SELECT "
            + (rows + (long) k * INSERTS_PER_TRANSACTION) + " + l.n + 1 AS n FROM bench_seq l WHERE l.n < "
            + INSERTS_PER_TRANSACTION + ") g ORDER BY n");
        c.commit();
      }
    }
  }

  /** The change set committed on a thread of its own, starting now. */
  private static final class Writer {
    private final Thread thread;
    private volatile Throwable failure;

    Writer(EndToEndRunners r) {
      thread = new Thread(() -> {
        try {
          r.commitChanges();
        } catch (Throwable t) {
          failure = t;
        }
      }, "bench-change-writer");
      thread.start();
    }

    /** Fails when the writer did. */
    void check() {
      if (failure != null) {
        throw new IllegalStateException("committing the change set failed", failure);
      }
    }

    /** Waits for the last commit; fails when the writer did. */
    void join() throws InterruptedException {
      thread.join();
      if (failure != null) {
        throw new IllegalStateException("committing the change set failed", failure);
      }
    }
  }

  /** Count and column sums of the source's rows, as text, to compare with a target's. */
  private String sourceSums() throws SQLException {
    try (Connection c = server.connect()) {
      return sums(c, Server.DATABASE + "." + TABLE);
    }
  }

  private static String sums(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(id), SUM(i), "
        + "SUM(CHAR_LENGTH(s1)), SUM(CHAR_LENGTH(s2)), SUM(d) FROM " + table)) {
      rs.next();
      StringBuilder b = new StringBuilder();
      for (int k = 1; k <= 6; k++) {
        java.math.BigDecimal v = rs.getBigDecimal(k);
        b.append(k == 1 ? "" : " ").append(v == null ? "null" : v.stripTrailingZeros().toPlainString());
      }
      return b.toString();
    }
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
    freshSourceTable();
    Meter meter = new Meter(server.serverPid());
    meter.start();
    long opening = System.nanoTime();
    LastChangeSink sink = new LastChangeSink(factory.create(Options.parse("bench sink", factory.options(),
        sinkOptions), "bench"), lastKey(), meter);
    double sinkOpenMs = (System.nanoTime() - opening) / 1e6;
    PipelineOptions options = new PipelineOptions(SnapshotOptions.of(parallelism, 8096), 2048, Duration.ofSeconds(10),
        Delivery.AT_LEAST_ONCE, StartupMode.INITIAL);
    Pipeline p = new Pipeline("bench", SluiceSetup.source(server, TABLE, Map.of()), sink,
        new FileCheckpointStore(Files.createTempDirectory("sluice-bench-e2e"), "bench"), options, null)
        .ownsConnectors().start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
    Writer writer = null;
    // The changes are committed once the snapshot is complete; the last of them has arrived once
    // its row was written (the log hands changes over in commit order).
    while (!sink.lastArrived) {
      if (writer == null && p.status().state() == PipelineStatus.State.STREAMING) {
        writer = new Writer(this);
      } else if (writer != null) {
        writer.check();
      }
      if (p.failure().isPresent()) {
        throw new IllegalStateException("pipeline failed", p.failure().get());
      }
      if (System.nanoTime() > deadline) {
        p.kill();
        throw new IllegalStateException("the pipeline did not deliver the snapshot and the changes in 600 s");
      }
      Thread.sleep(5);
    }
    writer.join();
    ThreadCpu.report("when the last change arrived");
    ThreadCpu.producerMetrics();
    long stopping = System.nanoTime();
    long stoppingCpu = Meter.processCpuNanos();
    p.stop(); // the final checkpoint flushes the sink: everything acknowledged or committed
    if (!p.await(120, TimeUnit.SECONDS) || p.failure().isPresent()) {
      throw new IllegalStateException("the pipeline did not stop cleanly", p.failure().orElse(null));
    }
    meter.end();
    double stopMs = (System.nanoTime() - stopping) / 1e6;
    double stopCpu = (Meter.processCpuNanos() - stoppingCpu) / 1e9;
    System.err.printf(java.util.Locale.ROOT, "stopping the pipeline: %.0f ms, %.2f CPU-s%n", stopMs, stopCpu);
    long written = p.status().eventsWritten();
    if (written != rows + changes()) {
      throw new IllegalStateException("the pipeline wrote " + written + " events, expected " + rows
          + " snapshot rows and " + changes() + " changes");
    }
    Map<String, String> r = meter.result(rows + changes());
    r.put("eventsWritten", Long.toString(written));
    r.put("sinkOpenMs", Meter.fmt(sinkOpenMs));
    r.put("stopMs", Meter.fmt(stopMs));
    r.put("stopCpu", Meter.fmt(stopCpu));
    return r;
  }

  /** The sink, watching for the change set's last row change. */
  private static final class LastChangeSink implements Sink {
    private final Sink d;
    private final long lastKey;
    private final Meter meter;
    volatile boolean lastArrived;

    LastChangeSink(Sink delegate, long lastKey, Meter meter) {
      this.d = delegate;
      this.lastKey = lastKey;
      this.meter = meter;
    }

    @Override
    public void write(List<ChangeEvent> events) {
      meter.row(); // the first batch's time is the first row's
      d.write(events);
      for (int k = events.size() - 1; k >= 0 && !lastArrived; k--) {
        ChangeEvent e = events.get(k);
        if (e.current() != null && ((Number) e.current().get(0)).longValue() == lastKey) {
          lastArrived = true;
        }
      }
    }

    @Override
    public void apply(SchemaChangeEvent change) {
      d.apply(change);
    }

    @Override
    public void flush() {
      d.flush();
    }

    @Override
    public Optional<CheckpointStore> atomicCheckpoints() {
      return d.atomicCheckpoints();
    }

    @Override
    public Map<TableId, String> stoppedTables() {
      return d.stoppedTables();
    }

    @Override
    public void close() {
      d.close();
    }
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
    requirePostgresEqualsSource();
    return r;
  }

  /** The PostgreSQL target holds the source's final rows: the same count and column sums. */
  private void requirePostgresEqualsSource() throws SQLException {
    String source = sourceSums();
    String target;
    try (Connection c = postgres()) {
      target = sums(c, Server.DATABASE + "." + TABLE);
    }
    if (!target.equals(source)) {
      throw new IllegalStateException("PostgreSQL's rows differ from the source's: count and sums " + target
          + " against " + source);
    }
  }

  /** Reads the narrow-shaped table in key order with the driver's streaming and hands each row over. */
  private interface RowHandler {
    void row(long id, int i, String s1, String s2, java.math.BigDecimal d, LocalDateTime t) throws Exception;
  }

  private long readAll(Meter meter, RowHandler handler) throws Exception {
    return read("SELECT * FROM " + TABLE + " ORDER BY id", meter, handler);
  }

  /** The rows the change set inserted or updated, in key order, as they are once it is committed. */
  private long readChanged(Meter meter, RowHandler handler) throws Exception {
    return read("SELECT * FROM " + TABLE + " WHERE id % 20 = 0 OR id > " + rows + " ORDER BY id", meter, handler);
  }

  /** The keys the change set deleted. */
  private long[] deletedKeys() {
    long[] keys = new long[(int) deletes()];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = 40L * k + 7;
    }
    return keys;
  }

  private long read(String sql, Meter meter, RowHandler handler) throws Exception {
    long n = 0;
    try (Connection c = server.connect(); PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
        ResultSet.CONCUR_READ_ONLY)) {
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

  /** A Debezium-shaped row image: {"id":..,"i":..,...}. */
  private static void image(StringBuilder b, long id, int i, String s1, String s2, java.math.BigDecimal d,
      LocalDateTime t) {
    b.append("{\"id\":").append(id).append(",\"i\":").append(i).append(",\"s1\":");
    json(b, s1);
    b.append(",\"s2\":");
    json(b, s2);
    b.append(",\"d\":").append(d == null ? "null" : "\"" + d.toPlainString() + "\"").append(",\"t\":");
    json(b, t == null ? null : t.toString());
    b.append('}');
  }

  /**
   * The envelope's rest: a {@code source} block with the fields Sluice's sink writes (version,
   * connector, name, source time, snapshot flag, database, schema, table, log position, transaction)
   * so both runners send records of about the same size, then op, ts_ms and transaction.
   */
  private void envelopeEnd(StringBuilder b, String op, String position) {
    long now = System.currentTimeMillis();
    b.append(",\"source\":{\"version\":\"bench\",\"connector\":\"mysql\",\"name\":\"bench\",\"ts_ms\":")
        .append(now).append(",\"snapshot\":\"").append(op.equals("r")).append("\",\"db\":\"")
        .append(Server.DATABASE).append("\",\"schema\":null,\"table\":\"").append(TABLE)
        .append("\",\"position\":\"").append(position).append("\",\"txId\":null},\"op\":\"").append(op)
        .append("\",\"ts_ms\":").append(now).append(",\"transaction\":null}");
  }

  /** The binlog's end as Sluice's positions write it: kind, file, offset, event, row, GTID, GTID set. */
  private String logPosition() throws SQLException {
    try (Connection c = server.connectAsAdmin(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      if (!rs.next()) {
        throw new IllegalStateException("SHOW MASTER STATUS returned nothing: is the binlog on?");
      }
      String gtids = rs.getString("Executed_Gtid_Set");
      return "MARK|" + rs.getString("File") + "|" + rs.getLong("Position") + "|0|0||"
          + (gtids == null ? "" : gtids.replace("\n", ""));
    }
  }

  /**
   * The producer floor: each row as a Debezium-shaped JSON envelope built by hand, keyed by its id,
   * sent by a KafkaProducer with the sink's acknowledgement settings (acks=all, idempotence); then,
   * once the writer is done, an envelope for each changed row and for each deleted one.
   */
  Map<String, String> producer() throws Exception {
    freshSourceTable();
    String topic = topicName();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env("SLUICE_KAFKA_BOOTSTRAP"));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    Meter meter = new Meter(server.serverPid());
    meter.start();
    // Inside the clock, as Sluice's sink creates its topic inside it (one partition, as the sink's).
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env("SLUICE_KAFKA_BOOTSTRAP")))) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all()
          .get(60, TimeUnit.SECONDS);
    }
    long sent = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      StringBuilder b = new StringBuilder(512);
      String[] op = {"r"};
      String[] position = {logPosition()};
      RowHandler send = (id, i, s1, s2, d, t) -> {
        b.setLength(0);
        b.append("{\"before\":null,\"after\":");
        image(b, id, i, s1, s2, d, t);
        envelopeEnd(b, op[0].equals("r") ? "r" : id > rows ? "c" : "u", position[0]);
        producer.send(new ProducerRecord<>(topic, ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8),
            b.toString().getBytes(StandardCharsets.UTF_8)));
      };
      sent += readAll(meter, send);
      new Writer(this).join();
      op[0] = "change";
      position[0] = logPosition();
      sent += readChanged(meter, send);
      for (long id : deletedKeys()) {
        b.setLength(0);
        b.append("{\"before\":{\"id\":").append(id).append("},\"after\":null");
        envelopeEnd(b, "d", position[0]);
        producer.send(new ProducerRecord<>(topic, ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8),
            b.toString().getBytes(StandardCharsets.UTF_8)));
        sent++;
      }
      producer.flush();
      ThreadCpu.report("after the last flush");
      ThreadCpu.producerMetrics();
    } finally {
      meter.end();
      deleteTopic(topic);
    }
    if (sent != rows + changes()) {
      throw new IllegalStateException("sent " + sent + " records, expected " + rows + " rows and " + changes()
          + " changes");
    }
    Map<String, String> r = meter.result(rows + changes());
    r.put("recordsSent", Long.toString(sent));
    return r;
  }

  /**
   * Multi-row statements of up to {@code batch} rows of six parameters: full ones through one
   * prepared statement, the last partial one through its own.
   */
  private static final class MultiRow implements AutoCloseable {
    private final Connection c;
    private final String head;
    private final String tail;
    private final int batch;
    private final PreparedStatement full;
    private final List<Object[]> rowsOfPartial = new ArrayList<>();
    private int filled;

    MultiRow(Connection c, String head, String tail, int batch) throws SQLException {
      this.c = c;
      this.head = head;
      this.tail = tail;
      this.batch = batch;
      this.full = c.prepareStatement(sql(batch));
    }

    private String sql(int n) {
      StringBuilder b = new StringBuilder(head);
      for (int k = 0; k < n; k++) {
        b.append(k == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?)");
      }
      return b.append(tail).toString();
    }

    void add(long id, int i, String s1, String s2, java.math.BigDecimal d, LocalDateTime t) throws SQLException {
      if (filled == batch) {
        full.executeUpdate();
        filled = 0;
        rowsOfPartial.clear();
      }
      int base = filled * 6;
      full.setLong(base + 1, id);
      full.setInt(base + 2, i);
      full.setString(base + 3, s1);
      full.setString(base + 4, s2);
      full.setBigDecimal(base + 5, d);
      full.setObject(base + 6, t);
      rowsOfPartial.add(new Object[] {id, i, s1, s2, d, t});
      filled++;
    }

    /** Sends what is filled. */
    void finish() throws SQLException {
      if (filled == batch) {
        full.executeUpdate();
      } else if (filled > 0) {
        try (PreparedStatement ps = c.prepareStatement(sql(filled))) {
          int k = 1;
          for (Object[] row : rowsOfPartial) {
            for (Object v : row) {
              ps.setObject(k++, v);
            }
          }
          ps.executeUpdate();
        }
      }
      filled = 0;
      rowsOfPartial.clear();
    }

    @Override
    public void close() throws SQLException {
      full.close();
    }
  }

  /**
   * The INSERT floor: the rows read as above, written by 1000-row multi-row INSERTs, each committed;
   * once the writer is done, the changed rows by 1000-row multi-row upserts and the deleted ones by
   * one DELETE.
   */
  Map<String, String> insert() throws Exception {
    freshSourceTable();
    freshPostgresSchema();
    String target = Server.DATABASE + "." + TABLE;
    try (Connection c = postgres(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + target + " (id BIGINT PRIMARY KEY, i INT NOT NULL, "
          + "s1 VARCHAR(60) NOT NULL, s2 VARCHAR(40), d NUMERIC(12,2), t TIMESTAMP(3))");
    }
    Meter meter = new Meter(server.serverPid());
    meter.start();
    try (Connection pg = postgres()) {
      try (MultiRow insert = new MultiRow(pg, "INSERT INTO " + target + " VALUES ", "", 1000)) {
        readAll(meter, insert::add);
        insert.finish();
      }
      new Writer(this).join();
      try (MultiRow upsert = new MultiRow(pg, "INSERT INTO " + target + " VALUES ", " ON CONFLICT (id) DO UPDATE SET "
          + "i = EXCLUDED.i, s1 = EXCLUDED.s1, s2 = EXCLUDED.s2, d = EXCLUDED.d, t = EXCLUDED.t", 1000)) {
        readChanged(meter, upsert::add);
        upsert.finish();
      }
      try (PreparedStatement delete = pg.prepareStatement("DELETE FROM " + target + " WHERE id = ANY (?)")) {
        delete.setArray(1, pg.createArrayOf("bigint", java.util.Arrays.stream(deletedKeys()).boxed().toArray()));
        delete.executeUpdate();
      }
    } finally {
      meter.end();
    }
    requirePostgresEqualsSource();
    return meter.result(rows + changes());
  }
}
