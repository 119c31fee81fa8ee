package dev.sluice.sink.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.option.Options;
import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A private schema (PostgreSQL) or database (MariaDB) on a test server, made for one test and
 * dropped after it, with the sink options that write there and a reader that turns the target's
 * rows back into logical values.
 */
final class TargetDb implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  enum Kind { POSTGRES, MARIADB, MYSQL, SQLITE }

  final Kind kind;
  final JdbcEndpoint endpoint;
  final String namespace;
  final String url;
  /** The SQLite target's file; {@code null} for the servers. */
  final Path file;
  private final List<String> users = new ArrayList<>();

  private TargetDb(Kind kind) throws SQLException {
    this.kind = kind;
    this.endpoint = switch (kind) {
      case POSTGRES -> TestServers.postgres();
      case MARIADB -> TestServers.mariadb();
      case MYSQL -> TestServers.mysql();
      case SQLITE -> null;
    };
    String unique = "sinkjdbc_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    if (kind == Kind.SQLITE) {
      // One file per test; "main" is the schema SQLite gives the file.
      try {
        this.file = Files.createTempDirectory(unique).resolve("target.db");
      } catch (java.io.IOException e) {
        throw new SQLException("no temporary directory for the SQLite target", e);
      }
      this.namespace = "main";
      this.url = "jdbc:sqlite:" + file;
      return;
    }
    this.file = null;
    this.namespace = unique;
    if (kind == Kind.POSTGRES) {
      exec("CREATE SCHEMA " + namespace);
      this.url = endpoint.jdbcUrl();
    } else {
      exec("CREATE DATABASE " + namespace);
      this.url = kind == Kind.MARIADB ? "jdbc:mariadb://" + endpoint.host() + ":" + endpoint.port() + "/" + namespace
          : "jdbc:mysql://" + endpoint.host() + ":" + endpoint.port() + "/" + namespace + "?allowPublicKeyRetrieval=true";
    }
  }

  static TargetDb create(Kind kind) throws SQLException {
    return new TargetDb(kind);
  }

  boolean postgres() {
    return kind == Kind.POSTGRES;
  }

  boolean sqlite() {
    return kind == Kind.SQLITE;
  }

  Connection admin() throws SQLException {
    return sqlite() ? DriverManager.getConnection(url) : DriverManager.getConnection(url, endpoint.adminUser(), endpoint.adminPassword());
  }

  void exec(String... sql) throws SQLException {
    try (Connection c = sqlite() ? admin()
        : DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.adminUser(), endpoint.adminPassword());
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  String qualified(String table) {
    return postgres() || sqlite() ? namespace + ".\"" + table + "\"" : namespace + ".`" + table + "`";
  }

  /** Options of a sink writing into this namespace as the admin user. */
  Map<String, String> options(Map<String, String> extra) {
    if (sqlite()) {
      Map<String, String> o = new HashMap<>(Map.of("url", url));
      o.putAll(extra);
      return o;
    }
    return options(endpoint.adminUser(), endpoint.adminPassword(), extra);
  }

  Map<String, String> options(String user, String password, Map<String, String> extra) {
    Map<String, String> o = new HashMap<>();
    o.put("url", url);
    o.put("username", user);
    o.put("password", password);
    o.put("target.schema", namespace);
    o.putAll(extra);
    return o;
  }

  JdbcSink sink(String pipeline, Map<String, String> extra) {
    return sinkWith(pipeline, options(extra));
  }

  static JdbcSink sinkWith(String pipeline, Map<String, String> options) {
    JdbcSinkFactory f = new JdbcSinkFactory();
    return (JdbcSink) f.create(Options.parse("test sink", f.options(), options), pipeline);
  }

  /**
   * A user that may log in and use the namespace's tables only as granted afterwards (its name
   * is also its password).
   */
  String createUser() throws SQLException {
    if (sqlite()) {
      throw new UnsupportedOperationException("SQLite has no users");
    }
    String user = namespace + "_u" + users.size();
    users.add(user);
    if (postgres()) {
      exec("CREATE ROLE " + user + " LOGIN PASSWORD '" + user + "'", "GRANT USAGE ON SCHEMA " + namespace + " TO " + user);
    } else {
      for (String host : List.of("%", "localhost", "127.0.0.1")) {
        exec("CREATE USER '" + user + "'@'" + host + "' IDENTIFIED BY '" + user + "'");
      }
    }
    return user;
  }

  /** Grants on the namespace; MariaDB to every host variant of the user. */
  void grant(String privileges, String on, String user) throws SQLException {
    if (postgres()) {
      exec("GRANT " + privileges + " ON " + on + " TO " + user);
    } else {
      for (String host : List.of("%", "localhost", "127.0.0.1")) {
        exec("GRANT " + privileges + " ON " + on + " TO '" + user + "'@'" + host + "'");
      }
    }
  }

  /** The target's columns, in order. */
  List<String> columns(String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = admin(); var ps = c.prepareStatement(sqlite() ? "SELECT name FROM pragma_table_info(?2, ?1) ORDER BY cid"
        : "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, namespace);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** The target table's rows, keyed like the source, read back as logical values of {@code schema}. */
  Map<Key, Row> rows(String table, TableSchema schema) throws SQLException {
    Map<Key, Row> out = new TreeMap<>(Key.NATURAL);
    StringBuilder cols = new StringBuilder();
    for (Column c : schema.columns()) {
      cols.append(cols.length() == 0 ? "" : ", ").append(postgres() || sqlite() ? "\"" + c.name() + "\"" : "`" + c.name() + "`");
    }
    // MariaDB's text protocol prints FLOAT with 6 digits; the binary protocol gives the stored bits.
    String readUrl = postgres() || sqlite() ? url : url + (url.contains("?") ? "&" : "?") + "useServerPrepStmts=true";
    try (Connection c = sqlite() ? admin() : DriverManager.getConnection(readUrl, endpoint.adminUser(), endpoint.adminPassword());
        var st = c.prepareStatement("SELECT " + cols + " FROM " + qualified(table)); ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        Object[] v = new Object[schema.columns().size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = read(rs, i + 1, schema.columns().get(i).type());
        }
        Row row = Row.wrap(v);
        out.put(schema.keyOf(row), row);
      }
    }
    return out;
  }

  private Object read(ResultSet rs, int i, LogicalType type) throws SQLException {
    if (sqlite()) {
      return readSqlite(rs, i, type);
    }
    Object v = switch (type.kind()) {
      case BOOLEAN -> rs.getBoolean(i);
      case INT8, INT16, INT32 -> rs.getInt(i);
      case INT64 -> rs.getLong(i);
      case DECIMAL -> rs.getBigDecimal(i);
      case FLOAT32 -> rs.getFloat(i);
      case FLOAT64 -> rs.getDouble(i);
      case STRING, ENUM, JSON -> rs.getString(i);
      case BYTES -> rs.getBytes(i);
      case UUID -> postgres() ? rs.getObject(i, UUID.class) : uuid(rs.getString(i));
      case DATE -> rs.getObject(i, LocalDate.class);
      case TIME -> rs.getObject(i, LocalTime.class);
      case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
      case TIMESTAMP_TZ -> postgres() ? instant(rs.getObject(i, OffsetDateTime.class))
          : utc(rs.getObject(i, LocalDateTime.class));
      case ARRAY -> postgres() ? list(rs.getArray(i), type.element()) : jsonList(rs.getString(i), type.element());
    };
    return rs.wasNull() ? null : v;
  }

  /** SQLite keeps exact decimals, times and UUIDs as text, booleans as 0/1, a NaN as the text 'NaN'. */
  private static Object readSqlite(ResultSet rs, int i, LogicalType type) throws SQLException {
    String text = rs.getString(i);
    if (text == null) {
      return null;
    }
    return switch (type.kind()) {
      case BOOLEAN -> rs.getLong(i) != 0;
      case INT8, INT16, INT32 -> rs.getInt(i);
      case INT64 -> rs.getLong(i);
      case DECIMAL -> new java.math.BigDecimal(text);
      case FLOAT32 -> text.equals("NaN") ? Float.NaN : rs.getFloat(i);
      case FLOAT64 -> text.equals("NaN") ? Double.NaN : rs.getDouble(i);
      case STRING, ENUM, JSON -> text;
      case BYTES -> rs.getBytes(i);
      case UUID -> UUID.fromString(text);
      case DATE -> LocalDate.parse(text);
      case TIME -> LocalTime.parse(text);
      case TIMESTAMP -> LocalDateTime.parse(text);
      case TIMESTAMP_TZ -> java.time.Instant.parse(text);
      case ARRAY -> jsonList(text, type.element());
    };
  }

  private static UUID uuid(String s) {
    return s == null ? null : UUID.fromString(s);
  }

  private static java.time.Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static java.time.Instant utc(LocalDateTime t) {
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
  }

  private static List<Object> list(Array a, LogicalType element) throws SQLException {
    if (a == null) {
      return null;
    }
    List<Object> out = new ArrayList<>();
    for (Object o : (Object[]) a.getArray()) {
      out.add(element(o, element));
    }
    return out;
  }

  private static List<Object> jsonList(String json, LogicalType element) throws SQLException {
    if (json == null) {
      return null;
    }
    try {
      List<Object> out = new ArrayList<>();
      for (Object o : JSON.readValue(json, List.class)) {
        out.add(element(o, element));
      }
      return out;
    } catch (java.io.IOException e) {
      throw new SQLException("not a JSON array: " + json, e);
    }
  }

  private static Object element(Object o, LogicalType element) {
    if (o instanceof Number n) {
      return switch (element.kind()) {
        case INT8, INT16, INT32 -> n.intValue();
        case INT64 -> n.longValue();
        case FLOAT64 -> n.doubleValue();
        default -> o;
      };
    }
    return o;
  }

  @Override
  public void close() throws SQLException {
    if (sqlite()) {
      for (String suffix : List.of("", "-wal", "-shm")) {
        try {
          Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        } catch (java.io.IOException e) {
          // a temporary file left behind
        }
      }
      try {
        Files.deleteIfExists(file.getParent());
      } catch (java.io.IOException e) {
        // a temporary directory left behind
      }
    } else if (postgres()) {
      exec("DROP SCHEMA " + namespace + " CASCADE");
      for (String u : users) {
        exec("DROP OWNED BY " + u, "DROP ROLE " + u);
      }
    } else {
      exec("DROP DATABASE " + namespace);
      for (String u : users) {
        for (String host : List.of("%", "localhost", "127.0.0.1")) {
          exec("DROP USER '" + u + "'@'" + host + "'");
        }
      }
    }
  }
}
