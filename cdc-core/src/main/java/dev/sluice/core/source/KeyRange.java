package dev.sluice.core.source;

import dev.sluice.core.event.Key;
import java.util.Comparator;

/**
 * A half-open key range {@code (lo, hi]}: {@code lo} exclusive, {@code hi} inclusive, {@code null}
 * meaning unbounded. One shape for every chunk: the first chunk is {@code (null, b1]}, the tail
 * chunk {@code (bn, null]}, and a chunk cut short after key {@code k} splits into {@code (lo, k]}
 * and {@code (k, hi]} without a gap or an overlap. In SQL: {@code key > lo AND key <= hi}.
 */
public record KeyRange(Key lo, Key hi) {

  public static final KeyRange ALL = new KeyRange(null, null);

  public boolean contains(Key key, Comparator<Key> order) {
    return (lo == null || order.compare(lo, key) < 0) && (hi == null || order.compare(key, hi) <= 0);
  }

  /** Whether the two ranges share a key. */
  public boolean overlaps(KeyRange other, Comparator<Key> order) {
    boolean thisEndsBefore = hi != null && other.lo != null && order.compare(hi, other.lo) <= 0;
    boolean otherEndsBefore = other.hi != null && lo != null && order.compare(other.hi, lo) <= 0;
    return !thisEndsBefore && !otherEndsBefore;
  }

  @Override
  public String toString() {
    return "(" + (lo == null ? "-inf" : lo) + ", " + (hi == null ? "+inf" : hi) + "]";
  }
}
