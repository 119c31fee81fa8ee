package dev.sluice.sink.jdbc;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Not a test: rows per second of the sink's upserts against a hand-written multi-row INSERT of the
 * same rows into an empty table of the same shape, in the same run, on each test server. Run with
 * {@code java -cp <test classpath> dev.sluice.sink.jdbc.UpsertBenchmark [rows]}.
 */
public final class UpsertBenchmark {
  private static final TableSchema SCHEMA = TableSchema.withPrimaryKey(TableId.of("bench", "rows"),
      List.of(Column.of("id", LogicalType.INT64, false), Column.of("version", LogicalType.INT64, false),
          Column.of("payload", LogicalType.STRING, true)), List.of("id"));

  private UpsertBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    for (TargetDb.Kind kind : TargetDb.Kind.values()) {
      try (TargetDb db = TargetDb.create(kind)) {
        List<ChangeEvent> events = new ArrayList<>(rows);
        for (long i = 1; i <= rows; i++) {
          events.add(Events.insert(SCHEMA, i, i, "payload-" + Long.toString(i * 7919, 36) + "-0123456789abcdef"));
        }
        // A warm-up pass of each (JIT, server caches), then the measured one.
        sinkRate(db, events.subList(0, rows / 10), "warm");
        plainInsertRate(db, events.subList(0, rows / 10), "plain_warm");
        double sink = sinkRate(db, events, "bench");
        double plain = plainInsertRate(db, events, "plain");
        System.out.printf("%s: %d rows; sink upserts %.0f rows/s; hand-written multi-row INSERT %.0f rows/s; ratio %.2f%n",
            kind, rows, sink, plain, sink / plain);
      }
    }
  }

  private static double sinkRate(TargetDb db, List<ChangeEvent> events, String table) {
    try (JdbcSink sink = db.sink("bench", Map.of("batch.size", "2000", "table.name.pattern", table))) {
      sink.write(events.subList(0, 1)); // creates the table outside the timing
      sink.flush();
      long start = System.nanoTime();
      for (int from = 0; from < events.size(); from += 2048) {
        sink.write(events.subList(from, Math.min(events.size(), from + 2048)));
      }
      sink.flush();
      return events.size() / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static double plainInsertRate(TargetDb db, List<ChangeEvent> events, String name) throws Exception {
    String table = db.qualified(name);
    db.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, version bigint NOT NULL, payload text)");
    int per = 500;
    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (id, version, payload) VALUES ");
    for (int i = 0; i < per; i++) {
      sql.append(i == 0 ? "" : ", ").append("(?, ?, ?)");
    }
    try (Connection c = DriverManager.getConnection(db.url, db.endpoint.adminUser(), db.endpoint.adminPassword())) {
      c.setAutoCommit(false);
      long start = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int from = 0; from + per <= events.size(); from += per) {
          int p = 1;
          for (ChangeEvent e : events.subList(from, from + per)) {
            ps.setLong(p++, (Long) e.after().get(0));
            ps.setLong(p++, (Long) e.after().get(1));
            ps.setString(p++, (String) e.after().get(2));
          }
          ps.executeUpdate();
        }
      }
      c.commit();
      return (events.size() / per * per) / ((System.nanoTime() - start) / 1e9);
    }
  }
}
