package dev.sluice.source.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MySQL GTID set built up while walking a binlog: a {@code Previous_gtids} set, then one
 * transaction at a time. Consecutive transactions extend one interval, so the size follows the
 * number of gaps, not of transactions.
 */
final class GtidAccumulator {
  private static final Pattern GTID = Pattern.compile("([0-9a-fA-F-]{36}):(\\d+)");

  private final Map<String, List<long[]>> intervals = new TreeMap<>();

  /** Adds a set in MySQL's text form ({@code uuid:1-5:7,uuid2:1-3}). */
  void addSet(String text) {
    if (text == null || text.isBlank()) {
      return;
    }
    for (String part : text.replaceAll("\\s", "").split(",")) {
      String[] pieces = part.split(":");
      for (int i = 1; i < pieces.length; i++) {
        String[] range = pieces[i].split("-");
        long lo = Long.parseLong(range[0]);
        add(pieces[0], lo, range.length > 1 ? Long.parseLong(range[1]) : lo);
      }
    }
  }

  /** Adds the transaction a GTID event names ({@code SET @@SESSION.GTID_NEXT= 'uuid:n'}); other text is ignored. */
  void add(String gtidEventInfo) {
    Matcher m = GTID.matcher(gtidEventInfo == null ? "" : gtidEventInfo);
    if (m.find()) {
      long n = Long.parseLong(m.group(2));
      add(m.group(1), n, n);
    }
  }

  private void add(String uuid, long lo, long hi) {
    List<long[]> list = intervals.computeIfAbsent(uuid.toLowerCase(Locale.ROOT), u -> new ArrayList<>());
    for (long[] r : list) {
      if (lo <= r[1] + 1 && hi >= r[0] - 1) {
        r[0] = Math.min(r[0], lo);
        r[1] = Math.max(r[1], hi);
        return;
      }
    }
    list.add(new long[] {lo, hi});
  }

  boolean isEmpty() {
    return intervals.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    intervals.forEach((uuid, list) -> {
      b.append(b.isEmpty() ? "" : ",").append(uuid);
      list.stream().sorted((x, y) -> Long.compare(x[0], y[0]))
          .forEach(r -> b.append(':').append(r[0]).append(r[0] == r[1] ? "" : "-" + r[1]));
    });
    return b.toString();
  }
}
