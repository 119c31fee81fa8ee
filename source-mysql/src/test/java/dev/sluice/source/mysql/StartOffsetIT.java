package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.core.runtime.StartupMode;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.testsupport.CollectingSink;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stream-only start modes: {@code earliest-offset}, {@code specific-offset} (file and position,
 * GTID set) and {@code timestamp} each deliver exactly the changes after their start point and then
 * live ones, without reading the table; values the server cannot start from are refused by option.
 */
class StartOffsetIT {
  @TempDir Path dir;

  private static Pipeline start(String id, MySqlSource source, CollectingSink sink, Path dir) {
    PipelineOptions options = new PipelineOptions(SnapshotOptions.of(1, 10), 16, Duration.ofMillis(300),
        Delivery.AT_LEAST_ONCE, StartupMode.SOURCE_OFFSET);
    return new Pipeline(id, source, sink, new FileCheckpointStore(dir, id), options, null).start();
  }

  /** A private database with the table {@code t (id INT PRIMARY KEY, v VARCHAR(40))}. */
  private static Db withTable(String server) throws SQLException {
    Db db = Db.on(server);
    db.sql("CREATE TABLE $db.t (id INT PRIMARY KEY, v VARCHAR(40))");
    return db;
  }

  /**
   * The same, in a fresh binlog file: a start at a file and position (or a file's head) reads the
   * file from its head, which on the shared test servers has grown large.
   */
  private static Db withTableInNewBinlog(String server) throws SQLException {
    Db db = withTable(server);
    db.sql("FLUSH BINARY LOGS");
    return db;
  }

  private static void insert(Db db, int... ids) throws SQLException {
    for (int id : ids) {
      db.sql("INSERT INTO $db.t VALUES (" + id + ", 'v" + id + "')");
    }
  }

  private static List<Object> delivered(CollectingSink sink) {
    return sink.events().stream().map(e -> e.after().get(0)).toList();
  }

  private static String query(Db db, String sql) throws SQLException {
    try (Connection c = db.admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String[] masterStatus(Db db) throws SQLException {
    try (Connection c = db.admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      rs.next();
      return new String[] {rs.getString("File"), rs.getString("Position")};
    }
  }

  /** Starts with {@code options}; the changes {@code later} then {@code live} must arrive, in order, and nothing else. */
  private void streamsExactly(Db db, String id, Map<String, String> options, List<Object> later, int live)
      throws Exception {
    CollectingSink sink = new CollectingSink();
    try (MySqlSource source = db.source(options)) {
      Pipeline p = start(id, source, sink, dir);
      await().atMost(Duration.ofSeconds(60)).until(() -> sink.events().size() >= later.size() || p.failure().isPresent());
      assertThat(p.failure()).isEmpty();
      insert(db, live);
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.events().size() > later.size() || p.failure().isPresent());
      p.stop();
      assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.failure()).isEmpty();
    }
    List<Object> expected = new java.util.ArrayList<>(later);
    expected.add(live);
    assertThat(delivered(sink)).isEqualTo(expected);
    assertThat(sink.events()).allMatch(e -> e.op() == ChangeEvent.Op.INSERT);
    assertThat(sink.reads()).as("no snapshot").isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void earliestOffsetReadsTheOldestBinlogOnwards(String server) throws Exception {
    try (Db db = withTable(server)) {
      insert(db, 1, 2, 3);
      // Every change since the table was created is still in the binlog: all of them arrive.
      streamsExactly(db, "earliest", Map.of("scan.startup.mode", "earliest-offset"), List.of(1, 2, 3), 4);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void specificOffsetStartsAtAFileAndPosition(String server) throws Exception {
    try (Db db = withTableInNewBinlog(server)) {
      insert(db, 1, 2);
      String[] at = masterStatus(db);
      insert(db, 3, 4);
      streamsExactly(db, "file", Map.of("scan.startup.mode", "specific-offset", "scan.startup.specific-offset.file", at[0],
          "scan.startup.specific-offset.pos", at[1]), List.of(3, 4), 5);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void specificOffsetSkipsEventsAndRowsOfTheTransactionItStartsAt(String server) throws Exception {
    try (Db db = withTableInNewBinlog(server)) {
      String[] at = masterStatus(db);
      try (Connection c = db.admin(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.execute("INSERT INTO t VALUES (1, 'v1')");
        s.execute("INSERT INTO t VALUES (2, 'v2'), (3, 'v3'), (4, 'v4')");
        c.commit();
      }
      // Other tests write to the server too: find this transaction (the GTID event before the first
      // table map of this table). Debezium's coordinates then count events from the transaction's
      // BEGIN (MariaDB: its GTID event) on, as the reader receives them, and rows of the next row
      // event: past the first row event and two rows of the second.
      List<String[]> events = new java.util.ArrayList<>();
      try (Connection c = db.admin(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW BINLOG EVENTS IN '" + at[0] + "' FROM " + at[1] + " LIMIT 2000")) {
        while (rs.next()) {
          // MariaDB's Annotate_rows events are not sent to a binlog client that does not ask for them.
          if (!rs.getString("Event_type").equals("Annotate_rows")) {
            events.add(new String[] {rs.getString("Pos"), rs.getString("Event_type"), rs.getString("Info")});
          }
        }
      }
      int map = 0;
      while (!(events.get(map)[1].equals("Table_map") && events.get(map)[2].contains(db.name + ".t)"))) {
        map++;
      }
      int gtid = map;
      while (!events.get(gtid)[1].equals("Gtid")) {
        gtid--;
      }
      int begin = server.equals("mysql") ? gtid + 1 : gtid;
      int secondRows = map + 2;
      while (!events.get(secondRows)[1].startsWith("Write_rows")) {
        secondRows++;
      }
      streamsExactly(db, "skip", Map.of("scan.startup.mode", "specific-offset", "scan.startup.specific-offset.file",
          at[0], "scan.startup.specific-offset.pos", events.get(gtid)[0], "scan.startup.specific-offset.skip-events",
          Integer.toString(secondRows - begin), "scan.startup.specific-offset.skip-rows", "2"), List.of(4), 5);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void specificOffsetStartsAfterAGtidSet(String server) throws Exception {
    try (Db db = withTable(server)) {
      insert(db, 1, 2);
      String done = query(db, server.equals("mysql") ? "SELECT @@GLOBAL.gtid_executed" : "SELECT @@GLOBAL.gtid_binlog_pos");
      insert(db, 3, 4);
      streamsExactly(db, "gtid", Map.of("scan.startup.mode", "specific-offset",
          "scan.startup.specific-offset.gtid-set", done), List.of(3, 4), 5);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void timestampStartsAtTheFirstChangeAtOrAfterItAndARestartResumes(String server) throws Exception {
    try (Db db = withTableInNewBinlog(server)) {
      insert(db, 1, 2);
      // The next whole second of the server's clock (binlog times are whole seconds), once it has passed.
      long from = (Long.parseLong(query(db, "SELECT FLOOR(UNIX_TIMESTAMP(NOW(3)))")) + 1) * 1000;
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
          .until(() -> Double.parseDouble(query(db, "SELECT UNIX_TIMESTAMP(NOW(3))")) * 1000 >= from + 50);
      insert(db, 3, 4);
      Map<String, String> options = Map.of("scan.startup.mode", "timestamp", "scan.startup.timestamp-millis",
          Long.toString(from));
      streamsExactly(db, "time", options, List.of(3, 4), 5);
      // A restart resumes from the checkpoint: what changed while down arrives, nothing earlier again.
      insert(db, 6);
      CollectingSink sink = new CollectingSink();
      try (MySqlSource source = db.source(options)) {
        Pipeline p = start("time", source, sink, dir);
        await().atMost(Duration.ofSeconds(60)).until(() -> !sink.events().isEmpty() || p.failure().isPresent());
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
      assertThat(delivered(sink)).containsExactly(6);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void startValuesTheServerCannotStartFromAreRefusedByOption(String server) throws Exception {
    try (Db db = withTable(server)) {
      String[] at = masterStatus(db);
      insert(db, 1);
      String tableMap = null;
      try (Connection c = db.admin(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW BINLOG EVENTS IN '" + at[0] + "' FROM " + at[1])) {
        while (rs.next() && tableMap == null) {
          tableMap = rs.getString("Event_type").equalsIgnoreCase("Table_map") ? rs.getString("Pos") : null;
        }
      }
      long size = Long.parseLong(masterStatus(db)[1]);
      assertRefused(db, Map.of("scan.startup.specific-offset.file", "binlog.000000", "scan.startup.specific-offset.pos",
          "4"), "scan.startup.specific-offset.file", "has been purged", "scan.startup.mode=initial");
      assertRefused(db, Map.of("scan.startup.specific-offset.file", at[0], "scan.startup.specific-offset.pos",
          Long.toString(size + 1_000_000_000L)), "scan.startup.specific-offset.pos", "beyond the end");
      assertRefused(db, Map.of("scan.startup.specific-offset.file", at[0], "scan.startup.specific-offset.pos",
          Long.parseLong(at[1]) + 1 + ""), "scan.startup.specific-offset.pos", "no binlog event starts at");
      assertRefused(db, Map.of("scan.startup.specific-offset.file", at[0], "scan.startup.specific-offset.pos",
          tableMap), "scan.startup.specific-offset.pos", "inside a transaction");
      assertRefused(db, Map.of("scan.startup.specific-offset.gtid-set", "not-a-gtid"),
          "scan.startup.specific-offset.gtid-set", server.equals("mysql") ? "is not a MySQL GTID set" : "is not a MariaDB");
      Map<String, String> early = new HashMap<>(Map.of("scan.startup.mode", "timestamp", "scan.startup.timestamp-millis", "1000"));
      try (MySqlSource source = db.source(early)) {
        assertThatThrownBy(source::startOffset).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("scan.startup.timestamp-millis").hasMessageContaining("before the oldest binlog file")
            .hasMessageContaining("scan.startup.mode=initial");
      }
    }
  }

  private static void assertRefused(Db db, Map<String, String> offset, String... message) {
    Map<String, String> o = new HashMap<>(offset);
    o.put("scan.startup.mode", "specific-offset");
    try (MySqlSource source = db.source(o)) {
      assertThatThrownBy(source::startOffset).isInstanceOf(ConfigurationException.class)
          .hasMessageContainingAll(message);
    }
  }
}
