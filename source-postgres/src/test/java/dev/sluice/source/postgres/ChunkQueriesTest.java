package dev.sluice.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.TableId;
import dev.sluice.core.option.Options;
import dev.sluice.core.source.KeyRange;
import dev.sluice.testsupport.StatementRecorder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text of the snapshot's statements, recorded without a server: composite keys compare as row
 * constructors, text key columns in the "C" collation. */
class ChunkQueriesTest {
  private static final TableInfo KEYED = TableInfo.of(new TableId("db", "Sales", "or\"ders"), List.of(
      new TableInfo.Described("id", "int8", false, -1, 0, false),
      new TableInfo.Described("code", "text", false, -1, 0, false),
      new TableInfo.Described("paid", "money", false, -1, 0, true),
      new TableInfo.Described("at", "timestamptz", false, 6, 0, true)), List.of("id", "code"), true, false);
  private static final TableInfo KEYLESS = TableInfo.of(new TableId("db", "public", "log"), List.of(
      new TableInfo.Described("line", "text", false, -1, 0, true)), List.of(), false, true);

  private final StatementRecorder recorder = new StatementRecorder();
  private final ChunkQueries chunks = new ChunkQueries(recorder.dataSource(),
      Map.of(KEYED.schema().id(), KEYED, KEYLESS.schema().id(), KEYLESS), PostgresConfig.from(Options.parse("test",
      PostgresOptions.ALL, Map.of("hostname", "h", "username", "u", "password", "p", "database-name", "db",
          "tables", "public\\..*"))));

  @Test
  void keyBoundsAndBoundariesCompareRowConstructors() {
    assertThat(recorder.only(() -> chunks.keySpace(KEYED.schema())))
        .isEqualTo("SELECT \"id\", \"code\" FROM \"Sales\".\"or\"\"ders\" ORDER BY \"id\" ASC, \"code\" COLLATE \"C\" ASC LIMIT 1");
    assertThat(recorder.only(() -> chunks.chunkBoundary(KEYED.schema(), null, 500)))
        .isEqualTo("SELECT \"id\", \"code\" FROM \"Sales\".\"or\"\"ders\" ORDER BY \"id\", \"code\" COLLATE \"C\" LIMIT 1 OFFSET 499");
    assertThat(recorder.only(() -> chunks.chunkBoundary(KEYED.schema(), Key.of(1L, "x"), 500)))
        .isEqualTo("SELECT \"id\", \"code\" FROM \"Sales\".\"or\"\"ders\" WHERE (\"id\", \"code\" COLLATE \"C\") > (?, ?) ORDER BY \"id\", \"code\" COLLATE \"C\" LIMIT 1 OFFSET 499");
  }

  @Test
  void rangeReadsSelectEveryColumnBetweenTheirBoundsInKeyOrder() {
    Key lo = Key.of(1L, "x");
    Key hi = Key.of(9L, "y");
    assertThat(recorder.only(() -> chunks.readChunk(KEYED.schema(), new KeyRange(lo, hi), r -> true)))
        .isEqualTo("SELECT \"id\", \"code\", \"paid\"::numeric::text, \"at\"::text FROM \"Sales\".\"or\"\"ders\" WHERE (\"id\", \"code\" COLLATE \"C\") > (?, ?) AND (\"id\", \"code\" COLLATE \"C\") <= (?, ?) ORDER BY \"id\", \"code\" COLLATE \"C\"");
    assertThat(recorder.only(() -> chunks.readChunk(KEYED.schema(), new KeyRange(lo, null), r -> true)))
        .isEqualTo("SELECT \"id\", \"code\", \"paid\"::numeric::text, \"at\"::text FROM \"Sales\".\"or\"\"ders\" WHERE (\"id\", \"code\" COLLATE \"C\") > (?, ?) ORDER BY \"id\", \"code\" COLLATE \"C\"");
    assertThat(recorder.only(() -> chunks.readChunk(KEYED.schema(), new KeyRange(null, hi), r -> true)))
        .isEqualTo("SELECT \"id\", \"code\", \"paid\"::numeric::text, \"at\"::text FROM \"Sales\".\"or\"\"ders\" WHERE (\"id\", \"code\" COLLATE \"C\") <= (?, ?) ORDER BY \"id\", \"code\" COLLATE \"C\"");
    assertThat(recorder.only(() -> chunks.readChunk(KEYED.schema(), KeyRange.ALL, r -> true)))
        .isEqualTo("SELECT \"id\", \"code\", \"paid\"::numeric::text, \"at\"::text FROM \"Sales\".\"or\"\"ders\" ORDER BY \"id\", \"code\" COLLATE \"C\"");
    assertThat(recorder.only(() -> chunks.readChunk(KEYLESS.schema(), KeyRange.ALL, r -> true)))
        .isEqualTo("SELECT \"line\" FROM \"public\".\"log\"");
  }
}
