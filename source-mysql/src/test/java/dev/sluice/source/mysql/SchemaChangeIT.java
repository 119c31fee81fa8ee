package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.testsupport.CollectingSink;
import dev.sluice.testsupport.SourceFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DDL on a captured table arrives as schema changes, in order with the rows around it; DDL on a
 * table that is not captured changes nothing and never stops the pipeline.
 */
class SchemaChangeIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "mariadb"})
  void addDropRenameArriveInOrderAndOtherTablesAreIgnored(String server) throws Exception {
    try (Db db = Db.on(server)) {
      db.sql("CREATE TABLE $db.t (id INT PRIMARY KEY, a VARCHAR(10))", "CREATE TABLE $db.other (id INT PRIMARY KEY)",
          "INSERT INTO $db.t VALUES (1, 'one')");
      TableId t = db.table("t");
      try (MySqlSource source = db.source(Map.of("tables", db.name + "\\.t"))) {
        CollectingSink sink = new CollectingSink();
        Pipeline p = SourceFixtures.pipeline("ddl", source, sink, dir, 1, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.status().state() == PipelineStatus.State.STREAMING);
        // At once, while Debezium may still be starting: its schema is the one at the start position.
        db.sql("INSERT INTO $db.t VALUES (0, 'zero')");
        db.sql("ALTER TABLE $db.other ADD COLUMN x INT", "CREATE TABLE $db.other2 (k INT PRIMARY KEY)",
            "DROP TABLE $db.other2",
            "ALTER TABLE $db.t ADD COLUMN b INT", "INSERT INTO $db.t VALUES (2, 'two', 22)",
            "ALTER TABLE $db.t CHANGE COLUMN a a2 VARCHAR(10)", "INSERT INTO $db.t VALUES (3, 'three', 33)",
            "ALTER TABLE $db.t DROP COLUMN b", "INSERT INTO $db.t VALUES (4, 'four')");
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.rows(t).size() == 5);
        List<SchemaChangeEvent> changes = sink.schemaChanges();
        assertThat(changes).extracting(SchemaChangeEvent::table).containsOnly(t);
        assertThat(changes).extracting(SchemaChangeEvent::kind).containsExactly(SchemaChangeEvent.Kind.ADD_COLUMN,
            SchemaChangeEvent.Kind.RENAME_COLUMN, SchemaChangeEvent.Kind.DROP_COLUMN);
        assertThat(changes.get(0).column()).isEqualTo("b");
        assertThat(changes.get(1).column()).isEqualTo("a");
        assertThat(changes.get(1).newColumnName()).isEqualTo("a2");
        assertThat(changes.get(2).schema().columns()).extracting(c -> c.name()).containsExactly("id", "a2");
        // Rows follow the schema in force when they were written.
        assertThat(sink.rows(t).get(Key.of(2)).values()).containsExactly(2, "two", 22);
        assertThat(sink.rows(t).get(Key.of(3)).values()).containsExactly(3, "three", 33);
        assertThat(sink.rows(t).get(Key.of(4)).values()).containsExactly(4, "four");
        ChangeEvent four = sink.events().stream().filter(e -> e.key().equals(Key.of(4))).findFirst().orElseThrow();
        assertThat(four.schema()).isEqualTo(changes.get(2).schema());
        p.stop();
        assertThat(p.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.failure()).isEmpty();
      }
    }
  }
}
