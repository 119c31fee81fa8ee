package dev.sluice.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.SchemaChangeEvent.Kind;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.testing.MemoryPosition;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source table that gains a column, widens three types, renames one column and drops another,
 * under each schema.change.behavior: the Iceberg schema and the rows read back show what each
 * policy promises.
 */
class SchemaEvolutionIT {
  private static final TableId ID = TableId.of("evo", "items");

  @TempDir
  Path dir;

  private static TableSchema schema(List<Column> cols) {
    return TableSchema.withPrimaryKey(ID, cols, List.of("id"));
  }

  private static List<Column> base() {
    return new ArrayList<>(List.of(Column.of("id", LogicalType.INT64, false), Column.of("name", LogicalType.STRING, true),
        Column.of("qty", LogicalType.INT32, true), Column.of("price", LogicalType.FLOAT32, true),
        Column.of("amount", LogicalType.decimal(10, 2), true), Column.of("note", LogicalType.STRING, true)));
  }

  private static long pos = 1000;

  private static SchemaChangeEvent change(Kind kind, TableSchema s, String column, String newName) {
    return new SchemaChangeEvent(ID, kind, s, column, newName, null, new MemoryPosition(++pos));
  }

  /** Runs the whole sequence; returns the sink (open) for the caller's checks. */
  private IcebergSink run(String policy) {
    Lake lake = new Lake(dir.resolve(policy));
    IcebergSink sink = lake.sink("evo", Map.of("schema.change.behavior", policy));
    CheckpointStore store = sink.atomicCheckpoints().orElseThrow();
    List<Column> cols = base();
    TableSchema s1 = schema(cols);
    sink.write(List.of(Events.insert(s1, 1L, "one", 1, 1.5f, new BigDecimal("1.25"), "n1")));
    store.save(Events.checkpoint("evo", 1));

    cols.add(Column.of("extra", LogicalType.STRING, true));
    TableSchema s2 = schema(cols);
    sink.apply(change(Kind.ADD_COLUMN, s2, "extra", null));
    sink.write(List.of(Events.insert(s2, 2L, "two", 2, 2.5f, new BigDecimal("2.50"), "n2", "x2")));

    cols.set(2, Column.of("qty", LogicalType.INT64, true));
    TableSchema s3 = schema(cols);
    sink.apply(change(Kind.ALTER_COLUMN_TYPE, s3, "qty", null));
    cols.set(3, Column.of("price", LogicalType.FLOAT64, true));
    TableSchema s4 = schema(cols);
    sink.apply(change(Kind.ALTER_COLUMN_TYPE, s4, "price", null));
    cols.set(4, Column.of("amount", LogicalType.decimal(12, 2), true));
    TableSchema s5 = schema(cols);
    sink.apply(change(Kind.ALTER_COLUMN_TYPE, s5, "amount", null));
    sink.write(List.of(Events.insert(s5, 3L, "three", 3L, 3.5d, new BigDecimal("3.75"), "n3", "x3")));

    cols.set(5, Column.of("remark", LogicalType.STRING, true));
    TableSchema s6 = schema(cols);
    sink.apply(change(Kind.RENAME_COLUMN, s6, "note", "remark"));
    cols.remove(1);
    TableSchema s7 = schema(cols);
    sink.apply(change(Kind.DROP_COLUMN, s7, "name", null));
    sink.write(List.of(Events.insert(s7, 4L, 4L, 4.5d, new BigDecimal("4.00"), "r4", "x4")));
    store.save(Events.checkpoint("evo", 2));
    return sink;
  }

  private static Map<Long, Record> rows(IcebergSink sink) {
    Map<Long, Record> out = new java.util.TreeMap<>();
    for (Record r : Lake.records(Lake.table(sink.catalog(), "evo", "items"))) {
      out.put((Long) r.getField("id"), r);
    }
    return out;
  }

  private static Schema schemaOf(IcebergSink sink) {
    Table t = Lake.table(sink.catalog(), "evo", "items");
    return t.schema();
  }

  @Test
  void evolveAppliesEveryChange() {
    IcebergSink sink = run("evolve");
    Schema s = schemaOf(sink);
    assertThat(s.columns().stream().map(c -> c.name())).containsExactly("id", "qty", "price", "amount", "remark", "extra");
    assertThat(s.findField("qty").type().toString()).isEqualTo("long");
    assertThat(s.findField("price").type().toString()).isEqualTo("double");
    assertThat(s.findField("amount").type().toString()).isEqualTo("decimal(12, 2)");
    Map<Long, Record> rows = rows(sink);
    assertThat(rows).hasSize(4);
    assertThat(rows.get(1L).getField("remark")).isEqualTo("n1"); // a rename keeps the column's data
    assertThat(rows.get(1L).getField("qty")).isEqualTo(1L);
    assertThat(rows.get(4L).getField("remark")).isEqualTo("r4");
    assertThat(rows.get(4L).getField("extra")).isEqualTo("x4");
    assertThat(rows.get(2L).getField("amount")).isEqualTo(new BigDecimal("2.50"));
    assertThat(sink.stoppedTables()).isEmpty();
    sink.close();
  }

  @Test
  void lenientKeepsWhatWasThere() {
    IcebergSink sink = run("lenient");
    Schema s = schemaOf(sink);
    assertThat(s.columns().stream().map(c -> c.name()))
        .containsExactly("id", "name", "qty", "price", "amount", "note", "extra", "remark");
    assertThat(s.findField("qty").type().toString()).isEqualTo("long");
    assertThat(s.findField("name").isOptional()).isTrue();
    Map<Long, Record> rows = rows(sink);
    assertThat(rows.get(1L).getField("note")).isEqualTo("n1");
    assertThat(rows.get(1L).getField("name")).isEqualTo("one");
    assertThat(rows.get(4L).getField("remark")).isEqualTo("r4");
    assertThat(rows.get(4L).getField("note")).isNull();
    assertThat(rows.get(4L).getField("name")).isNull();
    sink.close();
  }

  @Test
  void ignoreChangesNothingAndWritesTheColumnsTheTableHas() {
    IcebergSink sink = run("ignore");
    Schema s = schemaOf(sink);
    assertThat(s.columns().stream().map(c -> c.name())).containsExactly("id", "name", "qty", "price", "amount", "note");
    assertThat(s.findField("qty").type().toString()).isEqualTo("int");
    Map<Long, Record> rows = rows(sink);
    assertThat(rows).hasSize(4);
    assertThat(rows.get(3L).getField("qty")).isEqualTo(3); // a long that fits the int column
    assertThat(rows.get(4L).getField("note")).isNull();
    sink.close();
  }

  @Test
  void exceptionRefusesTheFirstChangeNamingTheColumn() {
    Lake lake = new Lake(dir.resolve("exception"));
    IcebergSink sink = lake.sink("evo", Map.of("schema.change.behavior", "exception"));
    List<Column> cols = base();
    sink.write(List.of(Events.insert(schema(cols), 1L, "one", 1, 1.5f, new BigDecimal("1.25"), "n1")));
    cols.add(Column.of("extra", LogicalType.STRING, true));
    assertThatThrownBy(() -> sink.apply(change(Kind.ADD_COLUMN, schema(cols), "extra", null)))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("evo.items").hasMessageContaining("'extra'")
        .hasMessageContaining("schema.change.behavior=exception");
    sink.close();
  }

  @Test
  void aChangeIcebergCannotMakeFailsUnderEvolveAndIsolatesTheTableUnderTryEvolve() {
    for (String policy : List.of("evolve", "try_evolve")) {
      Lake lake = new Lake(dir.resolve("impossible-" + policy));
      IcebergSink sink = lake.sink("evo", Map.of("schema.change.behavior", policy));
      List<Column> cols = base();
      sink.write(List.of(Events.insert(schema(cols), 1L, "one", 1, 1.5f, new BigDecimal("1.25"), "n1")));
      cols.set(2, Column.of("qty", LogicalType.STRING, true));
      TableSchema changed = schema(cols);
      if (policy.equals("evolve")) {
        assertThatThrownBy(() -> sink.apply(change(Kind.ALTER_COLUMN_TYPE, changed, "qty", null)))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("evo.items").hasMessageContaining("qty");
      } else {
        sink.apply(change(Kind.ALTER_COLUMN_TYPE, changed, "qty", null));
        assertThat(sink.stoppedTables()).containsOnlyKeys(ID);
        assertThat(sink.stoppedTables().get(ID)).contains("qty");
        sink.write(List.of(Events.insert(changed, 2L, "two", "many", 2.5f, new BigDecimal("2.50"), "n2")));
        assertThat(sink.skippedChanges()).isEqualTo(1);
        sink.atomicCheckpoints().orElseThrow().save(Events.checkpoint("evo", 1));
        assertThat(rows(sink)).containsOnlyKeys(1L); // what came before the change is committed
      }
      sink.close();
    }
  }
}
