package dev.sluice.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot, then live inserts, updates and deletes through a real pipeline; the sink equals the
 * table, a table without a key (REPLICA IDENTITY FULL, read whole) included, as a multiset of rows.
 */
class SnapshotAndStreamIT {
  @TempDir Path dir;

  @Test
  void snapshotThenStream() throws Exception {
    try (Db db = new Db()) {
      db.sql("CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,2))",
          "INSERT INTO items SELECT g, 'item ' || g, g * 1.5 FROM generate_series(1, 500) g",
          "CREATE TABLE tags (code varchar(20) PRIMARY KEY, n bigint)",
          "INSERT INTO tags SELECT 'tag' || g, g FROM generate_series(1, 50) g");
      CollectingSink sink = new CollectingSink();
      try (PostgresSource source = db.source()) {
        Pipeline p = SourceFixtures.pipeline("ss", source, sink, dir, 2, 64);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        assertThat(sink.reads()).isEqualTo(550);
        db.sql("INSERT INTO items VALUES (1001, 'new', 9.99)", "UPDATE items SET name = 'changed' WHERE id = 7",
            "DELETE FROM items WHERE id = 8", "BEGIN", "UPDATE tags SET n = -1 WHERE code = 'tag3'",
            "INSERT INTO tags VALUES ('Zz', 5), ('ä', 6)", "COMMIT");
        for (String t : new String[] {"items", "tags"}) {
          TableId id = db.table(t);
          await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
              assertThat(SourceFixtures.differences(sink.rows(id), SourceFixtures.contents(source, id))).as(t).isEmpty());
        }
        assertThat(sink.rows(db.table("items"))).hasSize(500);
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }

  @Test
  void keylessTableIsReadWholeThenStreamedByFullRow() throws Exception {
    try (Db db = new Db()) {
      db.sql("CREATE TABLE nokey (n int, v text)", "ALTER TABLE nokey REPLICA IDENTITY FULL",
          "INSERT INTO nokey SELECT g, 'v' || g FROM generate_series(1, 300) g");
      CollectingSink sink = new CollectingSink();
      TableId id = db.table("nokey");
      try (PostgresSource source = db.source()) {
        Pipeline p = SourceFixtures.pipeline("nk", source, sink, dir, 2, 64);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        assertThat(sink.reads()).isEqualTo(300);
        // Two equal rows, then changes matched by the whole old row.
        db.sql("INSERT INTO nokey VALUES (1001, 'twin'), (1001, 'twin')", "UPDATE nokey SET v = 'changed' WHERE n = 7",
            "DELETE FROM nokey WHERE n = 8", "UPDATE nokey SET n = 9 WHERE n = 10");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sink.copies(id))
            .isEqualTo(counts(SourceFixtures.allRows(source, id))));
        assertThat(sink.copies(id)).containsEntry(Row.of(1001, "twin"), 2);
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }

  /** Each row of {@code rows} with how often it occurs. */
  private static Map<Row, Integer> counts(List<Row> rows) {
    Map<Row, Integer> out = new HashMap<>();
    rows.forEach(r -> out.merge(r, 1, Integer::sum));
    return out;
  }
}
