package dev.sluice.core.testing;

import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Random INSERT/UPDATE/DELETE traffic against a {@link MemoryDatabase}, including inserts at the
 * tail of the key space and deletes, from several writer threads. Every row is
 * {@code (key columns..., version, payload)}; {@code version} is the sequence number of the write.
 */
public final class Workload {

  /** How a table's keys are drawn. */
  public enum KeyKind {
    /** Consecutive longs; inserts go to the tail. */
    DENSE,
    /** Longs spread over a wide range: boundary queries, not arithmetic splits. */
    SPARSE,
    /** Random UUID strings. */
    UUID_STRING,
    /** (small int with a skewed distribution, string). */
    COMPOSITE
  }

  private final MemoryDatabase db;
  private final long seed;
  private final List<TableSchema> tables = new ArrayList<>();
  private final List<KeyKind> kinds = new ArrayList<>();
  private final List<Thread> writers = new ArrayList<>();
  private final AtomicLong writes = new AtomicLong();
  private volatile boolean running;
  private final int payloadBytes;

  public Workload(MemoryDatabase db, long seed, int payloadBytes) {
    this.db = db;
    this.seed = seed;
    this.payloadBytes = payloadBytes;
  }

  public TableSchema addTable(String name, KeyKind kind, int rows) {
    List<Column> cols = new ArrayList<>();
    List<String> key = new ArrayList<>();
    if (kind == KeyKind.COMPOSITE) {
      cols.add(Column.of("region", LogicalType.INT32, false));
      cols.add(Column.of("code", LogicalType.STRING, false));
      key.add("region");
      key.add("code");
    } else {
      cols.add(Column.of("id", kind == KeyKind.UUID_STRING ? LogicalType.STRING : LogicalType.INT64, false));
      key.add("id");
    }
    cols.add(Column.of("version", LogicalType.INT64, false));
    cols.add(Column.of("payload", LogicalType.STRING, true));
    TableSchema schema = TableSchema.withPrimaryKey(TableId.of("testdb", name), cols, key);
    db.createTable(schema);
    tables.add(schema);
    kinds.add(kind);
    Random r = new Random(seed ^ name.hashCode());
    for (int i = 0; i < rows; i++) {
      insert(schema, kind, r, i + 1L);
    }
    db.publish();
    return schema;
  }

  /** Index of the version column, the same in every table of a workload of one key kind. */
  public static int versionColumn(KeyKind kind) {
    return kind == KeyKind.COMPOSITE ? 2 : 1;
  }

  private Key newKey(KeyKind kind, Random r, TableSchema schema, long n) {
    return switch (kind) {
      case DENSE -> {
        Key last = db.lastKey(schema.id());
        yield Key.of(last == null ? n : (Long) last.get(0) + 1);
      }
      case SPARSE -> Key.of(r.nextLong(1_000_000_000_000L));
      case UUID_STRING -> Key.of(new UUID(r.nextLong(), r.nextLong()).toString());
      case COMPOSITE -> Key.of((int) Math.abs(r.nextGaussian() * 3), Long.toString(r.nextLong(100_000), 36));
    };
  }

  private Key probe(KeyKind kind, Random r) {
    return switch (kind) {
      case DENSE, SPARSE -> Key.of(r.nextLong(kind == KeyKind.DENSE ? 1_000_000 : 1_000_000_000_000L));
      case UUID_STRING -> Key.of(new UUID(r.nextLong(), r.nextLong()).toString());
      case COMPOSITE -> Key.of(r.nextInt(10), Long.toString(r.nextLong(100_000), 36));
    };
  }

  private void insert(TableSchema schema, KeyKind kind, Random r, long n) {
    Key k = newKey(kind, r, schema, n);
    db.write(schema.id(), k, (before, seq) -> row(k, seq, r));
  }

  private Row row(Key key, long version, Random r) {
    Object[] v = new Object[key.size() + 2];
    for (int i = 0; i < key.size(); i++) {
      v[i] = key.get(i);
    }
    v[key.size()] = version;
    v[key.size() + 1] = payloadBytes == 0 ? null : "p" + Long.toString(r.nextLong(), 36).repeat(Math.max(1, payloadBytes / 12));
    return Row.wrap(v);
  }

  /** Starts {@code n} writer threads, each pausing up to {@code maxPauseMicros} between writes. */
  public void start(int n, long maxPauseMicros) {
    running = true;
    for (int i = 0; i < n; i++) {
      Random r = new Random(seed * 31 + i);
      Thread t = new Thread(() -> writeLoop(r, maxPauseMicros), "workload-writer-" + i);
      t.setDaemon(true);
      writers.add(t);
      t.start();
    }
  }

  private void writeLoop(Random r, long maxPauseMicros) {
    while (running) {
      int ti = r.nextInt(tables.size());
      TableSchema schema = tables.get(ti);
      KeyKind kind = kinds.get(ti);
      int op = r.nextInt(10);
      if (op < 4) {
        insert(schema, kind, r, 1);
      } else {
        Key k = db.randomExistingKey(schema.id(), probe(kind, r));
        if (k != null) {
          boolean delete = op >= 8;
          db.write(schema.id(), k, (before, seq) -> before == null || delete ? null : row(k, seq, r));
        }
      }
      writes.incrementAndGet();
      // Changes become visible a little after they are logged, sometimes several at once.
      if (r.nextInt(3) == 0) {
        db.publish();
      }
      if (maxPauseMicros > 0) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(r.nextLong(maxPauseMicros)));
      }
    }
  }

  /** Stops the writers, waits for them, and makes every logged change visible. */
  public void stop() throws InterruptedException {
    running = false;
    for (Thread t : writers) {
      t.join();
    }
    writers.clear();
    db.publish();
  }

  public long writes() {
    return writes.get();
  }

  public List<TableSchema> tables() {
    return List.copyOf(tables);
  }
}
