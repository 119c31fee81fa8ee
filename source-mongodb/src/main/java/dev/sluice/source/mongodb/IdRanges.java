package dev.sluice.source.mongodb;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The query filter for {@code _id} in {@code (lo, hi]} in the server's sort order. MongoDB's
 * {@code $gt}/{@code $lte} only match values of the bound's own type bracket (a number bound never
 * matches a string), so a range whose ends lie in different brackets is the union of: above
 * {@code lo} in its bracket, every value of the brackets in between ({@code $type}), and up to
 * {@code hi} in its bracket. Collections whose {@code _id}s share one type (the usual case) get a
 * single {@code $gt}/{@code $lte} clause.
 */
final class IdRanges {
  private static final String ID = DocumentMapper.ID;
  /** Every type rank, in order. */
  private static final TreeSet<Integer> RANKS = new TreeSet<>(BsonOrder.ID_TYPES.keySet());

  private IdRanges() {}

  /** {@code lo}, {@code hi}: bounds, {@code null} for unbounded. */
  static BsonDocument filter(BsonValue lo, BsonValue hi) {
    if (lo == null && hi == null) {
      return new BsonDocument();
    }
    Integer loRank = lo == null ? null : BsonOrder.rank(lo.getBsonType());
    Integer hiRank = hi == null ? null : BsonOrder.rank(hi.getBsonType());
    if (lo != null && hi != null && loRank.equals(hiRank)) {
      if (BsonOrder.isSingleton(loRank)) {
        return new BsonDocument(ID, new BsonDocument("$in", new BsonArray())); // (v, v]: empty
      }
      return new BsonDocument(ID, new BsonDocument("$gt", lo).append("$lte", hi));
    }
    List<BsonDocument> clauses = new ArrayList<>();
    if (lo != null && !BsonOrder.isSingleton(loRank)) {
      clauses.add(new BsonDocument(ID, new BsonDocument("$gt", lo)));
    }
    BsonArray between = new BsonArray();
    for (int r : RANKS.subSet(loRank == null ? Integer.MIN_VALUE : loRank, false,
        hiRank == null ? Integer.MAX_VALUE : hiRank, false)) {
      between.add(new BsonString(BsonOrder.ID_TYPES.get(r)));
    }
    if (!between.isEmpty()) {
      clauses.add(new BsonDocument(ID, new BsonDocument("$type", between)));
    }
    if (hi != null) {
      clauses.add(BsonOrder.isSingleton(hiRank)
          ? new BsonDocument(ID, new BsonDocument("$type", new BsonString(BsonOrder.ID_TYPES.get(hiRank))))
          : new BsonDocument(ID, new BsonDocument("$lte", hi)));
    }
    return clauses.size() == 1 ? clauses.get(0) : new BsonDocument("$or", new BsonArray(clauses));
  }
}
