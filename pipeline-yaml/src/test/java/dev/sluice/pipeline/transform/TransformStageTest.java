package dev.sluice.pipeline.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.testing.MemoryPosition;
import java.math.BigDecimal;
import java.util.List;
import dev.sluice.core.event.TablePattern;
import org.junit.jupiter.api.Test;

class TransformStageTest {
  static final TableSchema ORDERS = TableSchema.withPrimaryKey(TableId.of("shop", "orders"), List.of(
      Column.of("id", LogicalType.INT64, false), Column.of("name", LogicalType.STRING, true),
      Column.of("qty", LogicalType.INT32, false), Column.of("price", LogicalType.decimal(10, 2), true)), List.of("id"));

  private static TransformStage stage(String projection, String filter) {
    return new TransformStage(List.of(new TransformRule(TablePattern.compile("shop\\.orders"), projection, filter, List.of(),
        null)));
  }

  private static ChangeEvent event(Op op, Row before, Row after) {
    return new ChangeEvent(ORDERS, op, before, after, new MemoryPosition(1), null, null);
  }

  @Test
  void projectsColumnsRenamesAndComputes() {
    ChangeEvent out = (ChangeEvent) stage("id, UPPER(name) AS name, qty * price AS total", null)
        .apply(event(Op.INSERT, null, Row.of(1L, "ann", 3, new BigDecimal("2.50"))));
    assertThat(out.schema().columns()).extracting(Column::name).containsExactly("id", "name", "total");
    assertThat(out.after().get(1)).isEqualTo("ANN");
    assertThat((BigDecimal) out.after().get(2)).isEqualByComparingTo("7.50");
    assertThat(out.schema().keyColumns()).containsExactly("id");
  }

  @Test
  void aFilterTurnsUpdatesThatCrossItIntoInsertsAndDeletes() {
    TransformStage t = stage("*", "qty >= 10");
    Row small = Row.of(1L, "a", 5, null);
    Row big = Row.of(1L, "a", 15, null);
    assertThat(((ChangeEvent) t.apply(event(Op.UPDATE, small, big))).op()).isEqualTo(Op.INSERT);
    assertThat(((ChangeEvent) t.apply(event(Op.UPDATE, big, small))).op()).isEqualTo(Op.DELETE);
    assertThat(((ChangeEvent) t.apply(event(Op.UPDATE, big, big))).op()).isEqualTo(Op.UPDATE);
    assertThat(t.apply(event(Op.UPDATE, small, small))).isNull();
    assertThat(t.apply(event(Op.READ, null, small))).isNull();
    assertThat(t.apply(event(Op.DELETE, small, null))).isNull();
    assertThat(((ChangeEvent) t.apply(event(Op.DELETE, big, null))).op()).isEqualTo(Op.DELETE);
  }

  @Test
  void nullIsNeitherTrueNorFalse() {
    TransformStage t = stage(null, "name = 'x' OR price > 1");
    assertThat(t.apply(event(Op.INSERT, null, Row.of(1L, null, 1, null)))).isNull();
    assertThat(t.apply(event(Op.INSERT, null, Row.of(1L, null, 1, new BigDecimal("3"))))).isNotNull();
    assertThat(stage(null, "NOT (name IS NULL)").apply(event(Op.INSERT, null, Row.of(1L, null, 1, null)))).isNull();
  }

  @Test
  void droppingTheKeyOrAnUnknownColumnIsAClearError() {
    assertThatThrownBy(() -> stage("name, qty", null).apply(event(Op.INSERT, null, Row.of(1L, "a", 1, null))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("drops key column 'id'");
    assertThatThrownBy(() -> stage("id, nmae", null).apply(event(Op.INSERT, null, Row.of(1L, "a", 1, null))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("unknown column 'nmae'")
        .hasMessageContaining("[id, name, qty, price]");
  }

  @Test
  void otherTablesPassUntouched() {
    TableSchema other = TableSchema.withPrimaryKey(TableId.of("shop", "items"),
        List.of(Column.of("id", LogicalType.INT64, false)), List.of("id"));
    ChangeEvent e = new ChangeEvent(other, Op.INSERT, null, Row.of(1L), new MemoryPosition(1), null, null);
    assertThat(stage("id", "id > 5").apply(e)).isSameAs(e);
  }
}
