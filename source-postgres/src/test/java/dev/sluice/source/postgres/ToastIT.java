package dev.sluice.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An UPDATE that leaves a TOASTed value unchanged: with REPLICA IDENTITY FULL the value arrives
 * intact; without it the pipeline stops with the fix, and no placeholder reaches the sink.
 */
class ToastIT {
  @TempDir Path dir;

  private static final String BIG = "(SELECT string_agg(md5(g::text), '') FROM generate_series(1, 400) g)";

  @Test
  void unchangedToastedValuesArriveWithFullIdentityAndStopThePipelineWithout() throws Exception {
    try (Db db = new Db()) {
      db.sql("CREATE TABLE full_t (id int PRIMARY KEY, n int, big text)", "ALTER TABLE full_t REPLICA IDENTITY FULL",
          "CREATE TABLE plain_t (id int PRIMARY KEY, n int, big text)",
          "INSERT INTO full_t VALUES (1, 0, " + BIG + ")", "INSERT INTO plain_t VALUES (1, 0, " + BIG + ")");
      CollectingSink sink = new CollectingSink();
      try (PostgresSource source = db.source(Map.of("tables", "public\\.full_t"))) {
        Pipeline p = SourceFixtures.pipeline("toast-full", source, sink, dir, 1, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING
            || p.failure().isPresent());
        db.sql("UPDATE full_t SET n = 1 WHERE id = 1");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          Row r = sink.rows(db.table("full_t")).get(Key.of(1));
          return r != null && Integer.valueOf(1).equals(r.get(1));
        });
        assertThat((String) sink.rows(db.table("full_t")).get(Key.of(1)).get(2)).hasSize(400 * 32);
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
      try (PostgresSource source = db.source(Map.of("tables", "public\\.plain_t", "slot.name", "srcpg_toast_plain"))) {
        Pipeline p = SourceFixtures.pipeline("toast-plain", source, sink, dir, 1, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING
            || p.failure().isPresent());
        db.sql("UPDATE plain_t SET n = 1 WHERE id = 1");
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).get().asString().contains("plain_t").contains("big").contains("REPLICA IDENTITY FULL");
        assertThat(sink.rows(db.table("plain_t")).values()).as("no placeholder reaches the sink")
            .allSatisfy(r -> assertThat((String) r.get(2)).hasSize(400 * 32));
      }
    }
  }
}
