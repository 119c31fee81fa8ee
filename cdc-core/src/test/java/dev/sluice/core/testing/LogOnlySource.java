package dev.sluice.core.testing;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import dev.sluice.core.source.KeySpace;
import dev.sluice.core.source.Source;
import java.util.List;
import java.util.function.Predicate;

/**
 * A source that is only a change log, for pipelines started at the latest offset: its tables hold
 * no rows to snapshot, and its positions are {@link MemoryPosition}s counting the log's changes (0
 * before the first). A subclass opens the log.
 */
public abstract class LogOnlySource implements Source {
  private final List<TableSchema> tables;

  protected LogOnlySource(TableSchema... tables) {
    this.tables = List.of(tables);
  }

  @Override
  public List<TableSchema> tables() {
    return tables;
  }

  @Override
  public KeySpace keySpace(TableSchema table) {
    return KeySpace.EMPTY;
  }

  @Override
  public Key chunkBoundary(TableSchema table, Key after, long rows) {
    return null;
  }

  @Override
  public void readChunk(TableSchema table, KeyRange range, Predicate<Row> consumer) {}

  @Override
  public Position lowWatermark() {
    return new MemoryPosition(0);
  }

  @Override
  public int comparePositions(Position a, Position b) {
    return MemoryPosition.compare(a, b);
  }

  @Override
  public Position decodePosition(String encoded) {
    return MemoryPosition.decode(encoded);
  }
}
