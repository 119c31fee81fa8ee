package dev.sluice.source.mongodb;

import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * Writer threads inserting (at the tail and into gaps) and deleting documents with integer
 * {@code _id}s, from a seed. The writes take turns on one lock: the test double stamps an oplog
 * entry before appending it, so two concurrent writes can be appended out of order and its change
 * stream then skips the earlier one (a fault of the double, not of the source; a replica set has no
 * such gap). The pipeline still reads and streams concurrently with every write.
 */
final class InsertDeleteWriter {
  private final MongoCollection<BsonDocument> collection;
  private final Random random;
  private final List<Thread> threads = new ArrayList<>();
  private final Object turn = new Object();
  private final AtomicLong writes = new AtomicLong();
  private final List<Integer> live = new ArrayList<>();
  private int nextId;
  private volatile boolean stop;
  private volatile long pauseNanos;
  private volatile long maxWrites;
  private volatile Throwable failure;

  InsertDeleteWriter(MongoCollection<BsonDocument> collection, long seed, int initialDocs) {
    this.collection = collection;
    this.random = new Random(seed);
    List<BsonDocument> docs = new ArrayList<>();
    for (int i = 0; i < initialDocs; i++) {
      docs.add(doc(nextId));
      live.add(nextId);
      nextId += 1 + random.nextInt(3); // gaps, so later inserts land inside existing chunks too
    }
    if (!docs.isEmpty()) {
      collection.insertMany(docs);
    }
  }

  private BsonDocument doc(int id) {
    return new BsonDocument("_id", new BsonInt32(id)).append("v", new BsonInt64(random.nextLong()))
        .append("payload", new BsonString(Long.toHexString(random.nextLong())));
  }

  /**
   * Starts {@code threadCount} writers, each pausing {@code pauseMicros} between writes, that stop
   * by themselves after {@code maxWrites} writes in all: a paced, bounded workload, since the test
   * double's change stream rescans its whole oplog on every round trip and falls behind writers that
   * run flat out (then a snapshot chasing tail inserts never ends).
   */
  InsertDeleteWriter start(int threadCount, long pauseMicros, long maxWrites) {
    this.pauseNanos = TimeUnit.MICROSECONDS.toNanos(pauseMicros);
    this.maxWrites = maxWrites;
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(this::run, "srcmongo-writer-" + i);
      threads.add(t);
      t.start();
    }
    return this;
  }

  private void run() {
    try {
      while (!stop) {
        synchronized (turn) {
          if (writes.get() >= maxWrites) {
            return;
          }
          step();
          writes.incrementAndGet();
        }
        LockSupport.parkNanos(pauseNanos);
      }
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  /** One write: a delete of a live id, an insert into a gap, or an insert at the tail. */
  private void step() {
    int r = random.nextInt(10);
    if (r < 4 && !live.isEmpty()) {
      int id = live.remove(random.nextInt(live.size()));
      collection.deleteOne(new BsonDocument("_id", new BsonInt32(id)));
    } else if (r < 6) {
      int id = random.nextInt(Math.max(1, nextId));
      if (!live.contains(id)) {
        collection.insertOne(doc(id));
        live.add(id);
      }
    } else {
      collection.insertOne(doc(nextId));
      live.add(nextId);
      nextId += 1 + random.nextInt(3);
    }
  }

  long writes() {
    return writes.get();
  }

  /** Stops the writers and waits for them; rethrows a writer's failure. */
  void stop() throws InterruptedException {
    stop = true;
    for (Thread t : threads) {
      t.join();
    }
    if (failure != null) {
      throw new AssertionError("writer failed", failure);
    }
  }
}
