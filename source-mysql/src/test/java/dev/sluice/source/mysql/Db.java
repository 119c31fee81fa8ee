package dev.sluice.source.mysql;

import dev.sluice.core.event.TableId;
import dev.sluice.core.option.Options;
import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
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

  TableId table(String t) {
    return TableId.of(name, t);
  }

  @Override
  public void close() throws SQLException {
    sql("DROP DATABASE IF EXISTS " + name);
  }
}
