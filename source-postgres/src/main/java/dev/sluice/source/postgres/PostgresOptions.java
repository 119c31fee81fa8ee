package dev.sluice.source.postgres;

import dev.sluice.core.option.Option;
import java.time.Duration;
import java.util.List;

/**
 * The options of the PostgreSQL source, declared once; names follow Flink CDC's Postgres pipeline
 * source where it has one, so pipeline files written for it read the same here.
 */
public final class PostgresOptions {
  private PostgresOptions() {}

  public static final Option<String> HOSTNAME = Option.string("hostname", "host name or address of the server").asRequired();
  public static final Option<Integer> PORT = Option.integer("port", 1, "TCP port of the server").withDefault("5432");
  public static final Option<String> USERNAME = Option.string("username",
      "user with the REPLICATION attribute and SELECT on the captured tables").asRequired();
  public static final Option<String> PASSWORD = Option.password("password", "password of the user").asRequired();
  public static final Option<String> DATABASE = Option.string("database-name", "the database to capture").asRequired();
  public static final Option<List<String>> TABLES = Option.list("tables",
      "captured tables: comma-separated regular expressions matched against schema.table").asRequired();
  public static final Option<String> SLOT = Option.string("slot.name",
      "replication slot; created when missing, reused on restart, never dropped by Sluice (default: sluice_<database>)");
  public static final Option<String> PUBLICATION = Option.string("publication.name",
      "publication of the captured tables; created when missing (default: the slot name)");
  public static final Option<String> PLUGIN = Option.oneOf("decoding.plugin.name", List.of("pgoutput"),
      "logical decoding plugin; only pgoutput is supported").withDefault("pgoutput");
  public static final Option<String> STARTUP_MODE = Option.oneOf("scan.startup.mode",
      List.of("initial", "latest-offset", "committed-offset", "snapshot"),
      "initial: snapshot, then the log; latest-offset: the log from now on; committed-offset: the log from "
          + "the replication slot's confirmed position, no snapshot (the slot must exist); snapshot: snapshot and stop")
      .withDefault("initial");
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
  public static final Option<String> JDBC_PROPERTIES = Option.prefix("jdbc.properties.",
      "passed to the JDBC driver, e.g. jdbc.properties.sslmode=require");
  public static final Option<String> DEBEZIUM = Option.prefix("debezium.",
      "passed to the Debezium connector, e.g. debezium.heartbeat.interval.ms=500");

  public static final List<Option<?>> ALL = List.of(HOSTNAME, PORT, USERNAME, PASSWORD, DATABASE, TABLES, SLOT,
      PUBLICATION, PLUGIN, STARTUP_MODE, CHUNK_SIZE, FETCH_SIZE, CHUNK_KEY_COLUMN, CONNECT_TIMEOUT, POOL_SIZE,
      JDBC_PROPERTIES, DEBEZIUM);
}
