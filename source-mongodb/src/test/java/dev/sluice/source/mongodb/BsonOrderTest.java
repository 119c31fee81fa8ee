package dev.sluice.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.event.Key;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The order of {@code _id} values must be the server's (the MongoDB manual's "Comparison/Sort
 * Order"), or the engine would route change events to the wrong snapshot chunk.
 */
class BsonOrderTest {

  /** Values in the order a MongoDB server sorts them. */
  private static List<BsonValue> sorted() {
    return List.of(
        new BsonMinKey(),
        new BsonNull(),
        new BsonDouble(Double.NaN),
        new BsonDouble(Double.NEGATIVE_INFINITY),
        new BsonInt64(Long.MIN_VALUE),
        new BsonInt32(-5),
        new BsonDecimal128(Decimal128.parse("-0.5")),
        new BsonInt32(0),
        new BsonDouble(0.5),
        new BsonInt32(1),
        new BsonDecimal128(Decimal128.parse("1.000000000000000000000000001")),
        new BsonInt64(3_000_000_000L),
        new BsonDouble(Double.POSITIVE_INFINITY),
        new BsonString(""),
        new BsonString("A"),
        new BsonString("a"),
        new BsonString("ab"),
        new BsonString("\uFFFD"), // UTF-8 EF BF BD sorts before a supplementary character (F0 ...)
        new BsonString("\uD83D\uDE00"),
        BsonDocument.parse("{}"),
        BsonDocument.parse("{a: 1}"),
        BsonDocument.parse("{a: 1, b: 1}"), // a longer object with an equal start sorts after
        BsonDocument.parse("{a: 2}"),
        BsonDocument.parse("{b: 1}"),
        BsonDocument.parse("{a: 'x'}"), // a string value outranks any number, whatever the name
        new BsonBinary(new byte[] {9, 9}),
        new BsonBinary((byte) 4, new byte[] {0, 0}),
        new BsonBinary(new byte[] {0, 0, 0}),
        new BsonObjectId(new ObjectId("000000000000000000000000")),
        new BsonObjectId(new ObjectId("65a0c0ffee0000000000000a")),
        new BsonObjectId(new ObjectId("ff0000000000000000000000")),
        BsonBoolean.FALSE,
        BsonBoolean.TRUE,
        new BsonDateTime(-1),
        new BsonDateTime(1_700_000_000_000L),
        new BsonTimestamp(1, 1),
        new BsonTimestamp(Integer.MIN_VALUE, 0), // unsigned: the highest seconds
        new BsonRegularExpression("a", "i"),
        new BsonMaxKey());
  }

  @Test
  void sortsValuesOfEveryTypeAsTheServerDoes() {
    long seed = new Random().nextLong();
    System.out.println("BsonOrderTest seed=" + seed);
    List<BsonValue> shuffled = new ArrayList<>(sorted());
    Collections.shuffle(shuffled, new Random(seed));
    shuffled.sort(BsonOrder.ORDER);
    assertThat(shuffled).as("seed %d", seed).containsExactlyElementsOf(sorted());
  }

  @Test
  void numbersOfDifferentTypesWithTheSameValueAreEqual() {
    assertThat(BsonOrder.compare(new BsonInt32(7), new BsonInt64(7))).isZero();
    assertThat(BsonOrder.compare(new BsonInt32(7), new BsonDouble(7.0))).isZero();
    assertThat(BsonOrder.compare(new BsonDecimal128(Decimal128.parse("7.00")), new BsonInt64(7))).isZero();
    assertThat(BsonOrder.compare(new BsonDouble(-0.0), new BsonDecimal128(Decimal128.NEGATIVE_ZERO))).isZero();
    assertThat(BsonOrder.compare(new BsonInt64(Long.MAX_VALUE), new BsonDouble(9.223372036854775807E18))).isNegative();
  }

  @Test
  void deprecatedTypesAreRefusedAsKeys() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DocumentMapper.json(JsonMode.RELAXED).idText(new org.bson.BsonSymbol("s")))
        .isInstanceOf(dev.sluice.core.SluiceException.DataException.class).hasMessageContaining("SYMBOL");
  }

  @Test
  void keyOrderAgreesWithBsonOrderThroughTheKeyText() {
    for (JsonMode mode : List.of(JsonMode.RELAXED, JsonMode.EXTENDED)) {
      DocumentMapper mapper = DocumentMapper.json(mode);
      List<Key> keys = new ArrayList<>();
      for (BsonValue v : sorted()) {
        if (v.isRegularExpression()) {
          continue; // never an _id
        }
        keys.add(Key.of(mapper.idText(v)));
      }
      List<Key> shuffled = new ArrayList<>(keys);
      Collections.shuffle(shuffled, new Random(1));
      shuffled.sort(DocumentMapper.keyOrder());
      assertThat(shuffled).as("%s", mode).containsExactlyElementsOf(keys);
    }
  }
}
