package dev.sluice.source.mongodb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonRegularExpression;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Orders BSON values exactly as a MongoDB server sorts them (an index on {@code _id}, the simple
 * collation): first by type bracket (MinKey, null, numbers, strings, objects, arrays, binary,
 * ObjectId, booleans, dates, timestamps, regular expressions, ..., MaxKey), then within the bracket.
 * Numbers of different types compare by value; strings compare by their UTF-8 bytes; binary data by
 * length, then subtype, then bytes; objects field by field (type bracket, name, value).
 *
 * <p>The engine routes change events to snapshot chunks with this order, so it must agree with the
 * server's sort of {@code _id}, or an event could be routed to the wrong chunk.
 */
final class BsonOrder {
  /** Compares two BSON values in the server's sort order. */
  static final Comparator<BsonValue> ORDER = BsonOrder::compare;

  private BsonOrder() {}

  /**
   * The server's canonical type rank (its {@code canonicalizeBSONType}): values of different
   * ranks sort by rank alone.
   */
  static int rank(BsonType type) {
    return switch (type) {
      case MIN_KEY -> -1;
      case UNDEFINED -> 0;
      case NULL -> 5;
      case INT32, INT64, DOUBLE, DECIMAL128 -> 10;
      case STRING, SYMBOL -> 15;
      case DOCUMENT -> 20;
      case ARRAY -> 25;
      case BINARY -> 30;
      case OBJECT_ID -> 35;
      case BOOLEAN -> 40;
      case DATE_TIME -> 45;
      case TIMESTAMP -> 47;
      case REGULAR_EXPRESSION -> 50;
      case DB_POINTER -> 55;
      case JAVASCRIPT -> 60;
      case JAVASCRIPT_WITH_SCOPE -> 65;
      case MAX_KEY -> 100;
      default -> throw new IllegalArgumentException("no sort order for BSON type " + type);
    };
  }

  /**
   * The {@code $type} alias of each rank an {@code _id} may hold, for queries that select a whole
   * bracket. The server refuses arrays, regular expressions and undefined as {@code _id}; the
   * deprecated symbol and DBPointer types and JavaScript code are not supported as keys here (see
   * {@link DocumentMapper#idText}).
   */
  static final Map<Integer, String> ID_TYPES = Map.ofEntries(
      Map.entry(-1, "minKey"), Map.entry(5, "null"), Map.entry(10, "number"), Map.entry(15, "string"),
      Map.entry(20, "object"), Map.entry(30, "binData"), Map.entry(35, "objectId"), Map.entry(40, "bool"),
      Map.entry(45, "date"), Map.entry(47, "timestamp"), Map.entry(100, "maxKey"));

  /** Whether values of this type can be a key of the source. */
  static boolean isKeyType(BsonType type) {
    return type != BsonType.SYMBOL && ID_TYPES.containsKey(rank(type));
  }

  /** Ranks that hold a single value (MinKey, undefined, null, MaxKey): nothing lies strictly above it. */
  static boolean isSingleton(int rank) {
    return rank == -1 || rank == 0 || rank == 5 || rank == 100;
  }

  static int compare(BsonValue a, BsonValue b) {
    int c = Integer.compare(rank(a.getBsonType()), rank(b.getBsonType()));
    if (c != 0) {
      return c;
    }
    return switch (rank(a.getBsonType())) {
      case 10 -> compareNumbers(a, b);
      case 15 -> compareUtf8(text(a), text(b));
      case 20 -> compareDocuments(a.asDocument(), b.asDocument());
      case 25 -> compareArrays(a.asArray(), b.asArray());
      case 30 -> compareBinary(a.asBinary(), b.asBinary());
      case 35 -> a.asObjectId().getValue().compareTo(b.asObjectId().getValue());
      case 40 -> Boolean.compare(a.asBoolean().getValue(), b.asBoolean().getValue());
      case 45 -> Long.compare(a.asDateTime().getValue(), b.asDateTime().getValue());
      case 47 -> Long.compareUnsigned(a.asTimestamp().getValue(), b.asTimestamp().getValue());
      case 50 -> compareRegex(a.asRegularExpression(), b.asRegularExpression());
      case 55 -> compareUtf8(a.asDBPointer().getNamespace() + a.asDBPointer().getId(),
          b.asDBPointer().getNamespace() + b.asDBPointer().getId());
      case 60 -> compareUtf8(a.asJavaScript().getCode(), b.asJavaScript().getCode());
      case 65 -> compareCodeWithScope(a.asJavaScriptWithScope(), b.asJavaScriptWithScope());
      default -> 0; // MinKey, undefined, null, MaxKey: one value each
    };
  }

  private static String text(BsonValue v) {
    return v.isString() ? v.asString().getValue() : v.asSymbol().getSymbol();
  }

  private static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Numbers compare by value whatever their type; NaN sorts below every other number, and -0 equals
   * 0, as on the server.
   */
  private static int compareNumbers(BsonValue a, BsonValue b) {
    int ka = numberClass(a);
    int kb = numberClass(b);
    if (ka != kb || ka != 2) {
      return Integer.compare(ka, kb);
    }
    return exact(a).compareTo(exact(b));
  }

  /** 0 NaN, 1 -infinity, 2 finite, 3 +infinity. */
  private static int numberClass(BsonValue v) {
    if (v.isDouble()) {
      double d = v.asDouble().getValue();
      return Double.isNaN(d) ? 0 : d == Double.NEGATIVE_INFINITY ? 1 : d == Double.POSITIVE_INFINITY ? 3 : 2;
    }
    if (v.isDecimal128()) {
      Decimal128 d = v.asDecimal128().getValue();
      return d.isNaN() ? 0 : d.isInfinite() ? (d.isNegative() ? 1 : 3) : 2;
    }
    return 2;
  }

  private static BigDecimal exact(BsonValue v) {
    return switch (v.getBsonType()) {
      case INT32 -> BigDecimal.valueOf(v.asInt32().getValue());
      case INT64 -> BigDecimal.valueOf(v.asInt64().getValue());
      case DOUBLE -> new BigDecimal(v.asDouble().getValue());
      default -> {
        try {
          yield v.asDecimal128().getValue().bigDecimalValue();
        } catch (ArithmeticException negativeZero) {
          yield BigDecimal.ZERO; // -0 has no BigDecimal form; it equals 0
        }
      }
    };
  }

  private static int compareDocuments(BsonDocument a, BsonDocument b) {
    Iterator<Map.Entry<String, BsonValue>> ia = a.entrySet().iterator();
    Iterator<Map.Entry<String, BsonValue>> ib = b.entrySet().iterator();
    while (ia.hasNext() && ib.hasNext()) {
      Map.Entry<String, BsonValue> x = ia.next();
      Map.Entry<String, BsonValue> y = ib.next();
      int c = Integer.compare(rank(x.getValue().getBsonType()), rank(y.getValue().getBsonType()));
      if (c == 0) {
        c = compareUtf8(x.getKey(), y.getKey());
      }
      if (c == 0) {
        c = compare(x.getValue(), y.getValue());
      }
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(ia.hasNext(), ib.hasNext());
  }

  private static int compareArrays(BsonArray a, BsonArray b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static int compareBinary(BsonBinary a, BsonBinary b) {
    int c = Integer.compare(a.getData().length, b.getData().length);
    if (c == 0) {
      c = Integer.compare(a.getType() & 0xff, b.getType() & 0xff);
    }
    return c != 0 ? c : Arrays.compareUnsigned(a.getData(), b.getData());
  }

  private static int compareRegex(BsonRegularExpression a, BsonRegularExpression b) {
    int c = compareUtf8(a.getPattern(), b.getPattern());
    return c != 0 ? c : compareUtf8(a.getOptions(), b.getOptions());
  }

  private static int compareCodeWithScope(BsonJavaScriptWithScope a, BsonJavaScriptWithScope b) {
    int c = compareUtf8(a.getCode(), b.getCode());
    return c != 0 ? c : compareDocuments(a.getScope(), b.getScope());
  }
}
