package dev.sluice.source.mongodb;

import com.mongodb.client.MongoClient;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;

/**
 * Where the server's operation log stands, for the snapshot's watermarks and for the change
 * stream's progress on an idle log.
 *
 * <p>Why the replica-set clock is sound. {@code visibleHorizon()} is the majority commit point
 * ({@code hello.lastWrite.majorityOpTime}). A replica set only lets the majority point pass an
 * operation once that operation is committed (secondaries copy only the primary's hole-free oplog),
 * and chunk reads use read concern "majority", which reads at the majority point as of the read:
 * so every change at or before the horizon is visible to any read started afterwards. It is also
 * the point up to which a change stream (which returns majority-committed events only) has
 * everything, so a stream that comes back empty after the horizon was taken has returned every
 * event at or before it. {@code latest()} is the last applied operation
 * ({@code hello.lastWrite.opTime}), at or after everything any read could have seen.
 */
interface ServerClock {

  /** A position at or before which every change is visible to a read started after this call. */
  MongoPosition visibleHorizon();

  /** A position at or after every change a read that finished before this call could see. */
  MongoPosition latest();

  /** The clock of a replica-set member. */
  static ServerClock replicaSet(MongoClient client) {
    return new ServerClock() {
      @Override
      public MongoPosition visibleHorizon() {
        return MongoPosition.after(opTime(client, "majorityOpTime"));
      }

      @Override
      public MongoPosition latest() {
        return MongoPosition.after(opTime(client, "opTime"));
      }
    };
  }

  /**
   * Best effort for a server that serves change streams without being a replica set (the
   * mongo-java-server test double): the last entry appended to {@code local.oplog.rs}. A sound low
   * watermark there, because that server stamps an oplog entry only after the write is visible; a
   * high watermark that can be low when writes race, which only makes a full-row event replay after
   * its chunk (harmless). See the README.
   */
  static ServerClock oplogTail(MongoClient client) {
    return new ServerClock() {
      @Override
      public MongoPosition visibleHorizon() {
        return latest();
      }

      @Override
      public MongoPosition latest() {
        BsonDocument last = client.getDatabase("local").getCollection("oplog.rs", BsonDocument.class).find()
            .sort(new BsonDocument("$natural", new BsonInt32(-1))).projection(new BsonDocument("ts", new BsonInt32(1)))
            .limit(1).first();
        return MongoPosition.after(last == null ? new BsonTimestamp(0L) : last.getTimestamp("ts"));
      }
    };
  }

  private static BsonTimestamp opTime(MongoClient client, String field) {
    BsonDocument hello = client.getDatabase("admin").runCommand(new BsonDocument("hello", new BsonInt32(1)),
        BsonDocument.class);
    return hello.getDocument("lastWrite").getDocument(field).getTimestamp("ts");
  }
}
