package dev.sluice.source.postgres;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.event.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's catalog: preflight checks, the captured tables' descriptions, and the replication
 * slot and publication (created when missing, never dropped here).
 */
final class Catalog {
  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);

  private final DataSource pool;
  private final PostgresConfig config;

  Catalog(DataSource pool, PostgresConfig config) {
    this.pool = pool;
    this.config = config;
  }

  /** wal_level and the user's REPLICATION attribute; refuses with the fix. */
  void preflight() {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SHOW wal_level")) {
        rs.next();
        if (!"logical".equals(rs.getString(1))) {
          throw new ConfigurationException("the server at " + config.host() + ":" + config.port() + " runs with wal_level="
              + rs.getString(1) + "; logical replication needs wal_level=logical (set it in postgresql.conf and restart)");
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
        if (!rs.next() || !rs.getBoolean(1)) {
          throw new ConfigurationException("user '" + config.user() + "' has no REPLICATION attribute; run "
              + "ALTER ROLE " + config.user() + " WITH REPLICATION (as a superuser)");
        }
      }
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  /** The captured tables, described; refuses when none matches. */
  List<TableInfo> describe() {
    List<TableInfo> out = new ArrayList<>();
    try (Connection c = pool.getConnection()) {
      for (TableId id : matchingTables(c)) {
        out.add(describe(c, id));
      }
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
    if (out.isEmpty()) {
      throw new ConfigurationException(config.where() + ": no table of database " + config.database()
          + " matches the tables option " + config.include() + " (patterns match schema.table, or database.schema.table as Flink CDC selectors)");
    }
    return out;
  }

  private List<TableId> matchingTables(Connection c) throws SQLException {
    List<TableId> ids = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT table_schema, table_name "
        + "FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN "
        + "('pg_catalog', 'information_schema') ORDER BY 1, 2")) {
      while (rs.next()) {
        if (config.captures(rs.getString(1), rs.getString(2))) {
          ids.add(new TableId(config.database(), rs.getString(1), rs.getString(2)));
        }
      }
    }
    return ids;
  }

  private TableInfo describe(Connection c, TableId id) throws SQLException {
    List<TableInfo.Described> cols = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT c.column_name, c.udt_name, "
        + "EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = c.udt_name "
        + "AND n.nspname = c.udt_schema AND t.typtype = 'e'), "
        + "COALESCE(c.numeric_precision, c.datetime_precision, -1), COALESCE(c.numeric_scale, 0), c.is_nullable = 'YES' "
        + "FROM information_schema.columns c WHERE c.table_schema = ? AND c.table_name = ? ORDER BY c.ordinal_position")) {
      ps.setString(1, id.schema());
      ps.setString(2, id.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String type = rs.getString(2);
          int precision = type.equals("numeric") || type.startsWith("time") ? rs.getInt(4) : -1;
          if (type.equals("numeric") && rs.getObject(4) == null) {
            precision = 0;
          }
          cols.add(new TableInfo.Described(rs.getString(1), type, rs.getBoolean(3), precision, rs.getInt(5),
              rs.getBoolean(6)));
        }
      }
    }
    boolean full;
    try (PreparedStatement ps = c.prepareStatement("SELECT relreplident = 'f' FROM pg_class WHERE oid = ?::regclass")) {
      ps.setString(1, TableInfo.quote(id.schema()) + "." + TableInfo.quote(id.table()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        full = rs.getBoolean(1);
      }
    }
    List<String> key = primaryKey(c, id);
    boolean primary = !key.isEmpty();
    if (!primary) {
      String chunkKey = config.chunkKeyColumn();
      if (chunkKey != null && cols.stream().anyMatch(d -> d.name().equals(chunkKey))) {
        key = List.of(chunkKey);
      } else if (!full) {
        // With no key and the default replica identity, the server logs no old row for an UPDATE or
        // DELETE, and refuses both outright once the table is in a publication that publishes them.
        throw new ConfigurationException("table " + id + " has no primary key, no column named by "
            + "scan.incremental.snapshot.chunk.key-column, and is not REPLICA IDENTITY FULL, so its updates and "
            + "deletes cannot be captured; run ALTER TABLE " + TableInfo.quote(id.schema()) + "."
            + TableInfo.quote(id.table()) + " REPLICA IDENTITY FULL (it is then read whole, at-least-once only), "
            + "or give it a primary key or set scan.incremental.snapshot.chunk.key-column to a unique, not-null "
            + "column of it, or exclude the table");
      }
      // Else no key: the engine reads it whole in at-least-once delivery and refuses it, naming it, in
      // exactly-once; its updates and deletes carry the whole old row, which a keyless target matches.
    }
    TableInfo info = TableInfo.of(id, cols, key, primary, full);
    if (!full && info.kinds().stream().anyMatch(k -> k == PgType.TEXT || k == PgType.BYTES || k == PgType.JSON)) {
      LOG.warn("table {} is not REPLICA IDENTITY FULL: an UPDATE that leaves a large (TOASTed) value unchanged "
          + "cannot be delivered and stops the pipeline; run ALTER TABLE {} REPLICA IDENTITY FULL", id, info.quotedName());
    }
    return info;
  }

  private static List<String> primaryKey(Connection c, TableId id) throws SQLException {
    List<String> key = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a "
        + "ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary "
        + "ORDER BY array_position(i.indkey::int2[], a.attnum)")) {
      ps.setString(1, TableInfo.quote(id.schema()) + "." + TableInfo.quote(id.table()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          key.add(rs.getString(1));
        }
      }
    }
    return key;
  }

  /**
   * Makes sure the slot exists (creating it when missing) and is usable: ours to read (pgoutput, this
   * database), not held by another client, not lost. Refuses with the fix otherwise.
   *
   * @return whether the slot was created now
   */
  boolean ensureSlot() {
    String slot = config.slot();
    try (Connection c = pool.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT plugin, database, active, active_pid, wal_status "
          + "FROM pg_replication_slots WHERE slot_name = ?")) {
        ps.setString(1, slot);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            if (!"pgoutput".equals(rs.getString(1)) || !config.database().equals(rs.getString(2))) {
              throw new ConfigurationException("replication slot " + slot + " belongs to plugin " + rs.getString(1)
                  + " on database " + rs.getString(2) + ", not pgoutput on " + config.database()
                  + "; choose another slot.name");
            }
            if (rs.getBoolean(3)) {
              throw new ConnectionException("replication slot " + slot + " is in use by another client (pid "
                  + rs.getString(4) + "); stop that client or choose another slot.name", null);
            }
            if ("lost".equals(rs.getString(5))) {
              throw new ConfigurationException("replication slot " + slot + " has lost WAL it needs "
                  + "(max_slot_wal_keep_size); changes since the checkpoint are gone. Drop the slot "
                  + "(SELECT pg_drop_replication_slot('" + slot + "')), delete the pipeline's checkpoint and start "
                  + "again with scan.startup.mode=initial to snapshot anew");
            }
            return false;
          }
        }
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM "
          + "pg_replication_slots) >= current_setting('max_replication_slots')::int, current_setting('max_replication_slots')")) {
        rs.next();
        if (rs.getBoolean(1)) {
          throw new ConfigurationException("cannot create replication slot " + slot + ": all " + rs.getString(2)
              + " slots (max_replication_slots) are taken; drop an unused slot or raise max_replication_slots");
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
        ps.setString(1, slot);
        ps.execute();
      }
      LOG.info("created replication slot {} (pgoutput) on database {}", slot, config.database());
      return true;
    } catch (SQLException e) {
      if ("53400".equals(e.getSQLState())) {
        throw new ConfigurationException("cannot create replication slot " + slot + ": all slots (max_replication_slots) "
            + "are taken; drop an unused slot or raise max_replication_slots", e);
      }
      throw Connections.translate(config, e);
    }
  }

  /**
   * The slot's confirmed position ({@code confirmed_flush_lsn}): where {@code scan.startup.mode
   * committed-offset} starts. Refuses, naming the option, when the slot does not exist (it is never
   * created for this mode: a new slot would start now and silently skip what the operator meant to
   * resume).
   */
  Lsn committedOffset() {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, config.slot());
      try (ResultSet rs = ps.executeQuery()) {
        boolean found = rs.next();
        String confirmed = found ? rs.getString(1) : null;
        if (confirmed == null) {
          throw new ConfigurationException("scan.startup.mode committed-offset resumes from the confirmed position of "
              + "replication slot " + config.slot() + ", but " + (found ? "it is not a logical slot" : "no such slot exists")
              + " on the server; set slot.name to an existing logical slot of database "
              + config.database() + ", or start with scan.startup.mode initial (snapshot, then the log) or "
              + "latest-offset");
        }
        return Lsn.mark(Lsn.parse(confirmed));
      }
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  /**
   * Refuses to resume from {@code from} when the slot cannot give the changes after it: the slot was
   * created anew (the old one was dropped), or it has been confirmed past {@code from} by another
   * reader. Sluice confirms only what a durable checkpoint holds, so neither happens on its own.
   */
  void requireResumable(Lsn from, boolean slotCreated) {
    String fix = "; delete the pipeline's checkpoint and start again with scan.startup.mode=initial to snapshot anew";
    if (slotCreated) {
      throw new ConfigurationException("the checkpoint resumes the log at " + from + ", but replication slot "
          + config.slot() + " did not exist (it was dropped), so the changes since then are lost" + fix);
    }
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, config.slot());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getString(1) != null && Long.compareUnsigned(Lsn.parse(rs.getString(1)), from.commit()) > 0) {
          throw new ConfigurationException("the checkpoint resumes the log at " + from + ", but replication slot "
              + config.slot() + " has been confirmed up to " + rs.getString(1) + " (another reader used it), so the "
              + "changes in between are lost" + fix);
        }
      }
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  /** Creates the publication of the captured tables when missing, and adds captured tables it lacks. */
  void ensurePublication(List<TableInfo> tables) {
    String pub = config.publication();
    Set<String> wanted = tables.stream().map(TableInfo::quotedName).collect(Collectors.toCollection(TreeSet::new));
    try (Connection c = pool.getConnection()) {
      Set<String> present = null;
      try (PreparedStatement ps = c.prepareStatement("SELECT p.pubname, t.schemaname, t.tablename FROM pg_publication p "
          + "LEFT JOIN pg_publication_tables t ON t.pubname = p.pubname WHERE p.pubname = ?")) {
        ps.setString(1, pub);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (present == null) {
              present = new TreeSet<>();
            }
            if (rs.getString(2) != null) {
              present.add(TableInfo.quote(rs.getString(2)) + "." + TableInfo.quote(rs.getString(3)));
            }
          }
        }
      }
      try (Statement s = c.createStatement()) {
        if (present == null) {
          s.execute("CREATE PUBLICATION " + TableInfo.quote(pub) + " FOR TABLE " + String.join(", ", wanted));
          LOG.info("created publication {} for {}", pub, wanted);
        } else {
          wanted.removeAll(present);
          if (!wanted.isEmpty()) {
            s.execute("ALTER PUBLICATION " + TableInfo.quote(pub) + " ADD TABLE " + String.join(", ", wanted));
            LOG.info("added {} to publication {}", wanted, pub);
          }
        }
      }
    } catch (SQLException e) {
      if ("42501".equals(e.getSQLState())) {
        throw new ConfigurationException("user '" + config.user() + "' may not create or change publication " + pub
            + " (" + e.getMessage() + "); create it as the tables' owner: CREATE PUBLICATION " + pub + " FOR TABLE "
            + String.join(", ", wanted), e);
      }
      throw Connections.translate(config, e);
    }
  }
}
