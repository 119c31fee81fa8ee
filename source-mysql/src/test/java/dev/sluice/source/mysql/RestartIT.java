package dev.sluice.source.mysql;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Changes made while the pipeline is down, after a clean stop and after a crash, all arrive. */
class RestartIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void changesWhileDownArriveAfterRestart(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t (id INT PRIMARY KEY, v VARCHAR(40))");
      for (int i = 1; i <= 50; i++) {
        db.sql("INSERT INTO $db.t VALUES (" + i + ", 'init')");
      }
      TableId t = db.table("t");
      CollectingSink sink = new CollectingSink();
      try (MySqlSource source = db.source()) {
        Pipeline p = SourceFixtures.pipeline("r", source, sink, dir, 2, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        db.sql("UPDATE $db.t SET v = 'live' WHERE id = 1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(SourceFixtures.differences(sink.rows(t), SourceFixtures.contents(source, t))).isEmpty());
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
      }
      db.sql("UPDATE $db.t SET v = 'down1' WHERE id = 2", "DELETE FROM $db.t WHERE id = 3");
      try (MySqlSource source = db.source()) {
        Pipeline p = SourceFixtures.pipeline("r", source, sink, dir, 2, 10);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(SourceFixtures.differences(sink.rows(t), SourceFixtures.contents(source, t))).isEmpty());
        db.sql("UPDATE $db.t SET v = 'live2' WHERE id = 4");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(SourceFixtures.differences(sink.rows(t), SourceFixtures.contents(source, t))).isEmpty());
        Thread.sleep(1000); // let a checkpoint pass (interval 300 ms)
        p.kill();
      }
      db.sql("UPDATE $db.t SET v = 'down2' WHERE id = 5", "DELETE FROM $db.t WHERE id = 6");
      try (MySqlSource source = db.source()) {
        Pipeline p = SourceFixtures.pipeline("r", source, sink, dir, 2, 10);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(SourceFixtures.differences(sink.rows(t), SourceFixtures.contents(source, t))).isEmpty());
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }
}
