package dev.sluice.source.postgres.debezium;

import dev.sluice.core.event.TableId;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.source.debezium.DebeziumLog;
import dev.sluice.source.postgres.Lsn;
import dev.sluice.source.postgres.PostgresConfig;
import dev.sluice.source.postgres.TableInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Opens the logical replication stream through Debezium's PostgreSQL connector ({@code pgoutput}) on
 * the slot and publication the source prepared. Debezium never snapshots ({@code
 * snapshot.mode=no_data}), never creates or drops the slot or publication, and confirms an LSN to
 * the slot only when told in {@link ChangeLog#committed()} (offsets flushed on acknowledgement only).
 * Its heartbeat writes a transactional logical message into this database's WAL, so the stream moves
 * (and the slot is confirmed past other databases' WAL) even when nothing captured changes.
 */
public final class PgLog {
  static final String SERVER_NAME = "sluice";

  private PgLog() {}

  public static ChangeLog open(String name, PostgresConfig config, Map<TableId, TableInfo> tables, Lsn from,
      Map<String, String> state) {
    Map<String, String> p = new HashMap<>();
    p.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.put("database.hostname", config.host());
    p.put("database.port", Integer.toString(config.port()));
    p.put("database.user", config.user());
    p.put("database.password", config.password());
    p.put("database.dbname", config.database());
    config.jdbcProperties().forEach((k, v) -> p.put("driver." + k, v));
    p.put("topic.prefix", SERVER_NAME);
    p.put("plugin.name", "pgoutput");
    p.put("slot.name", config.slot());
    p.put("publication.name", config.publication());
    p.put("publication.autocreate.mode", "disabled");
    p.put("slot.drop.on.stop", "false");
    p.put("table.include.list", tables.keySet().stream().map(t -> Pattern.quote(t.schema() + "." + t.table()))
        .collect(Collectors.joining(",")));
    p.put("snapshot.mode", "no_data");
    p.put("decimal.handling.mode", "string");
    p.put("time.precision.mode", "adaptive_time_microseconds");
    p.put("binary.handling.mode", "bytes");
    p.put("interval.handling.mode", "string");
    p.put("money.fraction.digits", "2");
    p.put("unavailable.value.placeholder", PgRecordMapper.PLACEHOLDER);
    p.put("tombstones.on.delete", "false");
    p.put("include.unknown.datatypes", "false");
    p.put("heartbeat.interval.ms", "100");
    p.put("heartbeat.action.query", "SELECT pg_logical_emit_message(true, 'sluice.heartbeat', '')");
    p.put("status.update.interval.ms", "1000");
    p.put("poll.interval.ms", "5");
    p.put("max.batch.size", "2048");
    p.put("max.queue.size", "8192");
    p.put("connect.timeout.ms", Long.toString(config.connectTimeout().toMillis()));
    p.putAll(config.debezium());
    return new DebeziumLog(name, p, state, new PgRecordMapper(tables, config.database(), from), from, 4096);
  }
}
