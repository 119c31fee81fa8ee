package dev.sluice.cli.demo;

import dev.sluice.cli.demo.Shop.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The demo's copy of the shop, read back table by table for the proof. */
interface Copy extends AutoCloseable {

  /** What the copy is, for the proof's heading: {@code SQLite}, {@code Iceberg}. */
  String kind();

  /** The table's row count and checksum in the copy; null when the copy has no such table. */
  Checksum checksum(Table table) throws Exception;

  @Override
  void close();

  /** The SQLite file the JDBC sink wrote. */
  final class Sqlite implements Copy {
    private final Connection connection;

    Sqlite(Path file) throws SQLException {
      connection = Files.exists(file) ? DriverManager.getConnection("jdbc:sqlite:" + file) : null;
    }

    @Override
    public String kind() {
      return "SQLite";
    }

    @Override
    public Checksum checksum(Table t) {
      if (connection == null) {
        return null;
      }
      try {
        return Checksum.of(connection, "\"" + t.name() + "\"", t, Checksum.Side.SQLITE);
      } catch (SQLException e) {
        return null; // no such table: the pipeline never created it
      }
    }

    @Override
    public void close() {
      try {
        if (connection != null) {
          connection.close();
        }
      } catch (SQLException e) {
        throw new DemoException("could not close " + kind() + " file: " + e.getMessage(), e);
      }
    }
  }
}
