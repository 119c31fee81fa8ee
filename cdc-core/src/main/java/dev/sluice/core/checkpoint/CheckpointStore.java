package dev.sluice.core.checkpoint;

import java.util.Optional;

/** Loads and saves one pipeline's checkpoint; a save is atomic: after a crash, the old or the new. */
public interface CheckpointStore {

  /** The last saved checkpoint, empty on a pipeline's first start. */
  Optional<Checkpoint> load();

  /** Replaces the stored checkpoint; returns once it is durable. */
  void save(Checkpoint checkpoint);
}
