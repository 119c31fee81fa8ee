package dev.sluice.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonMaxKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/** Chunk ranges {@code (lo, hi]} become filters that respect MongoDB's type bracketing. */
class IdRangesTest {

  @Test
  void unboundedRangeHasNoFilter() {
    assertThat(IdRanges.filter(null, null)).isEqualTo(new BsonDocument());
  }

  @Test
  void boundsOfOneTypeGiveOneRangeClause() {
    assertThat(IdRanges.filter(new BsonInt32(5), new BsonInt32(9)))
        .isEqualTo(BsonDocument.parse("{_id: {$gt: 5, $lte: 9}}"));
  }

  @Test
  void boundsOfDifferentTypesAddTheTypesBetween() {
    ObjectId oid = new ObjectId("65a0c0ffee0000000000000a");
    assertThat(IdRanges.filter(new BsonInt32(5), new BsonObjectId(oid))).isEqualTo(BsonDocument.parse(
        "{$or: [{_id: {$gt: 5}}, {_id: {$type: ['string', 'object', 'binData']}},"
            + " {_id: {$lte: {$oid: '65a0c0ffee0000000000000a'}}}]}"));
  }

  @Test
  void openEndsCoverEveryTypeBeyondTheBound() {
    assertThat(IdRanges.filter(new BsonString("m"), null)).isEqualTo(BsonDocument.parse(
        "{$or: [{_id: {$gt: 'm'}}, {_id: {$type: ['object', 'binData', 'objectId', 'bool', 'date', 'timestamp',"
            + " 'maxKey']}}]}"));
    assertThat(IdRanges.filter(null, new BsonInt32(0))).isEqualTo(BsonDocument.parse(
        "{$or: [{_id: {$type: ['minKey', 'null']}}, {_id: {$lte: 0}}]}"));
  }

  @Test
  void singletonTypesAreSelectedByType() {
    assertThat(IdRanges.filter(new BsonNull(), new BsonNull())).isEqualTo(BsonDocument.parse("{_id: {$in: []}}"));
    assertThat(IdRanges.filter(new BsonNull(), new BsonInt32(1))).isEqualTo(BsonDocument.parse("{_id: {$lte: 1}}"));
    assertThat(IdRanges.filter(new BsonInt32(1), new BsonMaxKey())).isEqualTo(BsonDocument.parse(
        "{$or: [{_id: {$gt: 1}}, {_id: {$type: ['string', 'object', 'binData', 'objectId', 'bool', 'date',"
            + " 'timestamp']}}, {_id: {$type: 'maxKey'}}]}"));
  }
}
