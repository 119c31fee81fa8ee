package dev.sluice.source.mysql;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.event.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the server says before anything runs: the preflight checks (binlog settings, privileges)
 * and the captured tables' definitions from {@code information_schema}.
 */
final class Catalog {
  /** {@code GRANT `role`@`host` TO ...} (MySQL) or {@code GRANT `role` TO ...} (MariaDB). */
  private static final java.util.regex.Pattern ROLE_GRANT =
      java.util.regex.Pattern.compile("(?m)^GRANT [`'][^`']+[`'](@[`'][^`']*[`'])? TO ");

  private final DataSource pool;
  private final MySqlConfig config;

  Catalog(DataSource pool, MySqlConfig config) {
    this.pool = pool;
    this.config = config;
  }

  /** Refuses a server whose binlog or grants cannot serve a pipeline, naming the setting and the fix. */
  Flavor preflight() {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      Flavor flavor;
      try (ResultSet rs = s.executeQuery("SELECT VERSION()")) {
        rs.next();
        flavor = Flavor.ofVersion(rs.getString(1));
      }
      Map<String, String> vars = new LinkedHashMap<>();
      try (ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN "
          + "('log_bin','binlog_format','binlog_row_image','gtid_mode')")) {
        while (rs.next()) {
          vars.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
        }
      }
      checkBinlogSettings(vars, flavor);
      checkGrants(s);
      return flavor;
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  /** The server settings a binlog reader needs, from {@code SHOW GLOBAL VARIABLES} (names lower case). */
  static void checkBinlogSettings(Map<String, String> vars, Flavor flavor) {
    require(vars, "log_bin", "ON", "the binlog is off; start the server with log_bin enabled (log-bin=<name>)");
    require(vars, "binlog_format", "ROW", "set binlog_format=ROW (SET GLOBAL binlog_format=ROW and in the server config)");
    require(vars, "binlog_row_image", "FULL", "set binlog_row_image=FULL (SET GLOBAL binlog_row_image=FULL and in the "
        + "server config)");
    if (flavor == Flavor.MYSQL) {
      require(vars, "gtid_mode", "ON", "this source needs GTIDs on MySQL to find what reads can see; "
          + "set gtid_mode=ON and enforce_gtid_consistency=ON");
    }
  }

  private static void require(Map<String, String> vars, String name, String expected, String fix) {
    String actual = vars.get(name);
    if (actual == null || !actual.equalsIgnoreCase(expected)) {
      throw new ConfigurationException("server setting " + name + " is " + actual + ", must be " + expected + ": " + fix);
    }
  }

  private void checkGrants(Statement s) throws SQLException {
    StringBuilder grants = new StringBuilder();
    try (ResultSet rs = s.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
      while (rs.next()) {
        grants.append(rs.getString(1).toUpperCase(Locale.ROOT)).append('\n');
      }
    }
    String g = grants.toString();
    // Privileges granted through roles do not show here; with roles, trust the binlog reader to
    // report what is missing rather than refuse a user that may well have it.
    boolean all = g.contains("ALL PRIVILEGES ON *.*") || ROLE_GRANT.matcher(g).find();
    List<String> missing = new ArrayList<>();
    if (!all && !g.matches("(?s).*REPLICATION SLAVE.*ON \\*\\.\\*.*") && !g.contains("REPLICATION REPLICA")) {
      missing.add("REPLICATION SLAVE");
    }
    if (!all && !g.contains("REPLICATION CLIENT") && !g.contains("BINLOG MONITOR")) {
      missing.add("REPLICATION CLIENT");
    }
    if (!missing.isEmpty()) {
      throw new ConfigurationException("user '" + config.user() + "' lacks " + String.join(", ", missing)
          + "; run GRANT " + String.join(", ", missing) + " ON *.* TO '" + config.user() + "'");
    }
  }

  /** The captured tables, described; refuses a pattern that matches nothing. */
  List<TableInfo> describe() {
    try (Connection c = pool.getConnection()) {
      List<TableId> ids = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM "
          + "information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN "
          + "('mysql','sys','information_schema','performance_schema') ORDER BY 1, 2")) {
        while (rs.next()) {
          if (config.captures(rs.getString(1), rs.getString(2))) {
            ids.add(TableId.of(rs.getString(1), rs.getString(2)));
          }
        }
      }
      if (ids.isEmpty()) {
        throw new ConfigurationException(config.where() + ": option 'tables' " + config.include()
            + " matches no table the user '" + config.user() + "' can see; check the patterns (db.table regular "
            + "expressions or Flink CDC selectors such as db.\\.*) and the user's SELECT grants");
      }
      List<TableInfo> out = new ArrayList<>();
      for (TableId id : ids) {
        out.add(describe(c, id));
      }
      return out;
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  /** Each table's {@code SHOW CREATE TABLE} text, as it is now. */
  Map<TableId, String> createStatements(java.util.Collection<TableId> ids) {
    Map<TableId, String> out = new LinkedHashMap<>();
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      for (TableId id : ids) {
        try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + ChunkQueries.quote(id.catalog()) + "."
            + ChunkQueries.quote(id.table()))) {
          rs.next();
          out.put(id, rs.getString(2));
        }
      }
      return out;
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  /**
   * Refuses to go on when a captured table's definition is no longer what was described at the
   * start: a DDL ran while the pipeline was starting, so the start position's schema is not known.
   * Checked after reading the create statements, this proves they hold at the start position,
   * which lies between the two descriptions.
   */
  void requireUnchanged(java.util.Collection<TableInfo> described) {
    for (TableInfo t : described) {
      if (changed(t)) {
        throw new dev.sluice.core.SluiceException.ConnectionException("table " + t.schema().id()
            + " changed (DDL) while the pipeline was starting; start it again", null);
      }
    }
  }

  /** Whether the table's definition now differs from {@code described}. */
  boolean changed(TableInfo described) {
    try (Connection c = pool.getConnection()) {
      return !describe(c, described.schema().id()).schema().equals(described.schema());
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  private TableInfo describe(Connection c, TableId id) throws SQLException {
    List<TableInfo.Described> cols = new ArrayList<>();
    List<String> pk = new ArrayList<>();
    // Prepared by the driver, not the server: one round trip for each query instead of three
    // (prepare, execute, close), as the description is taken again after every chunk read.
    com.mysql.cj.jdbc.JdbcConnection driver = c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class);
    try (PreparedStatement ps = driver.clientPrepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, "
        + "NUMERIC_SCALE, DATETIME_PRECISION, IS_NULLABLE, COLLATION_NAME, COLUMN_KEY FROM information_schema.COLUMNS "
        + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
      ps.setString(1, id.catalog());
      ps.setString(2, id.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String type = rs.getString(2);
          String full = rs.getString(3).toLowerCase(Locale.ROOT);
          int length;
          if (type.equalsIgnoreCase("bit") || type.equalsIgnoreCase("tinyint")) {
            length = full.contains("(") ? Integer.parseInt(full.replaceAll("^[a-z]+\\((\\d+)\\).*$", "$1")) : -1;
          } else if (rs.getObject(6) != null) {
            length = rs.getInt(6);
          } else {
            length = rs.getObject(4) == null ? -1 : rs.getInt(4);
          }
          cols.add(new TableInfo.Described(rs.getString(1), type, full.contains("unsigned"), length,
              rs.getObject(5) == null ? 0 : rs.getInt(5), rs.getString(7).equals("YES"), rs.getString(8)));
        }
      }
    }
    try (PreparedStatement ps = driver.clientPrepareStatement("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
        + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION")) {
      ps.setString(1, id.catalog());
      ps.setString(2, id.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          pk.add(rs.getString(1));
        }
      }
    }
    if (pk.isEmpty()) {
      String keyColumn = config.chunkKeyColumn();
      // Without a chunk key column the table has no key: the engine reads it whole in at-least-once
      // delivery (with a warning) and refuses it, naming it and the fixes, in exactly-once.
      boolean chunkKey = keyColumn != null && cols.stream().anyMatch(d -> d.name().equals(keyColumn));
      return TableInfo.of(id, cols, chunkKey ? List.of(keyColumn) : List.of(), false);
    }
    return TableInfo.of(id, cols, pk, true);
  }
}
