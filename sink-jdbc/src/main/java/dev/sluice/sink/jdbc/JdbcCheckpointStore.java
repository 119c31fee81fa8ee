package dev.sluice.sink.jdbc;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import java.util.Optional;

/**
 * The exactly-once checkpoint store of a {@link JdbcSink}: one row per pipeline in the
 * {@code checkpoint.table}, holding the checkpoint in its stored JSON form. A save writes the rows
 * buffered since the previous save and this row, and commits them in one target transaction.
 */
final class JdbcCheckpointStore implements CheckpointStore {
  private final JdbcSink sink;

  JdbcCheckpointStore(JdbcSink sink) {
    this.sink = sink;
  }

  @Override
  public Optional<Checkpoint> load() {
    return sink.loadCheckpoint();
  }

  @Override
  public void save(Checkpoint checkpoint) {
    sink.commitWith(checkpoint);
  }
}
