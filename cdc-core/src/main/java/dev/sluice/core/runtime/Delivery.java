package dev.sluice.core.runtime;

/** What a pipeline promises about each change reaching the sink. */
public enum Delivery {
  /**
   * Every change reaches the sink at least once: after a crash, the changes since the last checkpoint
   * are written again. Right for idempotent sinks (keyed Kafka topics, upserting JDBC tables).
   */
  AT_LEAST_ONCE,
  /**
   * Every change is applied once: the sink commits the checkpoint atomically with its data, so a
   * crash rolls both back together. Needs a sink with {@code atomicCheckpoints()}.
   */
  EXACTLY_ONCE
}
