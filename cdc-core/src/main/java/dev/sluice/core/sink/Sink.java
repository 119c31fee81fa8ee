package dev.sluice.core.sink;

import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where change events go. Called by one pipeline thread; events arrive in log order, and all changes
 * of one key arrive in the order they happened.
 */
public interface Sink extends AutoCloseable {

  /** Writes a batch. May buffer; nothing is promised durable until {@link #flush()}. */
  void write(List<ChangeEvent> events);

  /** Applies a schema change; every event written before it has been written first. */
  default void apply(SchemaChangeEvent change) {}

  /** Returns when everything written so far is durable. */
  void flush();

  /**
   * A sink that can commit a checkpoint atomically with its data returns the store that does so
   * (exactly-once): saving there makes the data written since the last save and the checkpoint
   * durable together, or neither. Empty for sinks that are at-least-once.
   */
  default Optional<CheckpointStore> atomicCheckpoints() {
    return Optional.empty();
  }

  /**
   * The time between checkpoints this sink asks for, overriding the pipeline's checkpoint interval
   * (each checkpoint is a commit in the sink, and a lake wants few, large ones); empty to follow the
   * pipeline's. Read once, when the pipeline is built.
   */
  default Optional<Duration> checkpointInterval() {
    return Optional.empty();
  }

  /**
   * Present when this sink wants each source transaction committed whole: the pipeline then takes a
   * checkpoint (each one commits the sink) only between source transactions, holding a due one back
   * until the log shows the transaction in progress has ended (a change of another transaction or of
   * none, or a log quiet for a second), but at most this long; past it the checkpoint is taken inside
   * the transaction, logged as a warning, so that a huge transaction cannot hold durability back
   * forever. Empty (the default): checkpoints at any point. Read once, when the pipeline is built.
   */
  default Optional<Duration> transactionBoundaryWait() {
    return Optional.empty();
  }

  /**
   * Tables this sink has stopped writing while the pipeline goes on (a schema change the target
   * could not take, under a tolerant policy), each with the reason; shown in the pipeline's status.
   * Called from other threads: an implementation returns a snapshot. Empty by default.
   */
  default Map<TableId, String> stoppedTables() {
    return Map.of();
  }

  @Override
  default void close() {}
}
