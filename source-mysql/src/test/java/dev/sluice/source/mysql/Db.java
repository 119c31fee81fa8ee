package dev.sluice.source.mysql;

import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.option.Options;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.Source;
import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/** A private database on one of the test servers, and the source and pipeline that read it. */
final class Db implements AutoCloseable {
  final JdbcEndpoint endpoint;
  final String name;
  final boolean mariadb;

  private Db(JdbcEndpoint endpoint, boolean mariadb) throws SQLException {
    this.endpoint = endpoint;
    this.mariadb = mariadb;
    this.name = "srcmysql_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    sql("CREATE DATABASE " + name);
  }

  static Db on(String server) throws SQLException {
    return server.equals("mariadb") ? new Db(TestServers.mariadb(), true) : new Db(TestServers.mysql(), false);
  }

  void sql(String... statements) throws SQLException {
    try (Connection c = endpoint.connectAsAdmin(); Statement s = c.createStatement()) {
      for (String st : statements) {
        s.execute(st.replace("$db", name));
      }
    }
  }

  Connection admin() throws SQLException {
    Connection c = endpoint.connectAsAdmin();
    try (Statement s = c.createStatement()) {
      s.execute("USE " + name);
    }
    return c;
  }

  Map<String, String> options() {
    Map<String, String> o = new HashMap<>();
    o.put("hostname", endpoint.host());
    o.put("port", Integer.toString(endpoint.port()));
    o.put("username", endpoint.user());
    o.put("password", endpoint.password());
    o.put("tables", name + "\\..*");
    o.put("server-id", Integer.toString(5400 + ThreadLocalRandom.current().nextInt(100_000)));
    return o;
  }

  MySqlSource source(Map<String, String> overrides) {
    Map<String, String> o = options();
    o.putAll(overrides);
    return (MySqlSource) new MySqlSourceFactory().create(Options.parse("test source", MySqlOptions.ALL, o));
  }

  MySqlSource source() {
    return source(Map.of());
  }

  static Pipeline pipeline(String id, Source source, CollectingSink sink, Path dir, int parallelism, int chunk) {
    PipelineOptions options = new PipelineOptions(SnapshotOptions.of(parallelism, chunk), 512, Duration.ofMillis(300),
        dev.sluice.core.runtime.Delivery.AT_LEAST_ONCE);
    return new Pipeline(id, source, sink, new FileCheckpointStore(dir, id), options, null).start();
  }

  /** Inserts rows {@code (i, 'v<i>')} for i in 1..n into a table of {@code (key, text)} columns, 500 per statement. */
  void fill(String table, int n, java.util.function.IntFunction<String> key) throws SQLException {
    for (int from = 1; from <= n; from += 500) {
      StringBuilder b = new StringBuilder("INSERT INTO $db." + table + " VALUES ");
      for (int i = from; i < from + 500 && i <= n; i++) {
        b.append(i == from ? "" : ", ").append('(').append(key.apply(i)).append(", 'v").append(i).append("')");
      }
      sql(b.toString());
    }
  }

  /** The table as the source reads it now, through one full-range chunk read. */
  static Map<Key, Row> contents(MySqlSource source, TableId id) {
    TableSchema schema = source.tables().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    Map<Key, Row> out = new TreeMap<>(Key.NATURAL);
    source.readChunk(schema, KeyRange.ALL, r -> {
      out.put(schema.keyOf(r), r);
      return true;
    });
    return out;
  }

  /** Up to ten differences between what the sink holds and what the table holds, readable. */
  static java.util.List<String> differences(Map<Key, Row> sink, Map<Key, Row> table) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Map.Entry<Key, Row> e : table.entrySet()) {
      Row r = sink.get(e.getKey());
      if (!e.getValue().equals(r)) {
        out.add("key " + e.getKey() + ": table " + e.getValue() + ", sink " + r);
      }
    }
    for (Key k : sink.keySet()) {
      if (!table.containsKey(k)) {
        out.add("key " + k + ": not in the table, sink " + sink.get(k));
      }
    }
    return out.size() > 10 ? out.subList(0, 10) : out;
  }

  TableId table(String t) {
    return TableId.of(name, t);
  }

  @Override
  public void close() throws SQLException {
    sql("DROP DATABASE IF EXISTS " + name);
  }
}
