package dev.sluice.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import com.mongodb.ServerCursor;
import com.mongodb.client.MongoChangeStreamCursor;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.LogBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.json.JsonMode;
import org.junit.jupiter.api.Test;

/**
 * How far the log claims to have read: the horizon on an idle stream (so chunks are released when
 * nothing is written), only the last event after a batch cut short, and a restart after an
 * invalidate. The cursor and clock are stubs standing in for a replica set.
 */
class ChangeStreamLogTest {
  private static final DocumentMapper MAPPER = DocumentMapper.json(JsonMode.RELAXED);
  private static final TableSchema ORDERS = MAPPER.schema(TableId.of("shop", "orders"));
  private final ChangeEvents events = new ChangeEvents(Map.of("orders", ORDERS), null, MAPPER);
  private final Deque<BsonDocument> server = new ArrayDeque<>();
  private final List<String> opened = new ArrayList<>();
  private MongoPosition horizon = MongoPosition.after(new BsonTimestamp(100, 0));

  private final ServerClock clock = new ServerClock() {
    @Override
    public MongoPosition visibleHorizon() {
      return horizon;
    }

    @Override
    public MongoPosition latest() {
      return horizon;
    }
  };

  private static ServerErrors errors() {
    return new ServerErrors(MongoConfig.from(dev.sluice.core.option.Options.parse("test", MongoOptions.ALL,
        Map.of("hosts", "db1:27017", "database", "shop"))));
  }

  private ChangeStreamLog open(MongoPosition from, int maxBatch) {
    return new ChangeStreamLog(errors(), from, (at, afterInvalidate) -> {
          opened.add((afterInvalidate ? "startAfter " : "from ") + at);
          return new StubCursor();
        }, clock, events::convert, maxBatch);
  }

  private static BsonDocument insert(int seconds, int id) {
    return BsonDocument.parse("{_id: {_data: '82" + seconds + "'}, operationType: 'insert',"
        + " clusterTime: {$timestamp: {t: " + seconds + ", i: 1}}, ns: {db: 'shop', coll: 'orders'},"
        + " documentKey: {_id: " + id + "}, fullDocument: {_id: " + id + "}}");
  }

  @Test
  void anIdleStreamReachesTheHorizon() throws InterruptedException {
    try (ChangeStreamLog log = open(MongoPosition.after(new BsonTimestamp(90, 0)), 100)) {
      LogBatch first = log.poll(5, TimeUnit.MILLISECONDS);
      assertThat(first.events()).isEmpty();
      assertThat(first.reached()).isEqualTo(horizon);
      horizon = MongoPosition.after(new BsonTimestamp(105, 3)); // the server moved on; nothing for us
      assertThat(log.poll(50, TimeUnit.MILLISECONDS).reached()).isEqualTo(horizon);
    }
  }

  @Test
  void aBatchCutShortReachesOnlyItsLastEvent() throws InterruptedException {
    server.add(insert(101, 1));
    server.add(insert(102, 2));
    server.add(insert(103, 3));
    horizon = MongoPosition.after(new BsonTimestamp(103, 1));
    try (ChangeStreamLog log = open(MongoPosition.after(new BsonTimestamp(100, 0)), 2)) {
      LogBatch batch = log.poll(5, TimeUnit.MILLISECONDS);
      assertThat(batch.events()).hasSize(2);
      assertThat(((MongoPosition) batch.reached()).token()).isEqualTo("82102");
      LogBatch rest = log.poll(5, TimeUnit.MILLISECONDS);
      assertThat(rest.events()).hasSize(1);
      assertThat(rest.reached()).isEqualTo(horizon);
    }
  }

  @Test
  void aStreamStartsAfterItsPositionAndRestartsAfterAnInvalidate() throws InterruptedException {
    server.add(BsonDocument.parse("{_id: {_data: '82101'}, operationType: 'invalidate',"
        + " clusterTime: {$timestamp: {t: 101, i: 1}}}"));
    horizon = MongoPosition.after(new BsonTimestamp(101, 1));
    try (ChangeStreamLog log = open(new MongoPosition(new BsonTimestamp(100, 0).getValue(), "82100"), 10)) {
      assertThat(log.poll(5, TimeUnit.MILLISECONDS).events()).isEmpty();
    }
    assertThat(opened).containsExactly("from 100.0/82100", "startAfter 101.1/82101");
  }

  @Test
  void aResumePointOutOfTheOplogNamesTheReSnapshot() {
    ChangeStreamLog.Opener lost = (at, afterInvalidate) -> {
      throw new MongoCommandException(BsonDocument.parse("{ok: 0, code: 286, codeName: 'ChangeStreamHistoryLost',"
          + " errmsg: 'Resume of change stream was not possible, as the resume point may no longer be in the oplog.'}"),
          new ServerAddress("db1"));
    };
    assertThatThrownBy(() -> new ChangeStreamLog(errors(), MongoPosition.after(new BsonTimestamp(1, 1)), lost, clock,
        events::convert, 10))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no longer in the oplog").hasMessageContaining("Delete the pipeline's checkpoint");
  }

  /** Hands out what {@link #server} holds, then nothing, like an idle getMore. */
  private final class StubCursor implements MongoChangeStreamCursor<BsonDocument> {
    @Override
    public BsonDocument tryNext() {
      return server.poll();
    }

    @Override
    public boolean hasNext() {
      return !server.isEmpty();
    }

    @Override
    public BsonDocument next() {
      return server.remove();
    }

    @Override
    public int available() {
      return server.size();
    }

    @Override
    public BsonDocument getResumeToken() {
      return null;
    }

    @Override
    public ServerCursor getServerCursor() {
      return null;
    }

    @Override
    public ServerAddress getServerAddress() {
      return new ServerAddress("db1");
    }

    @Override
    public void close() {}
  }
}
