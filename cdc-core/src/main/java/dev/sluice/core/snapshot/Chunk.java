package dev.sluice.core.snapshot;

import dev.sluice.core.event.Key;
import dev.sluice.core.event.Position;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.KeyRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One key range of one table on its way through the snapshot: pending, then reading (its window is
 * open at {@link #low}), then buffered (its rows read, {@link #high} known) until the log passes its
 * high watermark, then emitted. Mutated only under the {@link Reconciler}'s lock, except the rows
 * that its own reader thread adds while reading.
 */
final class Chunk {
  enum State { PENDING, READING, BUFFERED }

  final TableSnapshot table;
  KeyRange range;
  State state = State.PENDING;
  /**
   * The window may not open before this position is visible: set on a range given back by a shrunk
   * chunk, whose keys had log events applied (and now forgotten) up to it.
   */
  Position notBefore;
  Position low;
  Position high;

  /** Rows as the SELECT returned them, in key order. */
  private List<Row> read = new ArrayList<>();
  /** Log events applied in the window, by key: the last one wins. */
  private Map<Key, Applied> applied = new HashMap<>();
  private long bytes;

  Chunk(TableSnapshot table, KeyRange range) {
    this.table = table;
    this.range = range;
  }

  TableSchema schema() {
    return table.schema;
  }

  /** The one chunk of a table without a key, read whole (see {@link WholeTableRead}). */
  boolean wholeTable() {
    return !table.schema.hasKey();
  }

  void addRead(Row row) {
    read.add(row);
    bytes += row.estimatedBytes();
  }

  Key lastReadKey() {
    return read.isEmpty() ? null : table.schema.keyOf(read.get(read.size() - 1));
  }

  /** A log event applied in the window: the row's new value, or its last value and a delete. */
  private record Applied(Row row, boolean deleted) {
    long bytes() {
      return row == null ? 16 : row.estimatedBytes();
    }
  }

  /**
   * Applies a log event in the window: {@code row} is the key's new value, or for a delete
   * ({@code deleted}) the value it had.
   */
  void apply(Key key, Row row, boolean deleted) {
    Applied now = new Applied(row, deleted);
    Applied previous = applied.put(key, now);
    bytes += now.bytes() - (previous == null ? 0 : previous.bytes());
  }

  /** Rows held, counting applied events; what the buffer bound is measured in. */
  long rows() {
    return read.size() + applied.size();
  }

  long bytes() {
    return bytes;
  }

  /**
   * Hands every current row to {@code rows} (order within a chunk does not matter) and empties the
   * chunk. Rows deleted in the window go to {@code deletes} with their last value, when it is not
   * {@code null}: a chunk resumed after a crash must remove them from a sink that may hold them.
   */
  void drain(Consumer<Row> rows, Consumer<Row> deletes) {
    for (Row r : read) {
      Applied change = applied.isEmpty() ? null : applied.remove(table.schema.keyOf(r));
      if (change == null) {
        rows.accept(r);
      } else if (!change.deleted) {
        rows.accept(change.row);
      } else if (deletes != null) {
        deletes.accept(change.row);
      }
    }
    for (Applied a : applied.values()) {
      if (!a.deleted) {
        rows.accept(a.row);
      } else if (deletes != null) {
        deletes.accept(a.row);
      }
    }
    read = List.of();
    applied = Map.of();
    bytes = 0;
  }

  /**
   * Shrinks a chunk grown past its bound by events in its window: keeps its lowest keys, within
   * {@code keepRows} held rows and {@code keepBytes} bytes (but always its lowest key, however large),
   * and gives the range above them back. Upserts already applied to the keys given back are simply
   * forgotten: the returned range is read again later, and that read sees them. Deletes there are
   * handed to {@code givenBackDeletes} (with the row's last value) when it is not {@code null}: a
   * resumed chunk must still delete those rows from the sink. Deletes it keeps count against both
   * targets, as they do in {@link #rows()} and {@link #bytes()}.
   *
   * @return the range given back, or {@code null} when compaction alone brought the chunk within
   *     both targets
   */
  KeyRange shrinkTo(int keepRows, long keepBytes, Consumer<Row> givenBackDeletes) {
    // By key value, not in the table's order: keys the order holds equal (a case-insensitive
    // collation's 'a' and 'A') are distinct values, and a resumed chunk must delete each of them.
    Map<Key, Applied> deletes = new HashMap<>();
    applied.forEach((k, a) -> {
      // Deletes only matter to a sink that may hold the row, i.e. to a resumed chunk.
      if (a.deleted && givenBackDeletes != null) {
        deletes.put(k, a);
      }
    });
    TreeMap<Key, Row> current = new TreeMap<>(table.order);
    drain(r -> current.put(table.schema.keyOf(r), r), null);
    // What each key in the table's order would keep held: its row and its deletes.
    TreeMap<Key, long[]> held = new TreeMap<>(table.order);
    current.forEach((k, r) -> add(held, k, r.estimatedBytes()));
    deletes.forEach((k, a) -> add(held, k, a.bytes()));
    Key newHi = lastKept(held, keepRows, keepBytes);
    KeyRange givenBack = null;
    if (newHi != null && table.order.compare(newHi, held.lastKey()) < 0) {
      current.tailMap(newHi, false).clear();
      Key cut = newHi;
      deletes.entrySet().removeIf(d -> {
        if (table.order.compare(d.getKey(), cut) <= 0) {
          return false;
        }
        givenBackDeletes.accept(d.getValue().row);
        return true;
      });
      givenBack = new KeyRange(newHi, range.hi());
      range = new KeyRange(range.lo(), newHi);
    }
    read = new ArrayList<>(current.values());
    applied = new HashMap<>(deletes);
    bytes = 0;
    read.forEach(r -> bytes += r.estimatedBytes());
    applied.values().forEach(a -> bytes += a.bytes());
    return givenBack;
  }

  /**
   * The highest key to keep so that the keys up to it hold within {@code keepRows} rows and {@code
   * keepBytes} bytes, but at least the lowest key; {@code null} when nothing is held.
   */
  private static Key lastKept(TreeMap<Key, long[]> held, int keepRows, long keepBytes) {
    Key last = null;
    long rows = 0;
    long size = 0;
    for (Map.Entry<Key, long[]> e : held.entrySet()) {
      rows += e.getValue()[0];
      size += e.getValue()[1];
      if (last != null && (rows > keepRows || size > keepBytes)) {
        break;
      }
      last = e.getKey();
    }
    return last;
  }

  private static void add(TreeMap<Key, long[]> held, Key k, long bytes) {
    long[] h = held.computeIfAbsent(k, x -> new long[2]);
    h[0]++;
    h[1] += bytes;
  }

  @Override
  public String toString() {
    return table.schema.id() + String.valueOf(range);
  }
}
