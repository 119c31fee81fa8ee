package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chunk read the engine stops early, on a bounded range (streamed row by row) and on the
 * open-ended last range (a server-side cursor), leaves the source's connections fit: with a pool of
 * one connection, every later read on it returns its whole range.
 */
class ChunkReadStopIT {

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void aReadStoppedEarlyLeavesTheConnectionFitForTheNextRead(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t (id BIGINT PRIMARY KEY, v VARCHAR(40))");
      db.fill("t", 5000, Integer::toString);
      try (MySqlSource source = db.source(Map.of("connection.pool.size", "1"))) {
        TableSchema t = source.tables().get(0);
        for (KeyRange range : List.of(new KeyRange(Key.of(0L), Key.of(4000L)), new KeyRange(Key.of(100L), null))) {
          List<Long> first = new ArrayList<>();
          source.readChunk(t, range, r -> {
            first.add((Long) r.get(0));
            return first.size() < 10;
          });
          assertThat(first).as("stopped read of " + range).hasSize(10).startsWith((Long) range.lo().get(0) + 1);
          List<Long> next = new ArrayList<>();
          source.readChunk(t, new KeyRange(Key.of(4500L), Key.of(4600L)), r -> next.add((Long) r.get(0)));
          assertThat(next).as("read after stopping " + range).hasSize(100).startsWith(4501L).endsWith(4600L);
        }
      }
    }
  }
}
