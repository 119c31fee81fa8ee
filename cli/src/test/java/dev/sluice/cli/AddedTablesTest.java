package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TablePattern;
import dev.sluice.core.source.Source;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.Workload;
import dev.sluice.pipeline.ConnectorCatalog;
import dev.sluice.pipeline.PipelineFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddedTablesTest {
  @TempDir Path dir;

  @Test
  void theExactPatternSelectsOnlyThatTableEvenWithCharactersRegexesGiveAMeaningTo() {
    TablePattern p = TablePattern.compile(AddedTables.exactPattern("shop.order$s+x"));
    assertThat(p.matches("shop", "order$s+x")).isTrue();
    assertThat(p.matches("shop", "order$ssx")).isFalse();
    assertThat(p.matches("shopx", "order$s+x")).isFalse();
    TablePattern dotted = TablePattern.compile(AddedTables.exactPattern("app.orders"));
    assertThat(dotted.matches("app", "orders")).isTrue();
    assertThat(dotted.matches("appxorders")).isFalse();
    TablePattern pg = TablePattern.compile(AddedTables.exactPattern("db.public.t_1"));
    assertThat(pg.matches("db", "public", "t_1")).isTrue();
    assertThat(pg.matches("public", "t_1")).isFalse();
  }

  @Test
  void malformedNamesAreRefusedWithTheFault() {
    assertThatThrownBy(() -> AddedTables.parse("orders")).hasMessageContaining("'orders' is not a table name");
    assertThatThrownBy(() -> AddedTables.parse("a.b.c.d")).hasMessageContaining("write db.table");
    assertThatThrownBy(() -> AddedTables.parse("db..t")).hasMessageContaining("non-empty");
    assertThatThrownBy(() -> AddedTables.parse("db.a,b")).hasMessageContaining("without a comma");
    assertThatThrownBy(() -> AddedTables.parse("db. t")).hasMessageContaining("spaces");
    assertThat(AddedTables.parse("db.public.t")).isEqualTo(new TableId("db", "public", "t"));
  }

  @Test
  void aSchemaTableNameAnswersForTheFullName() {
    assertThat(AddedTables.answersTo(new TableId("db", "public", "t"), "public.t")).isTrue();
    assertThat(AddedTables.answersTo(new TableId("db", "public", "t"), "db.public.t")).isTrue();
    assertThat(AddedTables.answersTo(TableId.of("db", "t"), "t")).isFalse();
  }

  @Test
  void theListIsSavedBesideTheCheckpointAndReadBack() throws Exception {
    AddedTables tables = new AddedTables(dir.resolve("cp"), "orders");
    assertThat(tables.load()).isEmpty();
    tables.save(List.of("shop.a", "shop.b"));
    assertThat(tables.file()).isEqualTo(dir.resolve("cp").resolve("orders.tables.json"));
    assertThat(new AddedTables(dir.resolve("cp"), "orders").load()).containsExactly("shop.a", "shop.b");
    assertThat(Files.list(dir.resolve("cp")).map(p -> p.getFileName().toString())).containsExactly("orders.tables.json");
    Files.writeString(tables.file(), "{not json");
    assertThatThrownBy(tables::load).hasMessageContaining("cannot read the added tables of pipeline orders");
  }

  @Test
  void everyBuilderOfThePipelineCapturesTheTablesAddedBesideItsCheckpoint() throws Exception {
    MemoryDatabase db = new MemoryDatabase();
    Workload w = new Workload(db, 1, 0);
    w.addTable("t", Workload.KeyKind.SPARSE, 1);
    w.addTable("u", Workload.KeyKind.SPARSE, 1);
    w.addTable("v", Workload.KeyKind.SPARSE, 1);
    MemoryConnectors.DATABASES.put("builder", db);
    Path file = Files.writeString(dir.resolve("p.yaml"), """
        source:
          type: memory
          database: builder
          tables: testdb\\.t
        sink:
          type: memory
          sink: builder
        pipeline:
          name: Kept Tables
        sluice:
          checkpoint.dir: cp
        """);
    new AddedTables(dir.resolve("cp"), "kept-tables").save(List.of("testdb.u"));
    PipelineBuilder b = new PipelineBuilder(PipelineFile.load(file), ConnectorCatalog.fromClassPath(), dir);
    assertThat(b.addedTables()).containsExactly("testdb.u");
    assertThat(b.sourceOptions(List.of()).raw("tables")).isEqualTo("testdb\\.t,testdb\\.u");
    try (Source s = b.probeSource(List.of())) {
      assertThat(s.tables().stream().map(t -> t.id().toString())).containsExactly("testdb.t", "testdb.u");
    }
  }
}
