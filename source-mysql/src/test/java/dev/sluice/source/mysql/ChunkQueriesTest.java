package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Key comparisons are spelled out column by column, the form MySQL reads as a range of the key's index. */
class ChunkQueriesTest {

  @Test
  void aOneColumnKeyIsOneComparison() {
    assertThat(ChunkQueries.compared(List.of("`id`"), ">")).isEqualTo("(`id` > ?)");
    assertThat(ChunkQueries.compared(List.of("`id`"), "<=")).isEqualTo("(`id` <= ?)");
  }

  @Test
  void aCompositeKeyIsStrictOnEveryColumnButTheLast() {
    assertThat(ChunkQueries.compared(List.of("`a`", "`b`"), ">")).isEqualTo("(`a` > ? OR (`a` = ? AND (`b` > ?)))");
    assertThat(ChunkQueries.compared(List.of("`a`", "`b`", "`c`"), "<="))
        .isEqualTo("(`a` < ? OR (`a` = ? AND (`b` < ? OR (`b` = ? AND (`c` <= ?)))))");
  }
}
