package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.TableId;
import dev.sluice.core.option.Options;
import dev.sluice.core.source.KeyRange;
import dev.sluice.testsupport.StatementRecorder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The text of the snapshot's statements, recorded without a server. Key comparisons are spelled out
 * column by column, the form MySQL reads as a range of the key's index.
 */
class ChunkQueriesTest {
  private static final TableInfo KEYED = TableInfo.of(TableId.of("sh`op", "t"), List.of(
      new TableInfo.Described("a", "INT", false, -1, 0, false, null),
      new TableInfo.Described("b", "VARCHAR", false, 40, 0, false, "utf8mb4_0900_ai_ci"),
      new TableInfo.Described("at", "DATETIME", false, -1, 0, true, null),
      new TableInfo.Described("on", "TIMESTAMP", false, -1, 0, true, null)), List.of("a", "b"), true);
  private static final TableInfo KEYLESS = TableInfo.of(TableId.of("shop", "log"), List.of(
      new TableInfo.Described("line", "TEXT", false, -1, 0, true, "utf8mb4_0900_ai_ci"),
      new TableInfo.Described("flag", "BIT", false, 1, 0, true, null)), List.of(), false);

  private final StatementRecorder recorder = new StatementRecorder();
  private final ChunkQueries chunks = new ChunkQueries(recorder.dataSource(),
      Map.of(KEYED.schema().id(), KEYED, KEYLESS.schema().id(), KEYLESS), MySqlConfig.from(Options.parse("test",
      MySqlOptions.ALL, Map.of("hostname", "h", "username", "u", "password", "p", "tables", "shop\\..*"))));

  @Test
  void keyBoundsAndBoundariesCompareTheKeyColumnByColumn() {
    assertThat(recorder.only(() -> chunks.keySpace(KEYED.schema())))
        .isEqualTo("SELECT `a`, `b` FROM `sh``op`.`t` ORDER BY `a` ASC, `b` ASC LIMIT 1");
    assertThat(recorder.only(() -> chunks.chunkBoundary(KEYED.schema(), null, 500)))
        .isEqualTo("SELECT `a`, `b` FROM `sh``op`.`t` ORDER BY `a`, `b` LIMIT 1 OFFSET 499");
    assertThat(recorder.only(() -> chunks.chunkBoundary(KEYED.schema(), Key.of(1, "x"), 500)))
        .isEqualTo("SELECT `a`, `b` FROM `sh``op`.`t` WHERE (`a` > ? OR (`a` = ? AND (`b` > ?))) ORDER BY `a`, `b` LIMIT 1 OFFSET 499");
  }

  @Test
  void aTableThisSourceDoesNotCaptureIsRefusedByName() {
    TableInfo other = TableInfo.of(TableId.of("shop", "other"), List.of(
        new TableInfo.Described("a", "INT", false, -1, 0, false, null)), List.of("a"), true);
    assertThatThrownBy(() -> chunks.keySpace(other.schema())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shop").hasMessageContaining("other").hasMessageContaining("not captured");
  }

  @Test
  void rangeReadsSelectEveryColumnBetweenTheirBoundsInKeyOrder() {
    Key lo = Key.of(1, "x");
    Key hi = Key.of(9, "y");
    assertThat(recorder.only(() -> chunks.readChunk(KEYED.schema(), new KeyRange(lo, hi), r -> true)))
        .isEqualTo("SELECT `a`, `b`, CAST(`at` AS CHAR), UNIX_TIMESTAMP(`on`) FROM `sh``op`.`t` WHERE (`a` > ? OR (`a` = ? AND (`b` > ?))) AND (`a` < ? OR (`a` = ? AND (`b` <= ?))) ORDER BY `a`, `b`");
    assertThat(recorder.only(() -> chunks.readChunk(KEYED.schema(), new KeyRange(lo, null), r -> true)))
        .isEqualTo("SELECT `a`, `b`, CAST(`at` AS CHAR), UNIX_TIMESTAMP(`on`) FROM `sh``op`.`t` WHERE (`a` > ? OR (`a` = ? AND (`b` > ?))) ORDER BY `a`, `b`");
    assertThat(recorder.only(() -> chunks.readChunk(KEYED.schema(), new KeyRange(null, hi), r -> true)))
        .isEqualTo("SELECT `a`, `b`, CAST(`at` AS CHAR), UNIX_TIMESTAMP(`on`) FROM `sh``op`.`t` WHERE (`a` < ? OR (`a` = ? AND (`b` <= ?))) ORDER BY `a`, `b`");
    assertThat(recorder.only(() -> chunks.readChunk(KEYED.schema(), KeyRange.ALL, r -> true)))
        .isEqualTo("SELECT `a`, `b`, CAST(`at` AS CHAR), UNIX_TIMESTAMP(`on`) FROM `sh``op`.`t` ORDER BY `a`, `b`");
    assertThat(recorder.only(() -> chunks.readChunk(KEYLESS.schema(), KeyRange.ALL, r -> true)))
        .isEqualTo("SELECT `line`, CAST(`flag` AS UNSIGNED) FROM `shop`.`log`");
  }

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
