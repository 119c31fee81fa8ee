package dev.sluice.core.snapshot;

import dev.sluice.core.event.Key;
import dev.sluice.core.source.KeyRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Disjoint key ranges mapped to values, found by key in O(log n). Entries are indexed by their upper
 * bound, so the range holding key {@code k} is the one with the smallest upper bound at or above
 * {@code k}, if its lower bound is below {@code k}.
 */
final class RangeSet<V> {
  private final Comparator<Key> order;
  /** Upper bound ({@code null} = +infinity, sorted last) to range and value. */
  private final TreeMap<Key, Map.Entry<KeyRange, V>> byHi;

  RangeSet(Comparator<Key> order) {
    this.order = order;
    this.byHi = new TreeMap<>(Comparator.nullsLast(order));
  }

  void put(KeyRange range, V value) {
    byHi.put(range.hi(), Map.entry(range, value));
  }

  void remove(KeyRange range) {
    byHi.remove(range.hi());
  }

  /** The value of the range holding {@code key}, or {@code null}. */
  V find(Key key) {
    Map.Entry<KeyRange, V> e = entryAt(key);
    return e == null ? null : e.getValue();
  }

  boolean contains(Key key) {
    return entryAt(key) != null;
  }

  private Map.Entry<KeyRange, V> entryAt(Key key) {
    Map.Entry<Key, Map.Entry<KeyRange, V>> e = byHi.ceilingEntry(key);
    if (e == null) {
      return null;
    }
    KeyRange r = e.getValue().getKey();
    return r.lo() == null || order.compare(r.lo(), key) < 0 ? e.getValue() : null;
  }

  boolean isEmpty() {
    return byHi.isEmpty();
  }

  int size() {
    return byHi.size();
  }

  List<KeyRange> ranges() {
    List<KeyRange> out = new ArrayList<>(byHi.size());
    byHi.values().forEach(e -> out.add(e.getKey()));
    return out;
  }

  List<V> values() {
    List<V> out = new ArrayList<>(byHi.size());
    byHi.values().forEach(e -> out.add(e.getValue()));
    return out;
  }

  /**
   * Adds {@code range} to a set of finished ranges, merging it with the neighbours it touches, so
   * that chunks finished in order collapse into one entry.
   */
  static void addMerged(RangeSet<Boolean> set, KeyRange range) {
    Key lo = range.lo();
    Key hi = range.hi();
    // A neighbour ending exactly at our lower bound.
    if (lo != null) {
      Map.Entry<KeyRange, Boolean> below = set.byHi.containsKey(lo) ? set.byHi.get(lo) : null;
      if (below != null) {
        set.byHi.remove(lo);
        lo = below.getKey().lo();
      }
    }
    // A neighbour starting exactly at our upper bound.
    if (hi != null) {
      Map.Entry<Key, Map.Entry<KeyRange, Boolean>> above = set.byHi.higherEntry(hi);
      if (above != null) {
        KeyRange a = above.getValue().getKey();
        if (a.lo() != null && set.order.compare(a.lo(), hi) == 0) {
          set.byHi.remove(above.getKey());
          hi = a.hi();
        }
      }
    }
    set.put(new KeyRange(lo, hi), Boolean.TRUE);
  }

  /** The parts of {@code (null, upTo]} that no range of this set covers, in key order. */
  List<KeyRange> gapsUpTo(Key upTo) {
    List<KeyRange> gaps = new ArrayList<>();
    Key from = null;
    boolean atStart = true;
    for (Map.Entry<KeyRange, V> e : byHi.values()) {
      KeyRange r = e.getKey();
      boolean loIsFrom = atStart ? r.lo() == null : r.lo() != null && order.compare(r.lo(), from) == 0;
      if (!loIsFrom) {
        Key gapHi = r.lo();
        if (upTo != null && (gapHi == null || order.compare(gapHi, upTo) > 0)) {
          gapHi = upTo;
        }
        if (atStart || gapHi == null || order.compare(from, gapHi) < 0) {
          gaps.add(new KeyRange(from, gapHi));
        }
      }
      if (r.hi() == null) {
        return gaps;
      }
      from = r.hi();
      atStart = false;
      if (upTo != null && order.compare(from, upTo) >= 0) {
        return gaps;
      }
    }
    if (atStart || upTo == null || order.compare(from, upTo) < 0) {
      gaps.add(new KeyRange(from, upTo));
    }
    return gaps;
  }
}
