package dev.sluice.source.mysql.debezium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.TableId;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffsetSeedTest {
  private static final String SEEDED = "{\"databaseName\":\"shop\",\"ddl\":\"CREATE TABLE `orders` (\\n  `id` int NOT NULL\\n)\","
      + "\"tableChanges\":[]}";
  private static final String STREAMED = "{\"databaseName\":\"shop\",\"ddl\":\"ALTER TABLE items ADD COLUMN x INT\","
      + "\"tableChanges\":[{\"type\":\"ALTER\",\"id\":\"\\\"shop\\\".\\\"items\\\"\"}]}";
  private static final String RENAMED = "{\"databaseName\":\"shop\",\"ddl\":\"RENAME TABLE old_t TO new_t\",\"tableChanges\":[]}";

  @Test
  void aTableIsKnownByItsCreateByTableChangesOrByARenameToIt() {
    List<String> history = List.of(SEEDED, STREAMED, RENAMED);
    assertThat(OffsetSeed.known(history, TableId.of("shop", "orders"))).isTrue();
    assertThat(OffsetSeed.known(history, TableId.of("shop", "items"))).isTrue();
    assertThat(OffsetSeed.known(history, TableId.of("shop", "new_t"))).isTrue();
  }

  @Test
  void similarNamesAndOtherDatabasesAreNotKnown() {
    List<String> history = List.of(SEEDED, STREAMED);
    assertThat(OffsetSeed.known(history, TableId.of("shop", "order"))).isFalse();
    assertThat(OffsetSeed.known(history, TableId.of("shop", "orders2"))).isFalse();
    assertThat(OffsetSeed.known(history, TableId.of("other", "orders"))).isFalse();
    assertThat(OffsetSeed.known(List.of(), TableId.of("shop", "orders"))).isFalse();
  }
}
