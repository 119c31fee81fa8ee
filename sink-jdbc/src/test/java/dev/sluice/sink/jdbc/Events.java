package dev.sluice.sink.jdbc;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import java.time.Instant;

/** Hand-made change events for tests that drive the sink directly. */
final class Events {
  private static long seq;

  private Events() {}

  record Pos(long seq) implements Position {
    @Override
    public String encode() {
      return Long.toString(seq);
    }
  }

  static ChangeEvent insert(TableSchema schema, Object... values) {
    return new ChangeEvent(schema, Op.INSERT, null, Row.of(values), next(), Instant.now(), null);
  }

  static ChangeEvent update(TableSchema schema, Row before, Object... values) {
    return new ChangeEvent(schema, Op.UPDATE, before, Row.of(values), next(), Instant.now(), null);
  }

  static ChangeEvent delete(TableSchema schema, Object... values) {
    return new ChangeEvent(schema, Op.DELETE, Row.of(values), null, next(), Instant.now(), null);
  }

  static synchronized Pos next() {
    return new Pos(++seq);
  }
}
