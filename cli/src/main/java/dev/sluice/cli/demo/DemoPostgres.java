package dev.sluice.cli.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * A real PostgreSQL 17 started from the jars on the class path (no install, no container), its data
 * in the demo directory so that it outlives the run: the next run finds its tables, its replication
 * slot and the pipeline's position again.
 */
final class DemoPostgres implements AutoCloseable {
  static final String USER = "postgres";
  /** The server trusts local connections; the pipeline file still needs a password to be valid. */
  static final String PASSWORD = "demo";

  private final EmbeddedPostgres server;
  private final Path dataDir;

  private DemoPostgres(EmbeddedPostgres server, Path dataDir) {
    this.server = server;
    this.dataDir = dataDir;
  }

  /**
   * Starts the server on {@code port} (0: any free one) with its data in {@code dataDir}, binaries
   * unpacked under {@code binDir}.
   *
   * @throws DemoException naming the fault: port taken, another server on the directory, no binaries
   */
  static DemoPostgres start(Path dataDir, Path binDir, int port, Path logFile) {
    refuseRunningServer(dataDir);
    if (port != 0) {
      refuseTakenPort(port);
    }
    try {
      Files.createDirectories(binDir);
      EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
          .setDataDirectory(dataDir)
          .setCleanDataDirectory(false)
          .setOverrideWorkingDirectory(binDir.toFile())
          .setServerConfig("wal_level", "logical")
          .setServerConfig("max_replication_slots", "4")
          .setServerConfig("max_wal_senders", "4")
          // Logical decoding sees a commit only once it is flushed; the default "off" of the
          // embedded server would delay what the pipeline sees by up to ~200 ms.
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setPGStartupWait(Duration.ofSeconds(60))
          .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      if (port != 0) {
        b.setPort(port);
      }
      return new DemoPostgres(b.start(), dataDir);
    } catch (IOException | RuntimeException e) {
      throw new DemoException("could not start the embedded PostgreSQL (data in " + dataDir + "): " + reason(e)
          + "; its log is " + logFile, e);
    }
  }

  private static String reason(Throwable e) {
    StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      out.append(" (").append(t.getMessage()).append(')');
    }
    String text = out.toString();
    if (text.contains("Missing embedded postgres binaries") || text.contains("Unsupported architecture")) {
      return text + "; the distribution ships PostgreSQL binaries for Linux (x86-64, ARM64) and macOS on Apple silicon only";
    }
    return text;
  }

  /** A server left running by an earlier demo that was killed holds the directory; say so. */
  private static void refuseRunningServer(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    try {
      String first = Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
      long pid = Long.parseLong(first);
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      if (p.isPresent() && p.get().isAlive()) {
        throw new DemoException("a PostgreSQL server (pid " + pid + ") is still running on " + dataDir
            + ", left by a demo that is running or was killed; stop that demo, or end the server with 'kill " + pid
            + "', or choose another --dir");
      }
    } catch (IOException | NumberFormatException e) {
      // unreadable or stale: the server itself decides
    }
  }

  private static void refuseTakenPort(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      // free: the server may take it
    } catch (IOException e) {
      throw new DemoException("port " + port + " on 127.0.0.1 is in use; choose another with --port, or --port 0 for"
          + " any free one");
    }
  }

  int port() {
    return server.getPort();
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
  }

  /** Creates the database when missing. */
  void ensureDatabase(String name) throws SQLException {
    try (Connection c = connect("postgres"); PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + name);
      }
    }
  }

  /** The server's current WAL write position. */
  static String currentLsn(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * Whether the slot's confirmed position has reached {@code lsn}. The pipeline confirms a position
   * only after its checkpoint covering it is saved, which is after the sink committed the rows.
   */
  static boolean confirmed(Connection c, String slot, String lsn) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT confirmed_flush_lsn >= ?::pg_lsn FROM pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, lsn);
      ps.setString(2, slot);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  /** A file in {@code dir} created and removed, to refuse an unwritable directory up front. */
  static void requireWritable(Path dir) {
    try {
      Files.createDirectories(dir);
      File probe = Files.createTempFile(dir, ".write-check", "").toFile();
      Files.delete(probe.toPath());
    } catch (IOException | SecurityException e) {
      throw new DemoException("the demo directory " + dir.toAbsolutePath() + " is not writable (" + e.getMessage()
          + "); choose another with --dir");
    }
  }
}
