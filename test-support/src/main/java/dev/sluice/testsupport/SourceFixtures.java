package dev.sluice.testsupport;

import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.runtime.StartupMode;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the source modules' integration tests share whatever the server: a pipeline started the
 * way those tests start it, a table read back through its source, and a readable comparison of
 * that table with what a sink holds.
 */
public final class SourceFixtures {
  private SourceFixtures() {}

  /**
   * Starts a pipeline from {@code source} into {@code sink} with its checkpoints under {@code dir}:
   * batches of 512, a checkpoint every 300 ms, at-least-once, starting with a snapshot.
   */
  public static Pipeline pipeline(String id, Source source, Sink sink, Path dir, int parallelism, int chunk) {
    return pipeline(id, source, sink, dir, parallelism, chunk, StartupMode.INITIAL);
  }

  /** As {@link #pipeline(String, Source, Sink, Path, int, int)}, with the given startup mode. */
  public static Pipeline pipeline(String id, Source source, Sink sink, Path dir, int parallelism, int chunk,
      StartupMode startup) {
    PipelineOptions options = new PipelineOptions(SnapshotOptions.of(parallelism, chunk), 512, Duration.ofMillis(300),
        Delivery.AT_LEAST_ONCE, startup);
    return new Pipeline(id, source, sink, new FileCheckpointStore(dir, id), options, null).start();
  }

  /** The table as the source reads it now, through one full-range chunk read. */
  public static Map<Key, Row> contents(Source source, TableId id) {
    TableSchema schema = schema(source, id);
    Map<Key, Row> out = new TreeMap<>(Key.NATURAL);
    source.readChunk(schema, KeyRange.ALL, r -> {
      out.put(schema.keyOf(r), r);
      return true;
    });
    return out;
  }

  /** Every row of the table as the source reads it now, a table without a key included. */
  public static List<Row> allRows(Source source, TableId id) {
    List<Row> out = new ArrayList<>();
    source.readChunk(schema(source, id), KeyRange.ALL, out::add);
    return out;
  }

  private static TableSchema schema(Source source, TableId id) {
    return source.tables().stream().filter(t -> t.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the source does not read table " + id));
  }

  /** Up to ten differences between what the sink holds and what the table holds, readable. */
  public static List<String> differences(Map<Key, Row> sink, Map<Key, Row> table) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<Key, Row> e : table.entrySet()) {
      Row r = sink.get(e.getKey());
      if (!e.getValue().equals(r)) {
        out.add("key " + e.getKey() + ": table " + e.getValue() + ", sink " + r);
      }
    }
    for (Key k : sink.keySet()) {
      if (!table.containsKey(k)) {
        out.add("key " + k + ": not in the table, sink " + sink.get(k));
      }
    }
    return out.size() > 10 ? out.subList(0, 10) : out;
  }
}
