package dev.sluice.core.snapshot;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.KeySpace;
import dev.sluice.core.source.Source;

/**
 * Cuts a table into chunks one at a time, after a cursor, so readers start before a big table is
 * fully planned and the cursor can be checkpointed. A single integer key that is dense (few gaps)
 * is split arithmetically with no query at all; any other key is cut with boundary queries. The
 * last chunk is open-ended ({@code (cursor, +inf]}) so rows inserted at the tail while the snapshot
 * runs are read too; the read limit keeps it bounded however far the table grows.
 */
final class ChunkPlanner {
  /** Keys may be at most this sparse (key span / rows) for an arithmetic split. */
  private static final double DENSE_ENOUGH = 2.0;

  private final Source source;
  private final TableSchema schema;
  private final int chunkSize;
  private boolean initialized;
  private long step; // > 0 when splitting arithmetically
  private long max;
  private boolean intKey;
  private long firstHi;
  private volatile long approximateRows = -1;

  ChunkPlanner(Source source, TableSchema schema, int chunkSize) {
    this.source = source;
    this.schema = schema;
    this.chunkSize = chunkSize;
  }

  /** The chunk after {@code cursor} ({@code null}: the first); its upper bound is {@code null} when it is the last. */
  KeyRange next(Key cursor) {
    if (!initialized) {
      initialize();
    }
    if (step > 0) {
      return nextArithmetic(cursor);
    }
    Key boundary = source.chunkBoundary(schema, cursor, chunkSize);
    return new KeyRange(cursor, boundary);
  }

  /** The table's estimated row count, once the first chunk is planned; -1 before. */
  long approximateRows() {
    return approximateRows;
  }

  private void initialize() {
    initialized = true;
    KeySpace space = source.keySpace(schema);
    approximateRows = space.approximateRows();
    if (schema.keyColumns().size() != 1) {
      return;
    }
    if (space.isEmpty() || space.approximateRows() <= 0) {
      return;
    }
    Object min = space.min().get(0);
    Object hi = space.max().get(0);
    if (!(min instanceof Integer || min instanceof Long) || min.getClass() != hi.getClass()) {
      return;
    }
    long lo = ((Number) min).longValue();
    max = ((Number) hi).longValue();
    double span = (double) max - lo + 1;
    if (span / space.approximateRows() > DENSE_ENOUGH) {
      return;
    }
    intKey = min instanceof Integer;
    step = Math.max(1, (long) Math.ceil(chunkSize * span / space.approximateRows()));
    firstHi = lo - 1 + step;
  }

  private KeyRange nextArithmetic(Key cursor) {
    long hi;
    if (cursor == null) {
      hi = firstHi;
    } else {
      long c = ((Number) cursor.get(0)).longValue();
      if (c >= max || c > Long.MAX_VALUE - step) {
        return new KeyRange(cursor, null);
      }
      hi = c + step;
    }
    if (hi >= max || (intKey && hi >= Integer.MAX_VALUE)) {
      return new KeyRange(cursor, null);
    }
    return new KeyRange(cursor, intKey ? Key.of((int) hi) : Key.of(hi));
  }
}
