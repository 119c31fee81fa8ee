package dev.sluice.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.TableProgress.Phase;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.TableId;
import dev.sluice.core.source.KeyRange;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointStoreTest {
  @TempDir Path dir;

  private static Checkpoint checkpoint(String pipeline, String position) {
    TableId orders = new TableId("shop", null, "orders");
    TableId events = new TableId("shop", "public", "events");
    Key composite = Key.of(7, "x\"y", new BigDecimal("12.50"), LocalDate.of(2026, 1, 2),
        LocalDateTime.of(2026, 1, 2, 3, 4, 5, 600_000_000), UUID.fromString("00000000-0000-0001-0000-000000000002"),
        new byte[] {0, -1, 5}, 9_000_000_000L, Instant.parse("2026-05-06T07:08:09.123456Z"), null, true);
    return new Checkpoint(pipeline, position, Map.of(
        orders, new TableProgress(Phase.SNAPSHOT, composite, false, List.of(
            new KeyRange(null, Key.of(100L)), new KeyRange(Key.of(200L), composite))),
        events, TableProgress.STREAMING), Map.of("offsets", "{\"file\":\"bin.000003\"}"), Instant.now());
  }

  @Test
  void savedCheckpointReadsBackEqualWithEveryKeyType() {
    FileCheckpointStore store = new FileCheckpointStore(dir, "orders-sync");
    assertThat(store.load()).isEmpty();
    Checkpoint cp = checkpoint("orders-sync", "bin.000003:4711");
    store.save(cp);
    Checkpoint back = store.load().orElseThrow();
    assertThat(back.position()).isEqualTo("bin.000003:4711");
    assertThat(back.connectorState()).isEqualTo(cp.connectorState());
    assertThat(back.tables().keySet()).isEqualTo(cp.tables().keySet());
    TableId orders = new TableId("shop", null, "orders");
    assertThat(back.progress(orders).cursor()).isEqualTo(cp.progress(orders).cursor());
    assertThat(back.progress(orders).finished()).isEqualTo(cp.progress(orders).finished());
    assertThat(back.progress(new TableId("shop", "public", "events")).phase()).isEqualTo(Phase.STREAMING);
  }

  @Test
  void aCrashBetweenWriteAndRenameLeavesTheOldCheckpointUsable() throws Exception {
    FileCheckpointStore store = new FileCheckpointStore(dir, "p1");
    store.save(checkpoint("p1", "old"));
    // What a crash in the middle of the next save leaves: a half-written temp file beside it.
    Path temp = dir.resolve("p1.checkpoint.json.tmp");
    Files.writeString(temp, "{\"format\":1,\"pipeline\":\"p1\",\"posi", StandardCharsets.UTF_8);
    assertThat(store.load().orElseThrow().position()).isEqualTo("old");
    store.save(checkpoint("p1", "new"));
    assertThat(store.load().orElseThrow().position()).isEqualTo("new");
    assertThat(temp).doesNotExist();
  }

  @Test
  void refusesTheCheckpointOfAnotherPipeline() throws Exception {
    new FileCheckpointStore(dir, "p1").save(checkpoint("p1", "x"));
    // A file copied over by hand, or two pipelines given one name.
    FileCheckpointStore p2 = new FileCheckpointStore(dir, "p2");
    Files.copy(dir.resolve("p1.checkpoint.json"), p2.file());
    assertThatThrownBy(p2::load)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("belongs to pipeline 'p1', not 'p2'")
        .hasMessageContaining(p2.file().toString());
  }

  @Test
  void refusesACheckpointOfANewerFormat() throws Exception {
    FileCheckpointStore store = new FileCheckpointStore(dir, "p1");
    store.save(checkpoint("p1", "x"));
    Path file = store.file();
    Files.writeString(file, Files.readString(file).replace("\"format\" : 1", "\"format\" : 99"));
    assertThatThrownBy(store::load)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("format 99")
        .hasMessageContaining("newer Sluice");
  }

  @Test
  void refusesAFileThatIsNotACheckpoint() throws Exception {
    FileCheckpointStore store = new FileCheckpointStore(dir, "p1");
    Files.writeString(store.file(), "not json at all");
    assertThatThrownBy(store::load).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(store.file().toString());
  }
}
