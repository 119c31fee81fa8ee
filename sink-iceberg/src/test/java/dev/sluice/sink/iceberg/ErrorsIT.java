package dev.sluice.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults the sink refuses by name: where, which catalog, which table. */
class ErrorsIT {
  static final TableSchema KEYLESS = new TableSchema(TableId.of("logs", "events"),
      List.of(Column.of("at", LogicalType.timestampTz(6), false), Column.of("msg", LogicalType.STRING, true)), List.of(),
      false);

  @TempDir
  Path dir;

  @Test
  void aWarehouseThatCannotBeWrittenIsRefusedByPath() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    Lake lake = new Lake(file.resolve("lake"));
    assertThatThrownBy(() -> lake.sink("p", Map.of())).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("warehouse directory " + file.resolve("lake")).hasMessageContaining("not writable");
  }

  @Test
  void anUnreachableCatalogIsRefusedWithItsUrlAndNoCredentials() {
    Lake lake = new Lake(dir.resolve("wh"));
    assertThatThrownBy(() -> lake.sink("p", Map.of("catalog.type", "rest", "catalog.uri", "http://user:hunter2@127.0.0.1:9/cat",
        "catalog.properties.credential", "id:hunter2")))
        .isInstanceOf(ConnectionException.class).hasMessageContaining("unreachable")
        .hasMessageContaining("rest at http://127.0.0.1:9/cat").hasMessageNotContaining("hunter2");
  }

  @Test
  void aTableWithoutAKeyIsRefusedUnlessAppendIsChosen() {
    Lake lake = new Lake(dir.resolve("wh"));
    IcebergSink refusing = lake.sink("p", Map.of());
    java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
    assertThatThrownBy(() -> refusing.write(List.of(Events.insert(KEYLESS, t, "hello"))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("logs.events")
        .hasMessageContaining("no primary key").hasMessageContaining("table.without-key: append");
    refusing.close();

    IcebergSink appending = lake.sink("p", Map.of("table.without-key", "append"));
    appending.write(List.of(Events.insert(KEYLESS, t, "hello"), Events.update(KEYLESS, Row.of(t, "hello"), t, "bye"),
        Events.delete(KEYLESS, t, "bye")));
    appending.atomicCheckpoints().orElseThrow().save(Events.checkpoint("p", 1));
    List<Record> rows = Lake.records(Lake.table(appending.catalog(), "logs", "events"));
    assertThat(rows).extracting(r -> r.getField("msg") + "/" + r.getField("__op"))
        .containsExactlyInAnyOrder("hello/c", "bye/u", "bye/d");
    appending.close();
  }
}
