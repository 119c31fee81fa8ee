package dev.sluice.source.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A MySQL GTID set ({@code uuid:1-5:7,uuid2:1-3}), just enough of it to decide whether a
 * transaction is in a set and whether one set contains another.
 */
final class GtidSet {
  private final Map<String, List<long[]>> intervals = new TreeMap<>();
  private final String text;

  GtidSet(String text) {
    this.text = text == null ? "" : text.replaceAll("\\s", "");
    if (this.text.isEmpty()) {
      return;
    }
    for (String part : this.text.split(",")) {
      String[] pieces = part.split(":");
      List<long[]> list = intervals.computeIfAbsent(pieces[0].toLowerCase(java.util.Locale.ROOT), u -> new ArrayList<>());
      for (int i = 1; i < pieces.length; i++) {
        String[] range = pieces[i].split("-");
        long lo = Long.parseLong(range[0]);
        list.add(new long[] {lo, range.length > 1 ? Long.parseLong(range[1]) : lo});
      }
    }
  }

  /** Whether the transaction {@code uuid:n} is in this set. */
  boolean contains(String gtid) {
    int colon = gtid.lastIndexOf(':');
    List<long[]> list = intervals.get(gtid.substring(0, colon).toLowerCase(java.util.Locale.ROOT));
    if (list == null) {
      return false;
    }
    long n = Long.parseLong(gtid.substring(colon + 1));
    for (long[] r : list) {
      if (r[0] <= n && n <= r[1]) {
        return true;
      }
    }
    return false;
  }

  /** Whether every transaction of this set is in {@code other}. */
  boolean isSubsetOf(GtidSet other) {
    for (Map.Entry<String, List<long[]>> e : intervals.entrySet()) {
      List<long[]> theirs = other.intervals.get(e.getKey());
      for (long[] r : e.getValue()) {
        if (theirs == null || theirs.stream().noneMatch(t -> t[0] <= r[0] && r[1] <= t[1])) {
          return false;
        }
      }
    }
    return true;
  }

  /** Number of transactions in the set (orders sets that are not nested, which prefixes always are). */
  long size() {
    long n = 0;
    for (List<long[]> list : intervals.values()) {
      for (long[] r : list) {
        n += r[1] - r[0] + 1;
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return text;
  }
}
