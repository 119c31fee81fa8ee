package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A multi-table database (composite key, string key, a table without primary key chunked by a
 * unique column) of 100k rows, snapshotted at parallelism 4, equals the source row for row.
 */
class LargeSnapshotIT {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"mysql, 100002", "mariadb, 100002"})
  void parallelSnapshotEqualsTheTables(String server, int rows) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.big_comp (a INT NOT NULL, b INT NOT NULL, v VARCHAR(40), PRIMARY KEY (a, b))",
          "CREATE TABLE $db.big_str (k VARCHAR(20) COLLATE utf8mb4_bin PRIMARY KEY, v VARCHAR(40))",
          "CREATE TABLE $db.big_nopk (id BIGINT NOT NULL, v VARCHAR(40), UNIQUE KEY (id))");
      int perTable = rows / 3;
      try (Connection c = db.admin(); Statement s = c.createStatement()) {
        for (int from = 0; from < perTable; from += 1000) {
          StringBuilder comp = new StringBuilder("INSERT INTO big_comp VALUES ");
          StringBuilder str = new StringBuilder("INSERT INTO big_str VALUES ");
          StringBuilder nopk = new StringBuilder("INSERT INTO big_nopk VALUES ");
          for (int i = from; i < Math.min(perTable, from + 1000); i++) {
            String sep = i == from ? "" : ",";
            comp.append(sep).append('(').append(i / 10).append(',').append(i % 10).append(",'c").append(i).append("')");
            str.append(sep).append("('s").append(Integer.toString(i, 36)).append("','v").append(i).append("')");
            nopk.append(sep).append('(').append(i * 7L).append(",'n").append(i).append("')");
          }
          s.execute(comp.toString());
          s.execute(str.toString());
          s.execute(nopk.toString());
        }
      }
      try (MySqlSource source = db.source(Map.of("scan.incremental.snapshot.chunk.key-column", "id"))) {
        CollectingSink sink = new CollectingSink();
        long start = System.nanoTime();
        Pipeline p = SourceFixtures.pipeline("big", source, sink, dir, 4, 2000);
        await().atMost(Duration.ofSeconds(120)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        System.out.printf("%s: %d rows snapshotted in %d ms%n", server, sink.reads(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        for (String table : new String[] {"big_comp", "big_str", "big_nopk"}) {
          TableId t = db.table(table);
          assertThat(sink.rows(t)).as(table).hasSize(perTable);
          assertThat(SourceFixtures.differences(sink.rows(t), SourceFixtures.contents(source, t))).as(table).isEmpty();
        }
        assertThat(sink.reads()).isEqualTo(3L * perTable);
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }
}
