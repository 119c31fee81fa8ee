package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.testing.MemoryPosition;
import java.util.List;
import dev.sluice.core.event.TablePattern;
import org.junit.jupiter.api.Test;

class RouteTransformTest {
  private static ChangeEvent insert(TableId table) {
    TableSchema s = TableSchema.withPrimaryKey(table, List.of(Column.of("id", LogicalType.INT64, false)), List.of("id"));
    return new ChangeEvent(s, ChangeEvent.Op.INSERT, null, Row.of(1L), new MemoryPosition(1), null, null);
  }

  @Test
  void theFirstMatchingRuleRenamesAndTheReplaceSymbolStandsForTheTable() {
    RouteTransform t = new RouteTransform(List.of(
        new Route(TablePattern.compile("shop\\.orders"), "ods.orders_all", null, null),
        new Route(TablePattern.compile("shop\\..*"), "ods.ods_<>", "<>", null)));
    assertThat(((ChangeEvent) t.apply(insert(TableId.of("shop", "orders")))).table()).isEqualTo(TableId.of("ods", "orders_all"));
    assertThat(((ChangeEvent) t.apply(insert(TableId.of("shop", "items")))).table()).isEqualTo(TableId.of("ods", "ods_items"));
    ChangeEvent other = insert(TableId.of("crm", "users"));
    assertThat(t.apply(other)).isSameAs(other);
  }
}
