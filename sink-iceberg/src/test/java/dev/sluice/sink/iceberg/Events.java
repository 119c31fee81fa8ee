package dev.sluice.sink.iceberg;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.testing.MemoryPosition;
import java.time.Instant;
import java.util.Map;

/** Change events and checkpoints written by hand, for tests that drive the sink without a pipeline. */
final class Events {
  private static long seq;

  private Events() {}

  static ChangeEvent read(TableSchema s, Object... values) {
    return ChangeEvent.read(s, Row.of(values), new MemoryPosition(++seq));
  }

  static ChangeEvent insert(TableSchema s, Object... values) {
    return new ChangeEvent(s, Op.INSERT, null, Row.of(values), new MemoryPosition(++seq), Instant.now(), null);
  }

  static ChangeEvent update(TableSchema s, Row before, Object... after) {
    return new ChangeEvent(s, Op.UPDATE, before, Row.of(after), new MemoryPosition(++seq), Instant.now(), null);
  }

  static ChangeEvent delete(TableSchema s, Object... before) {
    return new ChangeEvent(s, Op.DELETE, Row.of(before), null, new MemoryPosition(++seq), Instant.now(), null);
  }

  static Checkpoint checkpoint(String pipeline, long position) {
    return new Checkpoint(pipeline, Long.toString(position), Map.of(), Map.of(), Instant.now());
  }
}
