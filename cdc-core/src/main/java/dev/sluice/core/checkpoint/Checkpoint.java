package dev.sluice.core.checkpoint;

import dev.sluice.core.event.TableId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a pipeline needs to resume: the log position up to which every event is durable in the
 * sink ({@link dev.sluice.core.event.Position#encode() encoded} by the source), each table's snapshot
 * progress, and the connector's own state (Debezium offsets and schema history).
 */
public record Checkpoint(
    String pipelineId, String position, Map<TableId, TableProgress> tables,
    Map<String, String> connectorState, Instant savedAt) {

  /** Bumped when the stored form changes incompatibly; a store refuses a newer one. */
  public static final int FORMAT_VERSION = 1;

  public Checkpoint {
    Objects.requireNonNull(pipelineId, "pipelineId");
    Objects.requireNonNull(position, "position");
    tables = new TreeMap<>(tables);
    connectorState = new TreeMap<>(connectorState);
    Objects.requireNonNull(savedAt, "savedAt");
  }

  public TableProgress progress(TableId table) {
    return tables.getOrDefault(table, TableProgress.NOT_STARTED);
  }
}
