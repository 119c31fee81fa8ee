package dev.sluice.source.mysql;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.KeySpace;
import dev.sluice.core.source.Source;
import dev.sluice.source.mysql.debezium.BinlogLog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A MySQL 8 or MariaDB database as a Sluice source: chunks read over a HikariCP pool, the binlog
 * read by Debezium ({@link BinlogLog}), watermarks from {@link Watermarks}. Construction runs the
 * preflight checks and describes the captured tables, so a bad setting fails before anything runs.
 */
public final class MySqlSource implements Source {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final MySqlConfig config;
  private final String name;
  private final HikariDataSource pool;
  private final Flavor flavor;
  private final Map<TableId, TableInfo> tables = new LinkedHashMap<>();
  private final Map<TableId, Comparator<Key>> orders = new LinkedHashMap<>();
  /** Orders of the non-binary key collations, one per collation; weighed over their own connection. */
  private final Map<String, CollationOrder> collations = new LinkedHashMap<>();
  private volatile HikariDataSource weightsPool;
  private final Catalog catalog;
  private final ChunkQueries chunks;
  private final Watermarks watermarks;

  public MySqlSource(MySqlConfig config) {
    this.config = config;
    this.name = "mysql-" + INSTANCES.incrementAndGet();
    this.pool = Connections.pool(config, name);
    this.catalog = new Catalog(pool, config);
    try {
      this.flavor = catalog.preflight();
      for (TableInfo t : catalog.describe()) {
        tables.put(t.schema().id(), t);
        orders.put(t.schema().id(), KeyOrder.of(t, this::collationOrder));
      }
    } catch (RuntimeException e) {
      closePools();
      throw e;
    }
    this.chunks = new ChunkQueries(pool, tables, config);
    this.watermarks = new Watermarks(pool, flavor);
  }

  private CollationOrder collationOrder(CollationOrder.Spec spec) {
    return collations.computeIfAbsent(spec.collation(), c -> {
      if (weightsPool == null) {
        weightsPool = Connections.pool(config, name + "-weights", 1);
      }
      return new CollationOrder(spec, new ServerWeights(weightsPool, spec, e -> Connections.translate(config, e)));
    });
  }

  private void closePools() {
    pool.close();
    if (weightsPool != null) {
      weightsPool.close();
    }
  }

  public MySqlConfig config() {
    return config;
  }

  public boolean isMariaDb() {
    return flavor == Flavor.MARIADB;
  }

  @Override
  public List<TableSchema> tables() {
    return tables.values().stream().map(TableInfo::schema).toList();
  }

  @Override
  public KeySpace keySpace(TableSchema table) {
    return chunks.keySpace(table);
  }

  @Override
  public Key chunkBoundary(TableSchema table, Key after, long rows) {
    return chunks.chunkBoundary(table, after, rows);
  }

  @Override
  public void readChunk(TableSchema table, KeyRange range, Predicate<Row> consumer) {
    chunks.readChunk(table, range, consumer);
    // A chunk read while the table had another definition would carry rows in the old shape after
    // the schema change: refuse it, before the engine delivers any of its rows.
    if (catalog.changed(chunks.table(table))) {
      throw new DataException("table " + table.id() + " changed (DDL) while its snapshot was being read, so chunk "
          + range + " no longer matches the columns the snapshot started with; the snapshot cannot go on. Delete "
          + "the pipeline's checkpoint and start again with scan.startup.mode=initial to snapshot the new "
          + "definition, and run DDL on captured tables only once their snapshot has finished (DDL while "
          + "streaming is followed)");
    }
  }

  @Override
  public Comparator<Key> keyOrder(TableSchema table) {
    return orders.get(table.id());
  }

  @Override
  public Position lowWatermark() {
    return watermarks.low();
  }

  @Override
  public Position highWatermark() {
    return watermarks.high();
  }

  /**
   * {@code scan.startup.mode} {@code earliest-offset}, {@code specific-offset} or {@code timestamp}:
   * the binlog position the options name, checked against the server ({@link StartOffsets}).
   */
  @Override
  public Position startOffset() {
    if (!List.of("earliest-offset", "specific-offset", "timestamp").contains(config.startupMode())) {
      return Source.super.startOffset();
    }
    if (!config.startupMode().equals("timestamp")) {
      return new StartOffsets(pool, flavor, config).resolve();
    }
    // Finding the file reads binlog event times over a binlog connection, under this source's id.
    try (ServerIdClaim claim = ServerIdClaim.acquire(config)) {
      return new StartOffsets(pool, flavor, config).resolve();
    }
  }

  @Override
  public ChangeLog openLog(Position from, Map<String, String> state) {
    BinlogPosition start = (BinlogPosition) from;
    checkNotPurged(start);
    if (flavor == Flavor.MARIADB && start.gtidSet() == null) {
      start = withMariaDbGtids(start);
    }
    BinlogPosition status = watermarks.high();
    Map<TableId, String> createStatements = Map.of();
    if (state.isEmpty()) {
      createStatements = catalog.createStatements(tables.keySet());
      catalog.requireUnchanged(tables.values());
    } else {
      // Tables captured for the first time on this resume: their definitions join the stored history.
      Set<TableId> unknown = BinlogLog.unknownTables(state, tables.keySet());
      if (!unknown.isEmpty()) {
        createStatements = catalog.createStatements(unknown);
      }
    }
    ServerIdClaim claim = ServerIdClaim.acquire(config);
    try {
      ChangeLog log = BinlogLog.open(name, config, flavor == Flavor.MARIADB, Map.copyOf(tables), start, status, state,
          createStatements);
      Long time = config.startAt().timestampMillis();
      if (time != null) {
        log = new SkipBefore(log, Math.floorDiv(time, 1000) * 1000, state);
      }
      return claim.holdWhileOpen(log);
    } catch (RuntimeException e) {
      claim.close();
      throw e;
    }
  }

  /**
   * MariaDB's Debezium connector starts from a GTID position; {@code BINLOG_GTID_POS} gives the one
   * at a transaction boundary of the binlog, which every position this source starts from is.
   */
  private BinlogPosition withMariaDbGtids(BinlogPosition p) {
    try (Connection c = pool.getConnection();
        java.sql.PreparedStatement ps = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
      ps.setString(1, p.file());
      ps.setLong(2, p.pos());
      String gtids;
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        gtids = rs.getString(1);
      }
      if (gtids == null || gtids.isEmpty()) {
        gtids = historyStart(c);
      }
      return new BinlogPosition(p.kind(), p.file(), p.pos(), p.event(), p.row(), p.gtid(), gtids);
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  /**
   * MariaDB: the start of the server's history, before its first transaction (a start at the head of
   * the oldest binlog when nothing was ever purged). The empty GTID position that means this fails
   * inside Debezium's binlog client (0.40.6 dereferences the null set it makes of an empty one), so
   * it is written as sequence 0 of every domain and server in the binlog: no transaction has it, and
   * the server sends each domain from its first transaction.
   */
  private static String historyStart(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_state")) {
      rs.next();
      String state = rs.getString(1) == null ? "" : rs.getString(1).trim();
      return state.replaceAll("-\\d+(,|$)", "-0$1");
    }
  }

  /** Refuses to resume from a position the server no longer has. */
  private void checkNotPurged(BinlogPosition from) {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      if (flavor == Flavor.MYSQL && from.kind() != BinlogPosition.Kind.EVENT && from.gtidSet() != null) {
        try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_purged")) {
          rs.next();
          if (!new GtidSet(rs.getString(1)).isSubsetOf(new GtidSet(from.gtidSet()))) {
            throw purged(from);
          }
        }
      } else if (from.file() != null) {
        boolean found = false;
        try (ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
          while (rs.next()) {
            found |= rs.getString(1).equals(from.file());
          }
        }
        if (!found) {
          throw purged(from);
        }
      }
    } catch (SQLException e) {
      throw Connections.translate(config, e);
    }
  }

  private ConfigurationException purged(BinlogPosition from) {
    return new ConfigurationException("the checkpoint resumes the binlog at " + from.encode()
        + ", which the server has purged; changes since then are lost to the log. Delete the pipeline's checkpoint "
        + "and start again with scan.startup.mode=initial to snapshot anew, and keep binlogs longer "
        + "(binlog_expire_logs_seconds / expire_logs_days)");
  }

  @Override
  public int comparePositions(Position a, Position b) {
    return BinlogPosition.compare((BinlogPosition) a, (BinlogPosition) b);
  }

  @Override
  public Position decodePosition(String encoded) {
    return BinlogPosition.decode(encoded);
  }

  @Override
  public void close() {
    closePools();
  }

  @Override
  public String toString() {
    return "MySqlSource[" + name + " " + flavor + " " + config + "]";
  }
}
