package dev.sluice.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot, then live inserts, updates and deletes through a real pipeline; the sink equals the table. */
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
}
