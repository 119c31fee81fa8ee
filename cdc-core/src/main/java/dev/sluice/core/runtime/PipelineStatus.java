package dev.sluice.core.runtime;

import dev.sluice.core.snapshot.TableStatus;
import java.time.Instant;
import java.util.List;

/**
 * A pipeline at a glance, safe to show anywhere (no option values, so no secrets).
 *
 * @param lagMillis now minus the source commit time of the last log event written, -1 before any
 * @param error the message of the error that stopped the pipeline, or {@code null}
 */
public record PipelineStatus(
    String pipeline, State state, List<TableStatus> tables, long eventsWritten, long checkpoints,
    Instant lastCheckpoint, long lagMillis, String error) {

  public enum State { STARTING, SNAPSHOTTING, STREAMING, STOPPING, STOPPED, FAILED }
}
