package dev.sluice.source.mysql;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The low and high watermarks of a chunk window.
 *
 * <p>The high watermark is the end of the binlog ({@code SHOW MASTER STATUS}): a transaction is
 * written to the binlog before it commits, so anything a finished read saw is before it.
 *
 * <p>The low watermark must be the <em>visible</em> horizon, and the end of the binlog is not one:
 * it can include transactions still committing. So:
 * <ul>
 *   <li>MySQL 8: {@code @@GLOBAL.gtid_executed}. MySQL adds a group's GTIDs to it after the storage
 *       engine committed the group ({@code process_commit_stage_queue} commits, then updates the
 *       GTID state), so every transaction in it is visible; with ordered commits it is a prefix of
 *       the binlog, and an event is before it exactly when its GTID is in it.
 *   <li>MariaDB: a consistent snapshot's binlog coordinates ({@code START TRANSACTION WITH
 *       CONSISTENT SNAPSHOT} then {@code binlog_snapshot_file/position}): MariaDB guarantees they
 *       are exactly the transactions that snapshot sees, hence visible to any later read. The
 *       transaction reads nothing and ends at once; it takes no lock.
 * </ul>
 */
final class Watermarks {
  private final DataSource pool;
  private final Flavor flavor;

  Watermarks(DataSource pool, Flavor flavor) {
    this.pool = pool;
    this.flavor = flavor;
  }

  BinlogPosition low() {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      if (flavor == Flavor.MYSQL) {
        try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_executed")) {
          rs.next();
          return BinlogPosition.visible(rs.getString(1));
        }
      }
      s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
      try (ResultSet rs = s.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
        String file = null;
        long pos = -1;
        while (rs.next()) {
          if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_file")) {
            file = rs.getString(2);
          } else if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_position")) {
            pos = Long.parseLong(rs.getString(2));
          }
        }
        if (file == null || file.isEmpty() || pos < 0) {
          throw new ConfigurationException("MariaDB reports no binlog snapshot position; is log_bin on?");
        }
        return BinlogPosition.mark(file, pos, null);
      } finally {
        s.execute("COMMIT");
      }
    } catch (SQLException e) {
      throw new ConnectionException("cannot read the low watermark: " + e.getMessage(), e);
    }
  }

  BinlogPosition high() {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      if (!rs.next()) {
        throw new ConfigurationException("SHOW MASTER STATUS returned nothing: the binlog is off; "
            + "start the server with log_bin (log-bin=...) enabled");
      }
      String gtids = flavor == Flavor.MYSQL ? rs.getString("Executed_Gtid_Set") : null;
      return BinlogPosition.mark(rs.getString("File"), rs.getLong("Position"), gtids);
    } catch (SQLException e) {
      throw new ConnectionException("cannot read the binlog status: " + e.getMessage(), e);
    }
  }
}
