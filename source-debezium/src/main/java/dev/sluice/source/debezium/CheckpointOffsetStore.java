package dev.sluice.source.debezium;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's offset store, seeded from the Sluice checkpoint instead of a file or topic. Debezium
 * writes to it only when Sluice says the sink has made a position durable ({@code committed()}),
 * so what it holds never runs ahead of the sink. Instantiated by Debezium by class name.
 */
public final class CheckpointOffsetStore extends MemoryOffsetBackingStore {

  @Override
  public void configure(WorkerConfig config) {
    super.configure(config);
    Object handle = config.originals().get(EngineState.HANDLE);
    data.putAll(EngineState.lookup(handle == null ? null : handle.toString()).initialOffsets());
  }

  @Override
  public Set<Map<String, Object>> connectorPartitions(String connectorName) {
    return new HashSet<>();
  }
}
