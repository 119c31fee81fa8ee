package dev.sluice.source.mysql;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.source.mysql.debezium.BinlogFileTimes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The start of the binlog for {@code scan.startup.mode} {@code earliest-offset}, {@code
 * specific-offset} and {@code timestamp}, checked against what the server still has. A value the
 * server cannot start from is refused naming the option: a file or GTID already purged (with the way
 * out, a fresh snapshot), a position that is not at an event or lies inside a transaction, a
 * malformed GTID set, a time before the oldest binlog.
 */
final class StartOffsets {
  private static final String RESNAPSHOT = "; the changes since then are no longer in the binlog: start with "
      + "scan.startup.mode=initial to snapshot the tables instead, or keep binlogs longer "
      + "(binlog_expire_logs_seconds / expire_logs_days)";
  private static final Pattern MYSQL_GTIDS = Pattern.compile(
      "[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(:\\d+(-\\d+)?)+"
          + "(,[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(:\\d+(-\\d+)?)+)*");
  private static final Pattern MARIADB_GTIDS = Pattern.compile("\\d+-\\d+-\\d+(,\\d+-\\d+-\\d+)*");
  /** Events that only occur inside a transaction: a start there would miss its table map or its start. */
  private static final Set<String> INSIDE = Set.of("table_map", "write_rows", "update_rows", "delete_rows",
      "write_rows_v1", "update_rows_v1", "delete_rows_v1", "partial_update_rows", "rows_query", "annotate_rows",
      "xid", "intvar", "rand", "user_var");

  private record BinlogFile(String name, long size) {}

  private final DataSource pool;
  private final Flavor flavor;
  private final MySqlConfig config;

  StartOffsets(DataSource pool, Flavor flavor, MySqlConfig config) {
    this.pool = pool;
    this.flavor = flavor;
    this.config = config;
  }

  BinlogPosition resolve() {
    try {
      return switch (config.startupMode()) {
        case "earliest-offset" -> fileStart(binlogs().get(0).name());
        case "specific-offset" -> config.startAt().gtidSet() != null ? gtidSet() : fileAndPos();
        case "timestamp" -> timestamp();
        default -> throw new IllegalStateException("no configured start in mode " + config.startupMode());
      };
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  private List<BinlogFile> binlogs() throws SQLException {
    List<BinlogFile> files = new ArrayList<>();
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
      while (rs.next()) {
        files.add(new BinlogFile(rs.getString(1), rs.getLong(2)));
      }
    }
    if (files.isEmpty()) {
      throw new ConfigurationException("the server lists no binlog files (SHOW BINARY LOGS); is log_bin on?");
    }
    return files;
  }

  private BinlogPosition fileAndPos() throws SQLException {
    StartAt at = config.startAt();
    List<BinlogFile> files = binlogs();
    BinlogFile file = files.stream().filter(f -> f.name().equals(at.file())).findFirst().orElseThrow(() ->
        new ConfigurationException("scan.startup.specific-offset.file: binlog file '" + at.file() + "' is not on the "
            + "server, which has " + files.get(0).name() + " to " + files.get(files.size() - 1).name()
            + (BinlogPosition.fileIndex(at.file()) < BinlogPosition.fileIndex(files.get(0).name())
                ? "; it has been purged" + RESNAPSHOT : "")));
    if (at.pos() > file.size()) {
      throw new ConfigurationException("scan.startup.specific-offset.pos: " + at.pos() + " lies beyond the end of "
          + file.name() + " (" + file.size() + " bytes)");
    }
    if (at.pos() < file.size()) {
      requireTransactionBoundary(file.name(), at.pos());
    }
    String gtids = flavor == Flavor.MYSQL ? mysqlGtidsBefore(file.name(), at.pos()) : null;
    return at.skipEvents() > 0 || at.skipRows() > 0
        ? BinlogPosition.event(file.name(), at.pos(), at.skipEvents(), at.skipRows(), null, gtids)
        : BinlogPosition.mark(file.name(), at.pos(), gtids);
  }

  private void requireTransactionBoundary(String file, long pos) throws SQLException {
    String type;
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement("SHOW BINLOG EVENTS IN ? FROM " + pos + " LIMIT 1")) {
      ps.setString(1, file);
      try (ResultSet rs = ps.executeQuery()) {
        type = rs.next() ? rs.getString("Event_type") : null;
      }
    } catch (SQLException e) {
      throw new ConfigurationException("scan.startup.specific-offset.pos: no binlog event starts at " + pos + " in "
          + file + " (" + e.getMessage() + "); use a position SHOW MASTER STATUS or SHOW BINLOG EVENTS gave", e);
    }
    if (type != null && INSIDE.contains(type.toLowerCase(java.util.Locale.ROOT))) {
      throw new ConfigurationException("scan.startup.specific-offset.pos: the event at " + pos + " in " + file
          + " is a " + type + " event, inside a transaction; start at a transaction boundary (the position of its "
          + "GTID or BEGIN event, or one SHOW MASTER STATUS gave), and use scan.startup.specific-offset.skip-events "
          + "to pass over events after it");
    }
  }

  private BinlogPosition gtidSet() throws SQLException {
    StartAt at = config.startAt();
    String set = at.gtidSet().replaceAll("\\s", "");
    if (at.skipEvents() > 0 || at.skipRows() > 0) {
      throw new ConfigurationException("scan.startup.specific-offset.skip-events and skip-rows apply to a start at "
          + "scan.startup.specific-offset.file and pos, not to a gtid-set");
    }
    if (flavor == Flavor.MYSQL) {
      if (!MYSQL_GTIDS.matcher(set).matches()) {
        throw new ConfigurationException("scan.startup.specific-offset.gtid-set: '" + set + "' is not a MySQL GTID "
            + "set (source_uuid:1-42[,source_uuid:...]), as in gtid_executed");
      }
      GtidSet wanted = new GtidSet(set);
      if (!new GtidSet(variable("@@GLOBAL.gtid_purged")).isSubsetOf(wanted)) {
        throw new ConfigurationException("scan.startup.specific-offset.gtid-set: the server has purged transactions "
            + "that are not in '" + set + "' (gtid_purged is " + variable("@@GLOBAL.gtid_purged") + ")" + RESNAPSHOT);
      }
      if (!wanted.isSubsetOf(new GtidSet(variable("@@GLOBAL.gtid_executed")))) {
        throw new ConfigurationException("scan.startup.specific-offset.gtid-set: '" + set + "' holds transactions "
            + "this server has not executed (gtid_executed is " + variable("@@GLOBAL.gtid_executed") + ")");
      }
      return BinlogPosition.visible(set);
    }
    if (!MARIADB_GTIDS.matcher(set).matches()) {
      throw new ConfigurationException("scan.startup.specific-offset.gtid-set: '" + set + "' is not a MariaDB GTID "
          + "position (domain-server-sequence[,...]), as in gtid_binlog_pos");
    }
    requireMariaDbGtidsKept(set);
    // MariaDB's connector starts from the GTID position; the file and position only need to exist.
    BinlogFile last = binlogs().get(binlogs().size() - 1);
    return BinlogPosition.mark(last.name(), last.size(), set);
  }

  /**
   * MariaDB: the oldest binlog starts with the GTID state before it (its {@code Gtid_list}); a start
   * at a lower sequence number in one of those domains lies in a purged file.
   */
  private void requireMariaDbGtidsKept(String set) throws SQLException {
    String oldest = binlogs().get(0).name();
    String kept;
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT BINLOG_GTID_POS(?, 4)")) {
      ps.setString(1, oldest);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        kept = rs.getString(1) == null ? "" : rs.getString(1);
      }
    }
    Map<String, Long> wanted = mariaDbSequences(set);
    mariaDbSequences(kept).forEach((domain, seq) -> {
      if (wanted.getOrDefault(domain, 0L) < seq) {
        throw new ConfigurationException("scan.startup.specific-offset.gtid-set: '" + set + "' starts domain " + domain
            + " before the oldest binlog file on the server (" + oldest + " starts after " + kept + ")" + RESNAPSHOT);
      }
    });
  }

  /** {@code 0-1-42,1-2-7} → domain → sequence number. */
  private static Map<String, Long> mariaDbSequences(String set) {
    Map<String, Long> out = new HashMap<>();
    for (String gtid : set.split(",")) {
      String[] p = gtid.trim().split("-");
      if (p.length == 3) {
        out.merge(p[0], Long.parseLong(p[2]), Math::max);
      }
    }
    return out;
  }

  private String variable(String name) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + name)) {
      rs.next();
      return rs.getString(1) == null ? "" : rs.getString(1);
    }
  }

  /**
   * The start of the newest binlog file started before the time's second (an event in that second
   * may sit at the end of the previous file); events before the time are then passed over by {@link
   * SkipBefore}. Binary search: one short binlog connection per file looked at.
   */
  private BinlogPosition timestamp() throws SQLException {
    long second = Math.floorDiv(config.startAt().timestampMillis(), 1000) * 1000;
    List<BinlogFile> files = binlogs();
    long oldest = BinlogFileTimes.startMillis(config, files.get(0).name());
    if (oldest > second) {
      throw new ConfigurationException("scan.startup.timestamp-millis: " + Instant.ofEpochMilli(second)
          + " is before the oldest binlog file on the server (" + files.get(0).name() + ", started "
          + Instant.ofEpochMilli(oldest) + ")" + RESNAPSHOT);
    }
    int lo = 0;
    int hi = files.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (BinlogFileTimes.startMillis(config, files.get(mid).name()) < second) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return fileStart(files.get(lo).name());
  }

  private BinlogPosition fileStart(String file) throws SQLException {
    return BinlogPosition.mark(file, 4, flavor == Flavor.MYSQL ? mysqlGtidsBefore(file, 4) : null);
  }

  /**
   * MySQL: a start before the server's first transaction (the head of its first binlog, nothing ever
   * purged) is an empty GTID set, which Debezium's binlog client cannot start from (0.40.6
   * dereferences the null set it makes of an empty one) and which no placeholder can stand in for
   * (Debezium checks the set against the server's). So the start moves just past that first
   * transaction when it changed no captured table (it is nearly always the server's own set-up);
   * otherwise the start is refused.
   */
  private String afterFirstTransaction(String file) throws SQLException {
    String gtid = null;
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement("SHOW BINLOG EVENTS IN ? LIMIT 10000")) {
      ps.setString(1, file);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String type = rs.getString("Event_type");
          String info = rs.getString("Info");
          if (type.equalsIgnoreCase("Gtid")) {
            if (gtid != null) {
              break; // the second transaction starts
            }
            gtid = info;
          } else if (gtid != null && type.equalsIgnoreCase("Table_map") && capturedTableIn(info)) {
            throw new ConfigurationException(config.startupMode() + ": the start lies before the server's first "
                + "transaction, which changes a captured table (" + info + "); the binlog reader cannot start before "
                + "a server's first transaction: start with scan.startup.mode=initial to snapshot the tables instead");
          }
        }
      }
    }
    if (gtid == null) {
      throw new ConfigurationException(config.startupMode() + ": the server has written no transaction to its binlog "
          + "yet, and the binlog reader cannot start before a server's first transaction; use "
          + "scan.startup.mode=latest-offset");
    }
    GtidAccumulator first = new GtidAccumulator();
    first.add(gtid);
    return first.toString();
  }

  /** A {@code Table_map} event's info, {@code table_id: 92 (db.table)}: whether it names a captured table. */
  private boolean capturedTableIn(String info) {
    int open = info.lastIndexOf('(');
    int dot = info.indexOf('.', open);
    return open < 0 || dot < 0 || config.captures(info.substring(open + 1, dot), info.substring(dot + 1, info.length() - 1));
  }

  /**
   * MySQL: the GTID set of every transaction before {@code pos} in {@code file}: the file's
   * {@code Previous_gtids} plus the GTID events before {@code pos}, read a page of events at a time.
   * Debezium's MySQL connector starts from a GTID set whenever the server has GTIDs on, so a start
   * at a file and position must be given as the set of what precedes it.
   */
  private String mysqlGtidsBefore(String file, long pos) throws SQLException {
    GtidAccumulator done = new GtidAccumulator();
    long from = 4;
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement("SHOW BINLOG EVENTS IN ? FROM ? LIMIT 1000")) {
      while (true) {
        ps.setString(1, file);
        ps.setLong(2, from);
        long next = -1;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String type = rs.getString("Event_type");
            if (type.equalsIgnoreCase("Previous_gtids")) {
              done.addSet(rs.getString("Info")); // part of the file's head, after pos 4
            } else if (type.equalsIgnoreCase("Gtid")) {
              if (rs.getLong("Pos") >= pos) {
                next = -1;
                break;
              }
              done.add(rs.getString("Info"));
            }
            next = rs.getLong("End_log_pos");
          }
        }
        if (next <= from) {
          break; // at pos, or the end of the file
        }
        from = next;
      }
    }
    return done.isEmpty() ? afterFirstTransaction(file) : done.toString();
  }
}
