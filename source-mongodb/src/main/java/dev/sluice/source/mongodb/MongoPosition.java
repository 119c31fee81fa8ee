package dev.sluice.source.mongodb;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Position;
import java.util.Comparator;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;

/**
 * A point in a MongoDB change stream: the cluster time of an operation, and for an event its resume
 * token. Ordered by cluster time, then by token (a transaction's events share one cluster time and
 * their tokens sort in statement order). A position without a token stands after every event at its
 * cluster time: the watermarks and the "everything up to here has been returned" mark of an idle
 * stream are such positions, and a stream restarted from one starts at the next cluster time.
 *
 * @param clusterTime the BSON timestamp's value: seconds in the high 32 bits, increment in the low
 * @param token the {@code _data} of the event's resume token, or {@code null}
 */
public record MongoPosition(long clusterTime, String token) implements Position, Comparable<MongoPosition> {

  static final Comparator<MongoPosition> ORDER = Comparator
      .comparing((MongoPosition p) -> p.clusterTime, Long::compareUnsigned)
      .thenComparing(p -> p.token, Comparator.nullsLast(Comparator.naturalOrder()));

  public MongoPosition {
    if (token != null && (token.isEmpty() || token.indexOf('/') >= 0)) {
      throw new IllegalArgumentException("not a resume token: '" + token + "'");
    }
  }

  /** After every event at {@code time}. */
  static MongoPosition after(BsonTimestamp time) {
    return new MongoPosition(time.getValue(), null);
  }

  BsonTimestamp timestamp() {
    return new BsonTimestamp(clusterTime);
  }

  /** The first cluster time after this position's, where a stream opened at it starts. */
  BsonTimestamp nextTime() {
    BsonTimestamp t = timestamp();
    return t.getInc() == -1 ? new BsonTimestamp(t.getTime() + 1, 0) : new BsonTimestamp(t.getTime(), t.getInc() + 1);
  }

  /** The resume token, for {@code resumeAfter}; {@code null} for a position between events. */
  BsonDocument resumeToken() {
    return token == null ? null : new BsonDocument("_data", new BsonString(token));
  }

  static MongoPosition max(MongoPosition a, MongoPosition b) {
    return ORDER.compare(a, b) >= 0 ? a : b;
  }

  @Override
  public int compareTo(MongoPosition o) {
    return ORDER.compare(this, o);
  }

  /** {@code seconds.increment}, then {@code /token} for an event. */
  @Override
  public String encode() {
    BsonTimestamp t = timestamp();
    String time = Integer.toUnsignedString(t.getTime()) + "." + Integer.toUnsignedString(t.getInc());
    return token == null ? time : time + "/" + token;
  }

  /** Reads back {@link #encode()}. */
  static MongoPosition decode(String text) {
    try {
      int slash = text.indexOf('/');
      String time = slash < 0 ? text : text.substring(0, slash);
      int dot = time.indexOf('.');
      BsonTimestamp t = new BsonTimestamp(Integer.parseUnsignedInt(time.substring(0, dot)),
          Integer.parseUnsignedInt(time.substring(dot + 1)));
      return new MongoPosition(t.getValue(), slash < 0 ? null : text.substring(slash + 1));
    } catch (RuntimeException e) {
      throw new ConfigurationException("checkpoint position '" + text + "' is not a MongoDB change-stream position "
          + "(seconds.increment[/token]); was the checkpoint written by another source type?", e);
    }
  }

  @Override
  public String toString() {
    return encode();
  }
}
