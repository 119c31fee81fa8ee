package dev.sluice.core.runtime;

import dev.sluice.core.event.TableId;
import dev.sluice.core.snapshot.TableStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A pipeline at a glance, safe to show anywhere (no option values, so no secrets).
 *
 * @param tables per captured table: its phase (planning, snapshot, streaming), chunks done and in
 *     all, rows read
 * @param eventsPerSecond events written to the sink per second over the last five to six seconds
 *     (0 in the first second)
 * @param lagMillis how far behind the source the pipeline is: now minus the commit time of the last
 *     change read from the log, 0 once the log has nothing more and everything read is written
 *     (an idle database shows 0, not the time since its last change), -1 before any change
 * @param error the message of the error that stopped the pipeline, or {@code null}
 * @param tableLagMillis per table that has had a change from the log: the commit-to-read latency of
 *     its last change, 0 once the pipeline is caught up (tables without a change yet are absent)
 * @param sinkStoppedTables tables the sink stopped writing while the pipeline goes on, with the
 *     reason (see {@link dev.sluice.core.sink.Sink#stoppedTables()})
 * @param tableEventsPerSecond per captured table that has had an event (snapshot reads included): its
 *     events sent to the sink per second over the same window as {@code eventsPerSecond}
 */
public record PipelineStatus(
    String pipeline, State state, List<TableStatus> tables, long eventsWritten, double eventsPerSecond, long checkpoints,
    Instant lastCheckpoint, long lagMillis, String error, Map<TableId, Long> tableLagMillis,
    Map<TableId, String> sinkStoppedTables, Map<TableId, Double> tableEventsPerSecond) {

  public PipelineStatus {
    tableLagMillis = tableLagMillis == null ? Map.of() : Map.copyOf(tableLagMillis);
    sinkStoppedTables = sinkStoppedTables == null ? Map.of() : Map.copyOf(sinkStoppedTables);
    tableEventsPerSecond = tableEventsPerSecond == null ? Map.of() : Map.copyOf(tableEventsPerSecond);
  }

  public enum State { STARTING, SNAPSHOTTING, STREAMING, STOPPING, STOPPED, FAILED }
}
