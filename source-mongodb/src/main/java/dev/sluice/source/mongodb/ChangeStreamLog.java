package dev.sluice.source.mongodb;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Event;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.LogBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's one change stream. Each poll first takes the server's visible horizon, then drains
 * what the stream has; when the stream comes back empty, every event up to that horizon has been
 * returned, so {@code reached} moves to it even when nothing is written (a snapshot chunk is released
 * only once {@code reached} passes its high watermark).
 */
final class ChangeStreamLog implements ChangeLog {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeStreamLog.class);
  /** Server errors meaning the resume point has left the oplog: ChangeStreamHistoryLost, CappedPositionLost, ChangeStreamFatalError. */
  private static final Set<Integer> HISTORY_LOST = Set.of(286, 136, 280);
  /** Least time between two server round trips of an idle stream: bounds the load, and how late an idle chunk is released. */
  private static final long IDLE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** Opens a cursor: after a token ({@code resumeAfter}/{@code startAfter}) or at a cluster time. */
  interface Opener {
    MongoChangeStreamCursor<BsonDocument> open(MongoPosition from, boolean afterInvalidate);
  }

  private final ServerErrors errors;
  private final String where;
  private final Opener opener;
  private final ServerClock clock;
  private final Function<BsonDocument, ChangeEvents.Converted> converter;
  private final int maxBatch;
  private MongoChangeStreamCursor<BsonDocument> cursor;
  private MongoPosition reached;
  private long lastIdle = System.nanoTime() - IDLE_INTERVAL_NANOS;

  ChangeStreamLog(ServerErrors errors, MongoPosition from, Opener opener, ServerClock clock,
      Function<BsonDocument, ChangeEvents.Converted> converter, int maxBatch) {
    this.errors = errors;
    this.where = errors.where();
    this.opener = opener;
    this.clock = clock;
    this.converter = converter;
    this.maxBatch = maxBatch;
    this.reached = from;
    this.cursor = guard(() -> opener.open(from, false));
    LOG.info("{}: change stream opened after {}", where, from);
  }

  @Override
  public LogBatch poll(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (true) {
      long now = System.nanoTime();
      if (now - lastIdle >= IDLE_INTERVAL_NANOS) {
        MongoPosition horizon = guard(clock::visibleHorizon);
        List<Event> events = new ArrayList<>();
        MongoPosition before = reached;
        if (drain(events)) {
          reached = MongoPosition.max(reached, horizon);
          if (events.isEmpty()) {
            lastIdle = now;
          }
        }
        if (!events.isEmpty() || reached.compareTo(before) > 0) {
          return new LogBatch(events, reached);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return new LogBatch(List.of(), reached);
      }
      // Idle: ask the server again only after a pause (a real server's getMore has waited already;
      // the test double answers at once, and each of its answers scans its whole oplog).
      LockSupport.parkNanos(Math.min(left, IDLE_INTERVAL_NANOS));
      if (Thread.interrupted()) {
        throw new InterruptedException("change stream poll interrupted");
      }
    }
  }

  /** Reads up to a batch of events; true when the stream had no more. */
  private boolean drain(List<Event> out) {
    while (out.size() < maxBatch) {
      BsonDocument change = guard(cursor::tryNext);
      if (change == null) {
        return true;
      }
      ChangeEvents.Converted c = converter.apply(change);
      out.addAll(c.events());
      reached = MongoPosition.max(reached, c.position());
      if (c.invalidate()) {
        LOG.info("{}: change stream invalidated at {} (collection or database dropped or renamed); reopening",
            where, c.position());
        cursor.close();
        MongoPosition at = c.position();
        cursor = guard(() -> opener.open(at, true));
      }
    }
    return false;
  }

  private <T> T guard(Supplier<T> call) {
    try {
      return call.get();
    } catch (MongoCommandException e) {
      if (HISTORY_LOST.contains(e.getErrorCode())) {
        throw new ConfigurationException(where + ": cannot resume the change stream after " + reached
            + ": that point is no longer in the oplog (" + e.getErrorCodeName() + "). Delete the pipeline's "
            + "checkpoint to snapshot again (scan.startup.mode: initial), and size the oplog to hold more than the "
            + "longest pipeline downtime", e);
      }
      throw errors.translate("follow the change stream after " + reached, e);
    } catch (MongoException e) {
      throw errors.translate("follow the change stream after " + reached, e);
    }
  }

  @Override
  public void close() {
    try {
      cursor.close();
    } catch (MongoException e) {
      LOG.debug("{}: closing the change stream: {}", where, e.toString());
    }
  }
}
