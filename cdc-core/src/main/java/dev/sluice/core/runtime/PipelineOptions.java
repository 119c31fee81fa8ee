package dev.sluice.core.runtime;

import dev.sluice.core.snapshot.SnapshotOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How a pipeline runs.
 *
 * @param batchSize events handed to the sink per write
 * @param checkpointInterval time between checkpoints (each one flushes the sink first)
 */
public record PipelineOptions(SnapshotOptions snapshot, int batchSize, Duration checkpointInterval, Delivery delivery) {

  public static final PipelineOptions DEFAULTS =
      new PipelineOptions(SnapshotOptions.DEFAULTS, 2048, Duration.ofSeconds(10), Delivery.AT_LEAST_ONCE);

  public PipelineOptions {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(delivery, "delivery");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    if (checkpointInterval.isNegative()) {
      throw new IllegalArgumentException("checkpoint interval is negative: " + checkpointInterval);
    }
  }

  public PipelineOptions withSnapshot(SnapshotOptions s) {
    return new PipelineOptions(s, batchSize, checkpointInterval, delivery);
  }

  public PipelineOptions withDelivery(Delivery d) {
    return new PipelineOptions(snapshot, batchSize, checkpointInterval, d);
  }

  public PipelineOptions withCheckpointInterval(Duration d) {
    return new PipelineOptions(snapshot, batchSize, d, delivery);
  }
}
