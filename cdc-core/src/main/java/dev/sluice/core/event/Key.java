package dev.sluice.core.event;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The primary-key (or chunk-key) values of one row, in key-column order. Keys order chunks and
 * route log events to them, so their {@link #NATURAL natural order} must agree with the order the
 * source database sorts the key in; a source whose collation differs supplies its own comparator.
 */
public final class Key {

  /**
   * Lexicographic by component; each component by its own natural order, byte arrays as unsigned
   * bytes, {@code null} first.
   */
  public static final Comparator<Key> NATURAL = Key::compareNatural;

  private final Object[] values;

  private Key(Object[] values) {
    this.values = values;
  }

  public static Key of(Object... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("a key has at least one component");
    }
    return new Key(values.clone());
  }

  public static Key of(List<?> values) {
    return of(values.toArray());
  }

  /** Takes ownership of {@code values}; the caller must not change the array afterwards. */
  static Key wrap(Object[] values) {
    return new Key(values);
  }

  public int size() {
    return values.length;
  }

  public Object get(int i) {
    return values[i];
  }

  public List<Object> values() {
    return Arrays.asList(values.clone());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareNatural(Key a, Key b) {
    int n = Math.min(a.values.length, b.values.length);
    for (int i = 0; i < n; i++) {
      Object x = a.values[i];
      Object y = b.values[i];
      int c;
      if (x == y) {
        c = 0;
      } else if (x == null) {
        c = -1;
      } else if (y == null) {
        c = 1;
      } else if (x instanceof byte[] bx && y instanceof byte[] by) {
        c = Arrays.compareUnsigned(bx, by);
      } else {
        c = ((Comparable) x).compareTo(y);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.values.length, b.values.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key k && Arrays.deepEquals(values, k.values);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(values);
  }

  @Override
  public String toString() {
    return values.length == 1 ? Values.toString(values[0]) : Values.toString(values);
  }
}
