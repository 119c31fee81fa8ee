package dev.sluice.sink.jdbc;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Not a test: whether PostgreSQL's {@code COPY} would speed up snapshot rows. In the same run on the
 * PostgreSQL test server, the same snapshot (READ) rows go into an empty table (a) through the
 * sink's multi-row {@code INSERT ... ON CONFLICT DO UPDATE} and (b) by hand the staged way: {@code
 * COPY} (text format) of each batch into a temporary staging table, then {@code INSERT INTO t
 * SELECT * FROM stage ON CONFLICT (key) DO UPDATE ...} and {@code TRUNCATE stage}, committed at the
 * end as the sink commits. Two row shapes: narrow {@code (id, version, payload)} and a wider one
 * with a decimal, a timestamp and more text. Run with
 * {@code java -cp <test classpath> dev.sluice.sink.jdbc.CopyBenchmark [rows] [rounds]}.
 */
public final class CopyBenchmark {
  private static final int BATCH = 2000;
  private static final TableSchema NARROW = TableSchema.withPrimaryKey(TableId.of("bench", "narrow"),
      List.of(Column.of("id", LogicalType.INT64, false), Column.of("version", LogicalType.INT64, false),
          Column.of("payload", LogicalType.STRING, true)), List.of("id"));
  private static final TableSchema WIDE = TableSchema.withPrimaryKey(TableId.of("bench", "wide"),
      List.of(Column.of("id", LogicalType.INT64, false), Column.of("version", LogicalType.INT64, false),
          Column.of("customer", LogicalType.INT32, false), Column.of("amount", LogicalType.decimal(12, 2), false),
          Column.of("status", LogicalType.string(20), false), Column.of("created", LogicalType.timestamp(6), false),
          Column.of("note", LogicalType.STRING, true), Column.of("email", LogicalType.string(200), true)),
      List.of("id"));

  private CopyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try (TargetDb db = TargetDb.create(TargetDb.Kind.POSTGRES)) {
      for (TableSchema schema : List.of(NARROW, WIDE)) {
        List<ChangeEvent> events = new ArrayList<>(rows);
        for (long i = 1; i <= rows; i++) {
          events.add(ChangeEvent.read(schema, row(schema, i), Events.next()));
        }
        sinkRate(db, schema, events.subList(0, rows / 10), "warm_sink"); // JIT and server caches
        copyRate(db, schema, events.subList(0, rows / 10), "warm_copy");
        for (int r = 0; r < rounds; r++) {
          double sink = sinkRate(db, schema, events, "sink_" + r);
          double copy = copyRate(db, schema, events, "copy_" + r);
          System.out.printf("%s round %d: %d snapshot rows; sink upserts %.0f rows/s; COPY + INSERT SELECT %.0f rows/s;"
              + " COPY / sink %.2f%n", schema.id().table(), r, rows, sink, copy, copy / sink);
        }
      }
    }
  }

  private static Row row(TableSchema schema, long i) {
    String text = "payload-" + Long.toString(i * 7919, 36) + "-0123456789abcdef";
    if (schema == NARROW) {
      return Row.of(i, i, text);
    }
    return Row.of(i, i, (int) (i % 5000), BigDecimal.valueOf(i * 37 % 1_000_000, 2), i % 3 == 0 ? "shipped" : "open",
        LocalDateTime.ofEpochSecond(1_700_000_000L + i * 13, (int) (i % 1000) * 1000, ZoneOffset.UTC), text + "\tnote",
        "customer" + i % 5000 + "@example.org");
  }

  private static double sinkRate(TargetDb db, TableSchema schema, List<ChangeEvent> events, String table) {
    try (JdbcSink sink = db.sink("bench", Map.of("batch.size", Integer.toString(BATCH), "table.name.pattern", table))) {
      sink.write(events.subList(0, 1)); // creates the table outside the timing
      sink.flush();
      long start = System.nanoTime();
      for (int from = 1; from < events.size(); from += BATCH) {
        sink.write(events.subList(from, Math.min(events.size(), from + BATCH)));
      }
      sink.flush();
      return (events.size() - 1) / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static double copyRate(TargetDb db, TableSchema schema, List<ChangeEvent> events, String name) throws Exception {
    // The same table the sink creates, made by the sink.
    try (JdbcSink sink = db.sink("bench", Map.of("table.name.pattern", name))) {
      sink.write(events.subList(0, 1));
      sink.flush();
    }
    String table = db.qualified(name);
    List<String> cols = schema.columns().stream().map(c -> "\"" + c.name() + "\"").toList();
    String list = String.join(", ", cols);
    StringBuilder set = new StringBuilder();
    for (String c : cols.subList(1, cols.size())) {
      set.append(set.length() == 0 ? "" : ", ").append(c).append(" = EXCLUDED.").append(c);
    }
    try (Connection c = DriverManager.getConnection(db.url, db.endpoint.adminUser(), db.endpoint.adminPassword());
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      long start = System.nanoTime();
      st.execute("CREATE TEMP TABLE stage (LIKE " + table + ") ON COMMIT DROP");
      String merge = "INSERT INTO " + table + " (" + list + ") SELECT " + list + " FROM stage ON CONFLICT (\"id\") DO UPDATE SET "
          + set;
      StringBuilder text = new StringBuilder(1 << 20);
      for (int from = 1; from < events.size(); from += BATCH) {
        text.setLength(0);
        for (ChangeEvent e : events.subList(from, Math.min(events.size(), from + BATCH))) {
          appendRow(text, e.after());
        }
        copy.copyIn("COPY stage (" + list + ") FROM STDIN", new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
        st.executeUpdate(merge);
        st.execute("TRUNCATE stage");
      }
      c.commit();
      return (events.size() - 1) / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** One row in COPY's text format: tab-separated, {@code \N} for NULL, backslash escapes. */
  private static void appendRow(StringBuilder out, Row row) {
    for (int i = 0; i < row.size(); i++) {
      if (i > 0) {
        out.append('\t');
      }
      Object v = row.get(i);
      if (v == null) {
        out.append("\\N");
      } else if (v instanceof BigDecimal d) {
        out.append(d.toPlainString());
      } else if (v instanceof LocalDateTime t) {
        out.append(t); // ISO-8601: PostgreSQL reads the T separator
      } else if (v instanceof Instant t) {
        out.append(t);
      } else {
        String s = v.toString();
        for (int k = 0; k < s.length(); k++) {
          char ch = s.charAt(k);
          switch (ch) {
            case '\\' -> out.append("\\\\");
            case '\t' -> out.append("\\t");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            default -> out.append(ch);
          }
        }
      }
    }
    out.append('\n');
  }
}
