package dev.sluice.source.postgres;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Key;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The order this source sorts a key in, which must be the order its chunk SQL uses. Text key columns
 * are compared {@code COLLATE "C"} in that SQL (byte order, which for UTF-8 is code point order), so
 * the database's collation never matters; uuids sort as unsigned bytes (as PostgreSQL does, unlike
 * {@link UUID#compareTo}). Keys whose order this source does not reproduce are refused by name.
 */
final class KeyOrder {
  private static final Set<PgType> UNORDERED = EnumSet.of(PgType.FLOAT32, PgType.FLOAT64, PgType.JSON, PgType.ENUM,
      PgType.MONEY, PgType.ARRAY);

  private KeyOrder() {}

  static Comparator<Key> of(TableInfo info) {
    List<String> keys = info.schema().keyColumns();
    List<Comparator<Object>> parts = new ArrayList<>();
    for (String k : keys) {
      PgType kind = info.kind(info.schema().columnIndex(k));
      if (UNORDERED.contains(kind)) {
        throw new ConfigurationException("table " + info.schema().id() + ": key column " + k + " is of kind " + kind
            + ", whose order this source does not reproduce (floating point, json, enum, money, array); set "
            + "scan.incremental.snapshot.chunk.key-column to an integer, numeric, text, uuid or date/time column");
      }
      if (kind == PgType.TEXT) {
        parts.add((a, b) -> compareCodePoints((String) a, (String) b));
      } else if (kind == PgType.UUID) {
        parts.add((a, b) -> compareUuids((UUID) a, (UUID) b));
      } else {
        parts.add((a, b) -> Key.NATURAL.compare(Key.of(a), Key.of(b)));
      }
    }
    return (x, y) -> {
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
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

  static int compareUuids(UUID a, UUID b) {
    int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  /** PostgreSQL's "C" collation: the UTF-8 bytes compared unsigned, shorter first on a tie. */
  static int compareCodePoints(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
