package dev.sluice.core.runtime;

import dev.sluice.core.snapshot.SnapshotOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How a pipeline runs.
 *
 * @param batchSize events handed to the sink per write
 * @param checkpointInterval time between checkpoints (each one flushes the sink first)
 * @param startup what the first start does
 */
public record PipelineOptions(SnapshotOptions snapshot, int batchSize, Duration checkpointInterval, Delivery delivery,
    StartupMode startup) {

  public static final PipelineOptions DEFAULTS =
      new PipelineOptions(SnapshotOptions.DEFAULTS, 2048, Duration.ofSeconds(10), Delivery.AT_LEAST_ONCE);

  public PipelineOptions(SnapshotOptions snapshot, int batchSize, Duration checkpointInterval, Delivery delivery) {
    this(snapshot, batchSize, checkpointInterval, delivery, StartupMode.INITIAL);
  }

  public PipelineOptions {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(startup, "startup");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    if (checkpointInterval.isNegative()) {
      throw new IllegalArgumentException("checkpoint interval is negative: " + checkpointInterval);
    }
  }

  public PipelineOptions withSnapshot(SnapshotOptions s) {
    return new PipelineOptions(s, batchSize, checkpointInterval, delivery, startup);
  }

  public PipelineOptions withDelivery(Delivery d) {
    return new PipelineOptions(snapshot, batchSize, checkpointInterval, d, startup);
  }

  public PipelineOptions withCheckpointInterval(Duration d) {
    return new PipelineOptions(snapshot, batchSize, d, delivery, startup);
  }

  public PipelineOptions withStartup(StartupMode s) {
    return new PipelineOptions(snapshot, batchSize, checkpointInterval, delivery, s);
  }
}
