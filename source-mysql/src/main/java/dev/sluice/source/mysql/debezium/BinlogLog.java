package dev.sluice.source.mysql.debezium;

import dev.sluice.core.event.TableId;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.source.debezium.DebeziumLog;
import dev.sluice.source.mysql.BinlogPosition;
import dev.sluice.source.mysql.MySqlConfig;
import dev.sluice.source.mysql.TableInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Opens the binlog through Debezium's MySQL connector, or its MariaDB connector for MariaDB. A fresh log starts exactly after the pipeline's start position: Debezium is given an
 * offset made from it and snapshot mode {@code recovery}, which records the tables' current schema
 * and streams from that offset; no data snapshot, no locks ({@code snapshot.locking.mode=none}).
 * A resumed log hands Debezium its own offsets and schema history back (mode {@code no_data}).
 */
public final class BinlogLog {
  static final String SERVER_NAME = "sluice";
  /** How long a connected reader may deliver nothing (the server heartbeats every 80 ms). */
  static final Duration SILENCE_LIMIT = Duration.ofSeconds(30);

  private BinlogLog() {}

  /**
   * The tables of {@code captured} that a resumed log's stored schema history does not define (see
   * {@link OffsetSeed#resumed}); empty for a fresh start.
   */
  public static Set<TableId> unknownTables(Map<String, String> state, Set<TableId> captured) {
    return DebeziumLog.hasEngineState(state) ? OffsetSeed.unknown(DebeziumLog.storedHistory(state), captured) : Set.of();
  }

  /**
   * @param createStatements the captured tables' {@code SHOW CREATE TABLE} text at {@code from}: the
   *     schema history of a fresh start, and on a resume the definitions of captured tables the
   *     stored history does not know
   */
  public static ChangeLog open(String name, MySqlConfig config, boolean mariadb, Map<TableId, TableInfo> tables,
      BinlogPosition from, BinlogPosition status, Map<String, String> state, Map<TableId, String> createStatements) {
    Map<String, String> p = new HashMap<>();
    // MariaDB gets its own connector: the MySQL one does not count MariaDB's transaction events,
    // so it cannot resume inside a transaction there.
    p.put("connector.class", mariadb ? "io.debezium.connector.mariadb.MariaDbConnector"
        : "io.debezium.connector.mysql.MySqlConnector");
    p.put("database.hostname", config.host());
    p.put("database.port", Integer.toString(config.port()));
    p.put("database.user", config.user());
    p.put("database.password", config.password());
    p.put("database.server.id", Long.toString(config.serverId()));
    p.put("database.allowPublicKeyRetrieval", "true");
    p.put("database.connectionTimeZone", config.serverTimeZone());
    p.put("connect.timeout.ms", Long.toString(config.connectTimeout().toMillis()));
    // Offsets are keyed by engine name and server name: both stay the same across restarts.
    p.put("topic.prefix", SERVER_NAME);
    p.put("database.include.list", tables.keySet().stream().map(t -> Pattern.quote(t.catalog())).distinct()
        .collect(Collectors.joining(",")));
    p.put("table.include.list", tables.keySet().stream().map(t -> Pattern.quote(t.catalog() + "." + t.table()))
        .collect(Collectors.joining(",")));
    p.put("snapshot.mode", "no_data");
    p.put("snapshot.locking.mode", "none");
    p.put("include.schema.changes", "true");
    p.put("schema.history.internal.store.only.captured.tables.ddl", "true");
    p.put("schema.history.internal.store.only.captured.databases.ddl", "true");
    p.put("decimal.handling.mode", "precise");
    p.put("bigint.unsigned.handling.mode", "precise");
    p.put("time.precision.mode", "adaptive_time_microseconds");
    p.put("binary.handling.mode", "bytes");
    p.put("tombstones.on.delete", "false");
    // DATE and DATETIME as the server's text, with a zero date left null even in NOT NULL columns
    // (where Debezium would put the epoch), so MySqlValues can tell a zero date from 1970-01-01.
    p.put("converters", "sluicedates");
    p.put("sluicedates.type", DateTextConverter.class.getName());
    // Heartbeats carry the reader's position; with a 1 ms interval nearly every binlog event
    // (captured or not) is followed by one. The last events before the server falls quiet are
    // usually not (they come within the same millisecond), so the reader's position after them is
    // reported with the next event, which on a quiet server is the server's own heartbeat, sent
    // when it has had nothing to send for 0.8 x connect.keep.alive.interval.ms: every 80 ms here,
    // so a chunk waits at most about that long for the log to pass its high watermark. The client's
    // keep-alive thread, which would reconnect whenever no event came for 100 ms (also while
    // Debezium waits on a lagging pipeline, and mid-transaction), is off; a connection lost without
    // an error is noticed by the log's silence limit instead.
    p.put("heartbeat.interval.ms", "1");
    p.put("connect.keep.alive", "false");
    p.put("connect.keep.alive.interval.ms", "100");
    p.put("poll.interval.ms", "5");
    p.put("max.batch.size", "2048");
    p.put("max.queue.size", "8192");
    p.putAll(config.debezium());
    Map<String, String> stored = DebeziumLog.hasEngineState(state) ? OffsetSeed.resumed(state, createStatements)
        : OffsetSeed.state(from, status, createStatements);
    return new DebeziumLog(name, p, stored, new BinlogRecordMapper(tables, config), from, 4096, SILENCE_LIMIT);
  }
}
