package dev.sluice.source.mysql;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.LogicalType;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The order the server sorts a key in. Numbers, dates and bytes sort naturally. Strings sort by
 * their collation; this source supports the binary ones ({@code *_bin}, {@code binary}), which order
 * by code point ({@code _bin} collations other than the {@code 0900} ones ignore trailing spaces).
 * A string key in any other collation is refused, and so are key types whose order or binding this
 * source does not reproduce: routing an event to the wrong chunk would lose it.
 */
final class KeyOrder {
  private static final java.util.Set<ColumnKind> UNORDERED = java.util.EnumSet.of(ColumnKind.ENUM, ColumnKind.SET,
      ColumnKind.JSON, ColumnKind.TIME, ColumnKind.TIMESTAMP, ColumnKind.BIT1, ColumnKind.BITS, ColumnKind.FLOAT,
      ColumnKind.DOUBLE);

  private KeyOrder() {}

  static Comparator<Key> of(TableInfo info) {
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
        if (!coll.endsWith("_bin") && !coll.equals("binary")) {
          throw new ConfigurationException("table " + info.schema().id() + ": key column " + keys.get(k)
              + " has collation " + collation + ", whose order this source cannot reproduce; use a _bin collation "
              + "for the key, or set scan.incremental.snapshot.chunk.key-column to a numeric unique column");
        }
        boolean padSpace = !coll.contains("0900") && !coll.equals("binary");
        parts.add((a, b) -> compareCodePoints(trim((String) a, padSpace), trim((String) b, padSpace)));
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

  private static String trim(String s, boolean padSpace) {
    if (!padSpace) {
      return s;
    }
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') {
      end--;
    }
    return s.substring(0, end);
  }

  static int compareCodePoints(String a, String b) {
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
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
