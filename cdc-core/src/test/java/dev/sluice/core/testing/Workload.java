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
  /**
   * Relative weights of a writer's operations: inserts (at the tail of a dense key space), updates
   * and deletes of existing rows.
   */
  public record Mix(int inserts, int updates, int deletes) {
    /** Four inserts, four updates and two deletes in ten writes. */
    public static final Mix DEFAULT = new Mix(4, 4, 2);

    public Mix {
      if (inserts < 0 || updates < 0 || deletes < 0 || inserts + updates + deletes == 0) {
        throw new IllegalArgumentException("a write mix needs non-negative weights, not all 0: "
            + inserts + ":" + updates + ":" + deletes);
      }
    }

    @Override
    public String toString() {
      return "insert:update:delete=" + inserts + ":" + updates + ":" + deletes;
    }
  }

  private final List<Thread> writers = new ArrayList<>();
  private final AtomicLong writes = new AtomicLong();
  private volatile boolean running;
  private final int payloadBytes;
  private volatile int writePayloadBytes;

  /** @param payloadBytes about the length of every row's payload, as loaded and as written */
  public Workload(MemoryDatabase db, long seed, int payloadBytes) {
    this.db = db;
    this.seed = seed;
    this.payloadBytes = payloadBytes;
    this.writePayloadBytes = payloadBytes;
  }

  /** Makes the writers' rows carry payloads of about {@code bytes} (rows grow when updated, say). */
  public Workload writePayload(int bytes) {
    this.writePayloadBytes = bytes;
    return this;
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
    return fill(TableSchema.withPrimaryKey(TableId.of("testdb", name), cols, key), kind, rows);
  }

  /**
   * A table without a key, {@code (id, version, payload)}: {@code id} is unique and grows at the
   * tail, as a {@link KeyKind#DENSE} key does, but the schema declares no key, so every row is
   * distinct and the engine cannot tell.
   */
  public TableSchema addKeylessTable(String name, int rows) {
    List<Column> cols = List.of(Column.of("id", LogicalType.INT64, false), Column.of("version", LogicalType.INT64, false),
        Column.of("payload", LogicalType.STRING, true));
    return fill(new TableSchema(TableId.of("testdb", name), cols, List.of(), false), KeyKind.DENSE, rows);
  }

  private TableSchema fill(TableSchema schema, KeyKind kind, int rows) {
    db.createTable(schema);
    tables.add(schema);
    kinds.add(kind);
    Random r = new Random(seed ^ schema.id().table().hashCode());
    for (int i = 0; i < rows; i++) {
      insert(schema, kind, r, i + 1L, payloadBytes);
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

  /** A random point of the key space, to find an existing key near it. */
  private Key probe(KeyKind kind, Random r, TableSchema schema) {
    return switch (kind) {
      case DENSE -> {
        Key last = db.lastKey(schema.id());
        yield Key.of(1 + r.nextLong(last == null ? 1 : Math.max(1, (Long) last.get(0))));
      }
      case SPARSE -> Key.of(r.nextLong(1_000_000_000_000L));
      case UUID_STRING -> Key.of(new UUID(r.nextLong(), r.nextLong()).toString());
      case COMPOSITE -> Key.of(r.nextInt(10), Long.toString(r.nextLong(100_000), 36));
    };
  }

  private void insert(TableSchema schema, KeyKind kind, Random r, long n, int payload) {
    Key k = newKey(kind, r, schema, n);
    db.write(schema.id(), k, (before, seq) -> row(k, seq, r, payload));
  }

  private static Row row(Key key, long version, Random r, int payloadBytes) {
    Object[] v = new Object[key.size() + 2];
    for (int i = 0; i < key.size(); i++) {
      v[i] = key.get(i);
    }
    v[key.size()] = version;
    v[key.size() + 1] = payloadBytes == 0 ? null : "p" + Long.toString(r.nextLong(), 36).repeat(Math.max(1, payloadBytes / 12));
    return Row.wrap(v);
  }

  /** Starts {@code n} writer threads of the {@link Mix#DEFAULT default mix}; see {@link #start(int, long, Mix)}. */
  public void start(int n, long maxPauseMicros) {
    start(n, maxPauseMicros, Mix.DEFAULT);
  }

  /** Starts {@code n} writer threads writing {@code mix}, each pausing up to {@code maxPauseMicros} between writes. */
  public void start(int n, long maxPauseMicros, Mix mix) {
    running = true;
    for (int i = 0; i < n; i++) {
      Random r = new Random(seed * 31 + i);
      Thread t = new Thread(() -> writeLoop(r, maxPauseMicros, mix), "workload-writer-" + i);
      t.setDaemon(true);
      writers.add(t);
      t.start();
    }
  }

  private void writeLoop(Random r, long maxPauseMicros, Mix mix) {
    while (running) {
      int ti = r.nextInt(tables.size());
      TableSchema schema = tables.get(ti);
      KeyKind kind = kinds.get(ti);
      int op = r.nextInt(mix.inserts() + mix.updates() + mix.deletes());
      int payload = writePayloadBytes;
      if (op < mix.inserts()) {
        insert(schema, kind, r, 1, payload);
      } else {
        Key k = db.randomExistingKey(schema.id(), probe(kind, r, schema));
        if (k != null) {
          boolean delete = op >= mix.inserts() + mix.updates();
          db.write(schema.id(), k, (before, seq) -> before == null || delete ? null : row(k, seq, r, payload));
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
