package dev.sluice.core.source;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A database Sluice captures. The engine plans chunks, reads them in parallel through
 * {@link #readChunk}, reads the log once through {@link #openLog}, and reconciles the two with
 * watermarks, so a source only answers questions; it runs no algorithm of its own.
 *
 * <p>Methods other than {@link #openLog} may be called from several chunk-reader threads at once.
 */
public interface Source extends AutoCloseable {

  /** The captured tables with their schemas and keys. */
  List<TableSchema> tables();

  /** The table's key bounds and estimated size, for planning. */
  KeySpace keySpace(TableSchema table);

  /**
   * The key that lies {@code rows} rows after {@code after} in key order ({@code after == null}:
   * from the start), or {@code null} when fewer rows remain. Used to cut chunks of sparse or
   * non-numeric keys.
   */
  Key chunkBoundary(TableSchema table, Key after, long rows);

  /**
   * Streams the rows whose key lies in {@code range}, in key order, without holding the whole result
   * in memory, and without locks or a transaction longer than the one statement. Stops early when
   * {@code consumer} returns false. A table without a key is read once with {@link KeyRange#ALL}:
   * every row, all columns, in any order (no ORDER BY).
   */
  void readChunk(TableSchema table, KeyRange range, Predicate<Row> consumer);

  /**
   * The chunk window's start: a position P such that every change at or before P is visible to a
   * read started after this call returns. A server whose status query can run ahead of what a new
   * read sees (the log is written before the transaction becomes visible) must compensate here.
   */
  Position lowWatermark();

  /**
   * The chunk window's end: a position at or after every change visible to a read that finished
   * before this call.
   */
  default Position highWatermark() {
    return lowWatermark();
  }

  /**
   * Opens the change log just after {@code from}, with the connector state stored alongside it
   * (empty on a fresh start).
   */
  ChangeLog openLog(Position from, Map<String, String> state);

  /**
   * Where the log starts on a first start in startup mode {@code SOURCE_OFFSET}: the position the
   * source's own options name (an offset, a time, the oldest log still kept, a replication slot's
   * confirmed position), checked against what the server still has. Never called on a restart, which
   * resumes from its checkpoint. A source without such options keeps the default, which refuses.
   */
  default Position startOffset() {
    throw new ConfigurationException(getClass().getSimpleName()
        + " has no option naming a start offset; use scan.startup.mode initial or latest-offset");
  }

  /** Orders two positions of this source. */
  int comparePositions(Position a, Position b);

  /** Reads back a position written by {@link Position#encode()}. */
  Position decodePosition(String encoded);

  /** The order the database sorts this table's key in; natural order unless a collation differs. */
  default Comparator<Key> keyOrder(TableSchema table) {
    return Key.NATURAL;
  }

  @Override
  default void close() {}
}
