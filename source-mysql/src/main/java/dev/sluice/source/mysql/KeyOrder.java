package dev.sluice.source.mysql;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The order the server sorts a key in. Numbers, dates and bytes sort naturally. Strings sort by
 * their collation: the binary ones ({@code *_bin}, {@code binary}) by code point ({@code _bin}
 * collations other than the {@code 0900} ones pad with spaces), the non-binary ones that
 * {@link CollationOrder} supports by the server's collation weights. A string key in any other
 * collation is refused, and so are key types whose order or binding this source does not reproduce:
 * routing an event to the wrong chunk would lose it.
 */
final class KeyOrder {
  private static final java.util.Set<ColumnKind> UNORDERED = java.util.EnumSet.of(ColumnKind.ENUM, ColumnKind.SET,
      ColumnKind.JSON, ColumnKind.TIME, ColumnKind.TIMESTAMP, ColumnKind.BIT1, ColumnKind.BITS, ColumnKind.FLOAT,
      ColumnKind.DOUBLE);

  private KeyOrder() {}

  /**
   * The key order of a table; {@code collations} gives the order of a supported non-binary
   * collation (one per collation, shared by the tables that use it).
   */
  static Comparator<Key> of(TableInfo info, Function<CollationOrder.Spec, CollationOrder> collations) {
    List<String> keys = info.schema().keyColumns();
    List<Comparator<Object>> parts = new java.util.ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      int col = info.schema().columnIndex(keys.get(k));
      LogicalType.Kind kind = info.schema().columns().get(col).type().kind();
      String collation = info.collations().get(col);
      ColumnKind source = info.kind(col);
      if (UNORDERED.contains(source)) {
        throw new ConfigurationException("table " + info.schema().id() + ": key column " + keys.get(k) + " is a "
            + source + ", whose server order this source does not reproduce (ENUM and SET sort by member index, "
            + "TIME, TIMESTAMP and BIT keys are not bound faithfully); set scan.incremental.snapshot.chunk.key-column "
            + "to an integer, decimal, date, datetime or binary-collated string column");
      }
      if (kind == LogicalType.Kind.STRING) {
        String coll = collation == null ? "" : collation.toLowerCase(Locale.ROOT);
        if (coll.endsWith("_bin") || coll.equals("binary")) {
          boolean padSpace = !coll.contains("0900") && !coll.equals("binary");
          parts.add((a, b) -> compareCodePoints((String) a, (String) b, padSpace));
          continue;
        }
        CollationOrder.Spec spec = CollationOrder.spec(coll);
        if (spec == null) {
          throw new ConfigurationException("table " + info.schema().id() + ": key column " + keys.get(k)
              + " has " + CollationOrder.unsupported(collation) + "; change the key column's collation to a "
              + "supported one, or set scan.incremental.snapshot.chunk.key-column to a numeric unique column");
        }
        CollationOrder order = collations.apply(spec);
        parts.add((a, b) -> order.compare((String) a, (String) b));
      } else {
        parts.add((a, b) -> Key.NATURAL.compare(Key.of(a), Key.of(b)));
      }
    }
    return (x, y) -> {
      for (int i = 0; i < parts.size(); i++) {
        Object a = x.get(i);
        Object b = y.get(i);
        int c = a == null || b == null ? Key.NATURAL.compare(Key.of(a), Key.of(b)) : parts.get(i).compare(a, b);
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(x.size(), y.size());
    };
  }

  /**
   * Code point order; with {@code padSpace} the shorter string compares as if padded with spaces,
   * so {@code 'a' = 'a '} and {@code 'a\t' < 'a'}.
   */
  static int compareCodePoints(String a, String b, boolean padSpace) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    if (!padSpace) {
      return Integer.compare(a.length() - i, b.length() - j);
    }
    for (; i < a.length(); i++) {
      if (a.charAt(i) != ' ') {
        return Integer.compare(a.codePointAt(i), ' ');
      }
    }
    for (; j < b.length(); j++) {
      if (b.charAt(j) != ' ') {
        return Integer.compare(' ', b.codePointAt(j));
      }
    }
    return 0;
  }
}
