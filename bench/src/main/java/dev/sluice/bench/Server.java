package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The MySQL server under test, from the {@code SLUICE_MYSQL_*} environment variables that
 * {@code scripts/test-env.sh env} prints, and the bench's own database on it.
 */
record Server(String host, int port, String user, String password, String adminUser, String adminPassword) {
  static final String DATABASE = "bench_sluice";

  static Server fromEnvironment() {
    return new Server(env("SLUICE_MYSQL_HOST"), Integer.parseInt(env("SLUICE_MYSQL_PORT")), env("SLUICE_MYSQL_USER"),
        env("SLUICE_MYSQL_PASSWORD"), env("SLUICE_MYSQL_ADMIN_USER"), env("SLUICE_MYSQL_ADMIN_PASSWORD"));
  }

  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException("environment variable " + name + " is not set: run the bench through "
          + "scripts/bench.sh, which takes the endpoints from scripts/test-env.sh env");
    }
    return v;
  }

  /**
   * The URL of the bench's own connections: the driver's defaults, as Sluice's pool has them (TLS
   * when the server offers it, which the test server does), so the floor pays what Sluice pays.
   */
  String url() {
    return "jdbc:mysql://" + host + ":" + port + "/" + DATABASE + "?allowPublicKeyRetrieval=true"
        + "&characterEncoding=UTF-8";
  }

  /** The read-only user the connectors use. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), user, password);
  }

  /** As {@link #connect()}, with server-side cursors for statements that set a fetch size. */
  Connection connectWithCursors() throws SQLException {
    return DriverManager.getConnection(url() + "&useCursorFetch=true", user, password);
  }

  Connection connectAsAdmin() throws SQLException {
    return DriverManager.getConnection(url().replace("/" + DATABASE + "?", "/?"), adminUser, adminPassword);
  }

  /** mysqld's process id, from its pid file, or -1 when that file is not readable from here. */
  long serverPid() {
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@pid_file")) {
      rs.next();
      Path file = Path.of(rs.getString(1));
      return Long.parseLong(Files.readString(file).trim());
    } catch (SQLException | IOException | NumberFormatException e) {
      return -1;
    }
  }
}
