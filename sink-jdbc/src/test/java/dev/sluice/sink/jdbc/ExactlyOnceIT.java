package dev.sluice.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySource;
import dev.sluice.core.testing.Workload;
import dev.sluice.core.testing.Workload.KeyKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exactly-once into each target database: the pipeline is killed at random points, several times, while the
 * source keeps writing; each restart resumes from the checkpoint row the sink committed with its
 * data. A trigger on every target table records each applied row change (key, version, op) in an
 * audit table, so the test sees every apply, not only the end state: per key the versions must
 * strictly increase (a repeat is a duplicate apply, a lower one an older version), a delete must
 * remove the latest version, and the target must end equal to the source.
 */
class ExactlyOnceIT {
  private static final List<String> TABLES = List.of("dense", "sparse");

  /** Each dialect with {@code sluice.runs} seeds (default 2), or the one {@code -Dsluice.seed=N}. */
  static Stream<Arguments> runs() {
    String one = System.getProperty("sluice.seed");
    long base = one != null ? Long.parseLong(one) : System.nanoTime();
    int n = one != null ? 1 : Integer.getInteger("sluice.runs", 2);
    return Stream.of(TargetDb.Kind.values()).flatMap(k -> LongStream.range(0, n).mapToObj(i -> Arguments.of(k, base + i)));
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("runs")
  void killsAtRandomPointsNeverApplyTwiceNorGoBack(TargetDb.Kind kind, long seed) throws Exception {
    System.out.println("ExactlyOnceIT " + kind + " seed=" + seed);
    Random random = new Random(seed);
    MemoryDatabase db = new MemoryDatabase();
    Workload workload = new Workload(db, seed, 30);
    workload.addTable("dense", KeyKind.DENSE, 2000);
    workload.addTable("sparse", KeyKind.SPARSE, 1000);
    MemorySource source = new MemorySource(db, 100, true);
    try (TargetDb target = TargetDb.create(kind)) {
      createAuditedTables(target);
      Map<String, String> sinkOptions = Map.of("batch.size", Integer.toString(20 + random.nextInt(400)));
      workload.start(2, 300);
      JdbcSink sink = null;
      Pipeline pipeline = null;
      int kills = 4 + random.nextInt(5);
      for (int i = 0; i <= kills; i++) {
        sink = target.sink("eo", sinkOptions);
        PipelineOptions options = new PipelineOptions(new SnapshotOptions(1 + random.nextInt(4), 200, 1600, 64L << 20),
            1 + random.nextInt(300), Duration.ofMillis(random.nextInt(150)), Delivery.EXACTLY_ONCE);
        pipeline = new Pipeline("eo", source, sink, null, options, null).start();
        if (i < kills) {
          TimeUnit.MILLISECONDS.sleep(50 + random.nextInt(500)); // the crash point
          pipeline.kill();
          assertThat(pipeline.failure()).as("seed %d", seed).isEmpty();
          sink.close(); // the connection goes, its open transaction rolls back: a crash
        }
      }
      workload.stop();
      Pipeline last = pipeline;
      for (TableSchema t : workload.tables()) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
          assertThat(last.failure()).as("seed %d", seed).isEmpty();
          assertThat(target.rows(t.id().table(), t)).as("seed %d table %s", seed, t.id()).isEqualTo(db.latestRows(t.id()));
        });
      }
      last.stop();
      assertThat(last.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(last.failure()).isEmpty();
      Optional<Checkpoint> cp = sink.atomicCheckpoints().orElseThrow().load();
      assertThat(cp).as("the checkpoint row").isPresent();
      sink.close();
      assertThat(auditViolations(target)).as("seed %d, %d kills", seed, kills).isEmpty();
    }
  }

  private static void createAuditedTables(TargetDb target) throws Exception {
    String ns = target.namespace;
    List<String> ddl = new ArrayList<>();
    if (target.sqlite()) {
      ddl.add("CREATE TABLE " + ns + ".audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT, k INTEGER, version INTEGER,"
          + " op TEXT)");
    } else if (target.postgres()) {
      ddl.add("CREATE TABLE " + ns + ".audit (seq bigserial PRIMARY KEY, tbl text, k bigint, version bigint, op text)");
      ddl.add("CREATE FUNCTION " + ns + ".audit_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
          + "IF TG_OP = 'DELETE' THEN INSERT INTO " + ns + ".audit (tbl, k, version, op) VALUES (TG_TABLE_NAME, OLD.id, OLD.version, 'D'); "
          + "ELSE INSERT INTO " + ns + ".audit (tbl, k, version, op) VALUES (TG_TABLE_NAME, NEW.id, NEW.version, left(TG_OP, 1)); "
          + "END IF; RETURN NULL; END $$");
    } else {
      ddl.add("CREATE TABLE " + ns + ".audit (seq bigint AUTO_INCREMENT PRIMARY KEY, tbl varchar(20), k bigint,"
          + " version bigint, op char(1))");
    }
    for (String t : TABLES) {
      ddl.add("CREATE TABLE " + ns + "." + t + " (id bigint PRIMARY KEY, version bigint NOT NULL, payload text)");
      if (target.sqlite()) {
        // An upsert that finds its key fires the UPDATE trigger, as in MySQL.
        for (String[] ev : new String[][] {{"INSERT", "NEW", "I"}, {"UPDATE", "NEW", "U"}, {"DELETE", "OLD", "D"}}) {
          ddl.add("CREATE TRIGGER " + ns + "." + t + "_" + ev[2] + " AFTER " + ev[0] + " ON " + t
              + " FOR EACH ROW BEGIN INSERT INTO audit (tbl, k, version, op) VALUES ('" + t + "', " + ev[1]
              + ".id, " + ev[1] + ".version, '" + ev[2] + "'); END");
        }
      } else if (target.postgres()) {
        ddl.add("CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON " + ns + "." + t
            + " FOR EACH ROW EXECUTE FUNCTION " + ns + ".audit_row()");
      } else {
        // MySQL fires one trigger per event; an upsert that finds its key fires the UPDATE ones.
        for (String[] ev : new String[][] {{"INSERT", "NEW", "I"}, {"UPDATE", "NEW", "U"}, {"DELETE", "OLD", "D"}}) {
          ddl.add("CREATE TRIGGER " + ns + "." + t + "_" + ev[2] + " AFTER " + ev[0] + " ON " + ns + "." + t
              + " FOR EACH ROW INSERT INTO " + ns + ".audit (tbl, k, version, op) VALUES ('" + t + "', " + ev[1]
              + ".id, " + ev[1] + ".version, '" + ev[2] + "')");
        }
      }
    }
    target.exec(ddl.toArray(String[]::new));
  }

  /** Every apply that repeats or goes back, in the order the target committed them. */
  private static List<String> auditViolations(TargetDb target) throws Exception {
    List<String> out = new ArrayList<>();
    Map<String, Long> last = new HashMap<>();
    long applies = 0;
    try (Connection c = target.admin(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT tbl, k, version, op FROM " + target.namespace + ".audit ORDER BY seq")) {
      while (rs.next()) {
        applies++;
        String key = rs.getString(1) + ":" + rs.getLong(2);
        long version = rs.getLong(3);
        String op = rs.getString(4);
        Long before = last.get(key);
        if (op.equals("D")) {
          if (before == null || version != before) {
            out.add(key + " delete of version " + version + " but the last applied was " + before);
          }
        } else if (before != null && version <= before) {
          out.add(key + " " + op + " version " + version + " after " + before);
        } else {
          last.put(key, version);
        }
      }
    }
    assertThat(applies).as("the audit saw the applies").isGreaterThan(3000);
    return out.size() > 20 ? out.subList(0, 20) : out;
  }
}
