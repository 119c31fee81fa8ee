package dev.sluice.source.mysql;

import dev.sluice.core.option.Option;
import java.time.Duration;
import java.util.List;

/**
 * The options of the MySQL/MariaDB source, declared once; names follow Flink CDC's MySQL pipeline
 * source where it has one.
 */
public final class MySqlOptions {
  private MySqlOptions() {}

  public static final Option<String> HOSTNAME = Option.string("hostname", "host name or address of the server").asRequired();
  public static final Option<Integer> PORT = Option.integer("port", 1, "TCP port of the server").withDefault("3306");
  public static final Option<String> USERNAME = Option.string("username",
      "user with SELECT, REPLICATION SLAVE, REPLICATION CLIENT").asRequired();
  public static final Option<String> PASSWORD = Option.password("password", "password of the user").asRequired();
  public static final Option<List<String>> TABLES = Option.list("tables",
      "captured tables: comma-separated regular expressions matched against db.table").asRequired();
  public static final Option<List<String>> TABLES_EXCLUDE = Option.list("tables.exclude",
      "tables to leave out: comma-separated regular expressions matched against db.table");
  public static final Option<String> SERVER_ID = Option.string("server-id",
      "replica server id of the binlog reader, a number or a range like 5400-5404 (the first is used); "
          + "unique among the server's binlog readers, checked when the log opens").withDefault("5400-5404");
  public static final Option<String> SERVER_TIME_ZONE = Option.string("server-time-zone",
      "the server's session time zone, for DATETIME defaults and Debezium's conversions").withDefault("UTC");
  public static final Option<String> STARTUP_MODE = Option.oneOf("scan.startup.mode",
      List.of("initial", "latest-offset", "earliest-offset", "specific-offset", "timestamp", "snapshot"),
      "initial: snapshot, then the binlog; latest-offset: the binlog from now on; earliest-offset: the binlog from "
          + "the oldest file the server still has; specific-offset: the binlog from scan.startup.specific-offset.*; "
          + "timestamp: the binlog from scan.startup.timestamp-millis; snapshot: snapshot and stop. Only initial and "
          + "snapshot read the tables").withDefault("initial");
  public static final Option<String> SPECIFIC_OFFSET_FILE = Option.string("scan.startup.specific-offset.file",
      "with scan.startup.mode specific-offset: the binlog file to start in, e.g. binlog.000003 (with .pos)");
  public static final Option<Long> SPECIFIC_OFFSET_POS = Option.longValue("scan.startup.specific-offset.pos",
      "with scan.startup.mode specific-offset: the position in that file where an event starts, at a transaction "
          + "boundary (SHOW MASTER STATUS gives one)");
  public static final Option<String> SPECIFIC_OFFSET_GTID_SET = Option.string("scan.startup.specific-offset.gtid-set",
      "with scan.startup.mode specific-offset: the transactions already done (MySQL uuid:1-42, MariaDB domain-server-"
          + "sequence); reading starts with the first transaction not in it. Wins over file and pos");
  public static final Option<Long> SPECIFIC_OFFSET_SKIP_EVENTS = Option.longValue(
      "scan.startup.specific-offset.skip-events", "with scan.startup.mode specific-offset at a file and pos: binlog "
          + "events of the transaction there to pass over, counted from its BEGIN (MariaDB: its GTID event) as the "
          + "binlog reader receives them (Debezium's event offset; default 0)");
  public static final Option<Long> SPECIFIC_OFFSET_SKIP_ROWS = Option.longValue(
      "scan.startup.specific-offset.skip-rows", "with scan.startup.mode specific-offset at a file and pos: rows to "
          + "pass over in the next row event after the skipped events (Debezium's row offset; default 0)");
  public static final Option<Long> STARTUP_TIMESTAMP = Option.longValue("scan.startup.timestamp-millis",
      "with scan.startup.mode timestamp: epoch milliseconds; changes are delivered from the first binlog event at or "
          + "after that second (binlog times are whole seconds)");
  public static final Option<Integer> CHUNK_SIZE = Option.integer("scan.incremental.snapshot.chunk.size", 1,
      "rows per snapshot chunk").withDefault("8096");
  public static final Option<Integer> FETCH_SIZE = Option.integer("scan.snapshot.fetch.size", 1,
      "rows fetched per round trip while reading a chunk").withDefault("1024");
  public static final Option<String> CHUNK_KEY_COLUMN = Option.string("scan.incremental.snapshot.chunk.key-column",
      "for tables without a primary key: a unique, not-null column to chunk and identify rows by");
  public static final Option<Duration> CONNECT_TIMEOUT = Option.duration("connect.timeout",
      "how long to wait for a connection").withDefault("30s");
  public static final Option<Integer> POOL_SIZE = Option.integer("connection.pool.size", 1,
      "JDBC connections for chunk reads and watermarks").withDefault("8");
  public static final Option<String> ZERO_DATE_HANDLING = Option.oneOf("zero-date.handling",
      List.of("null", "epoch", "fail"), "zero dates (0000-00-00, a zero month or day, the zero TIMESTAMP): null: null, "
          + "the epoch in NOT NULL columns; epoch: the epoch, except in nullable DATE and DATETIME columns, where the "
          + "binlog reports them as NULL (null there); fail: stop, naming table, column and key").withDefault("null");
  public static final Option<String> JDBC_PROPERTIES = Option.prefix("jdbc.properties.",
      "passed to the JDBC driver, e.g. jdbc.properties.useSSL=false");
  public static final Option<String> DEBEZIUM = Option.prefix("debezium.",
      "passed to the Debezium connector, e.g. debezium.heartbeat.interval.ms=100");

  public static final List<Option<?>> ALL = List.of(HOSTNAME, PORT, USERNAME, PASSWORD, TABLES, TABLES_EXCLUDE,
      SERVER_ID, SERVER_TIME_ZONE, STARTUP_MODE, SPECIFIC_OFFSET_FILE, SPECIFIC_OFFSET_POS, SPECIFIC_OFFSET_GTID_SET,
      SPECIFIC_OFFSET_SKIP_EVENTS, SPECIFIC_OFFSET_SKIP_ROWS, STARTUP_TIMESTAMP, CHUNK_SIZE, FETCH_SIZE, CHUNK_KEY_COLUMN, CONNECT_TIMEOUT,
      POOL_SIZE, ZERO_DATE_HANDLING, JDBC_PROPERTIES, DEBEZIUM);
}
