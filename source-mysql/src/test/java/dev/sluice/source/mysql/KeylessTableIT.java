package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.testsupport.KeylessTableCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table with neither a primary key nor a chunk key column: read whole by one SELECT in
 * at-least-once delivery while a writer inserts, updates and deletes rows, then streamed (see
 * {@link KeylessTableCheck}); refused by name in exactly-once delivery.
 */
class KeylessTableIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void keylessTableIsReadWholeThenStreamedLosingNothing(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t_nokey (n BIGINT NOT NULL, v VARCHAR(64))");
      db.fill("t_nokey", 3000, Integer::toString);
      try (MySqlSource source = db.source()) {
        KeylessTableCheck.readWhileWritten(source, db.table("t_nokey"), 3000, db::admin, dir);
      }
    }
  }

  @Test
  void exactlyOnceRefusesTheKeylessTableNamingItAndTheFixes() throws Exception {
    try (Db db = Db.on("mysql")) {
      db.sql("CREATE TABLE $db.t_nokey (n BIGINT NOT NULL, v VARCHAR(64))");
      try (MySqlSource source = db.source()) {
        CheckpointStore store = new FileCheckpointStore(dir, "eo");
        Sink atomic = new Sink() {
          @Override
          public void write(List<ChangeEvent> events) {}

          @Override
          public void flush() {}

          @Override
          public Optional<CheckpointStore> atomicCheckpoints() {
            return Optional.of(store);
          }
        };
        PipelineOptions options = new PipelineOptions(SnapshotOptions.of(1, 100), 512, Duration.ofMillis(300),
            Delivery.EXACTLY_ONCE);
        Pipeline p = new Pipeline("eo", source, atomic, null, options, null).start();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).get().isInstanceOf(ConfigurationException.class).extracting(Throwable::getMessage)
            .asString().contains(db.name + ".t_nokey", "no primary key", "scan.incremental.snapshot.chunk.key-column",
                "at-least-once");
      }
    }
  }
}
