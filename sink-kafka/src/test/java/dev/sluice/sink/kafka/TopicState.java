package dev.sluice.sink.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.testing.MemoryPosition;
import dev.sluice.sink.kafka.TopicReader.Rec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Test fixture: what a consumer of Debezium envelopes rebuilds from one table's topic — the last
 * row per key, deletes removing it — while checking the promises on the way: every record of a key
 * in one partition, and each key's versions (the workload's version column, or the log position of
 * a delete) strictly increasing, which catches duplicates and rows going back. It also keeps each
 * key's records, for {@link #againstLog} to compare with the source's log exactly.
 */
final class TopicState {
  private final TableSchema table;
  private final int versionColumn;
  private final Map<String, JsonNode> rows = new TreeMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private final Map<String, Integer> partitions = new HashMap<>();
  private final List<String> violations = new ArrayList<>();
  private final Map<String, List<Seen>> seen = new HashMap<>();
  private int applied;

  /**
   * One record of a key as read: its op, the log entry it stands for (the workload's version, which
   * is the sequence number of the write that made the row; for a delete its log position), its row.
   */
  private record Seen(String op, long seq, JsonNode after, long offset) {
    @Override
    public String toString() {
      return op + "@" + seq;
    }
  }

  TopicState(TableSchema table, int versionColumn) {
    this.table = table;
    this.versionColumn = versionColumn;
  }

  /** Applies the records not applied yet, in the order read (offset order within a partition). */
  void catchUp(List<Rec> all, String topic) {
    List<Rec> mine = all.stream().filter(r -> r.topic().equals(topic)).toList();
    for (int i = applied; i < mine.size(); i++) {
      apply(mine.get(i));
    }
    applied = mine.size();
  }

  private void apply(Rec r) {
    if (r.value() == null) {
      return; // a tombstone
    }
    String key = r.key().toString();
    Integer p = partitions.putIfAbsent(key, r.partition());
    if (p != null && p != r.partition()) {
      violations.add("key " + key + " in partitions " + p + " and " + r.partition());
    }
    String op = r.value().get("op").asText();
    JsonNode after = r.value().get("after");
    long version = op.equals("d") ? r.value().at("/source/position").asLong()
        : after.get(table.columns().get(versionColumn).name()).asLong();
    seen.computeIfAbsent(key, k -> new ArrayList<>()).add(new Seen(op, version, after.isNull() ? null : after, r.offset()));
    Long last = versions.put(key, version);
    if (last != null && version <= last) {
      violations.add("key " + key + ": op " + op + " version " + version + " after " + last + " (offset "
          + r.offset() + ")");
    }
    if (op.equals("d")) {
      rows.remove(key);
    } else {
      rows.put(key, after);
    }
  }

  List<String> violations() {
    return violations;
  }

  /**
   * Compares each key's records with the source's log, exactly. A key's first record is where a
   * consumer's view of it starts: a snapshot read ({@code r}) stands for the log entry that made
   * the row it read, a change for itself. What came before that entry the snapshot may have folded
   * into its read, but only changes at or before the key's {@code horizon} (the high watermark of
   * the last chunk read over it, else the pipeline's start): a later change must reach the topic as
   * itself. From the first record on, every later log entry of the key must follow exactly once, in
   * log order, with its op and row; nothing else may. A key with no record at all must have no log
   * entry after its horizon.
   *
   * @param log the source's whole log, in order (every table; other tables' entries are skipped)
   * @param horizon per key, the log position after which no change of it may be folded away
   * @return one line per key that breaks this, at most 10
   */
  List<String> againstLog(List<ChangeEvent> log, ToLongFunction<Key> horizon) {
    Map<String, List<ChangeEvent>> entries = new TreeMap<>();
    Map<String, Key> keys = new HashMap<>();
    for (ChangeEvent e : log) {
      if (e.table().equals(table.id())) {
        Row row = e.after() != null ? e.after() : e.before();
        String k = keyJson(row);
        entries.computeIfAbsent(k, x -> new ArrayList<>()).add(e);
        keys.putIfAbsent(k, table.keyOf(row));
      }
    }
    List<String> out = new ArrayList<>();
    for (String k : seen.keySet()) {
      if (!entries.containsKey(k)) {
        out.add("key " + k + " has records " + seen.get(k) + " but no log entry");
      }
    }
    entries.forEach((k, changes) -> {
      String problem = keyAgainstLog(seen.getOrDefault(k, List.of()), changes, horizon.applyAsLong(keys.get(k)));
      if (problem != null) {
        out.add("key " + k + ": " + problem + "; log " + abbreviate(changes.stream().map(TopicState::code).toList())
            + ", records " + abbreviate(seen.getOrDefault(k, List.of())) + ", horizon " + horizon.applyAsLong(keys.get(k)));
      }
    });
    return out.size() > 10 ? out.subList(0, 10) : out;
  }

  private String keyAgainstLog(List<Seen> got, List<ChangeEvent> log, long horizon) {
    int first = 0;
    if (got.isEmpty()) {
      for (ChangeEvent e : log) {
        if (seq(e) > horizon) {
          return "no record, yet " + code(e) + " is after the horizon (lost)";
        }
      }
      return null;
    }
    Seen start = got.get(0);
    while (first < log.size() && seq(log.get(first)) != start.seq()) {
      if (seq(log.get(first)) > horizon) {
        return code(log.get(first)) + " is after the horizon but before the first record (lost)";
      }
      first++;
    }
    if (first == log.size()) {
      return "the first record " + start + " is no log entry of the key";
    }
    ChangeEvent made = log.get(first);
    if (start.op().equals("r") ? made.after() == null : !start.op().equals(made.op().code())) {
      return "the first record " + start + " does not match the log entry " + code(made);
    }
    for (int i = 0; i < Math.max(got.size(), log.size() - first); i++) {
      Seen s = i < got.size() ? got.get(i) : null;
      ChangeEvent e = first + i < log.size() ? log.get(first + i) : null;
      if (e == null) {
        return "record " + s + " (offset " + s.offset() + ") after the last log entry (duplicate or invented)";
      }
      if (s == null) {
        return code(e) + " has no record (lost)";
      }
      boolean same = s.seq() == seq(e) && (i == 0 || s.op().equals(e.op().code()))
          && (e.after() == null ? s.after() == null : s.after() != null && equal(e.after(), s.after()));
      if (!same) {
        return "record " + s + " (offset " + s.offset() + ") where the log has " + code(e);
      }
    }
    return null;
  }

  private static long seq(ChangeEvent e) {
    return ((MemoryPosition) e.position()).seq();
  }

  private static String code(ChangeEvent e) {
    return e.op().code() + "@" + seq(e);
  }

  private static String abbreviate(List<?> items) {
    return items.size() <= 12 ? items.toString()
        : items.subList(0, 6) + "..." + items.subList(items.size() - 6, items.size()) + " (" + items.size() + ")";
  }

  /** The first differences against the source's rows, empty when equal. */
  List<String> diff(Map<Key, Row> expected) {
    List<String> out = new ArrayList<>();
    Map<String, Row> want = new TreeMap<>();
    expected.forEach((k, row) -> want.put(keyJson(row), row));
    want.forEach((k, row) -> {
      JsonNode got = rows.get(k);
      if (got == null) {
        out.add("missing " + k);
      } else if (!equal(row, got)) {
        out.add("stale " + got + " instead of " + row);
      }
    });
    rows.keySet().stream().filter(k -> !want.containsKey(k)).forEach(k -> out.add("ghost " + k));
    return out.size() > 10 ? out.subList(0, 10) : out;
  }

  String keyJson(Row row) {
    ObjectNode n = TopicReader.MAPPER.createObjectNode();
    for (String k : table.keyColumns()) {
      Object v = row.get(table.columnIndex(k));
      n.set(k, TopicReader.MAPPER.valueToTree(v));
    }
    return n.toString();
  }

  private boolean equal(Row row, JsonNode json) {
    for (int i = 0; i < table.columns().size(); i++) {
      Column c = table.columns().get(i);
      Object v = row.get(i);
      JsonNode j = json.get(c.name());
      boolean same = v == null ? j.isNull() : switch (c.type().kind()) {
        case INT64 -> j.isIntegralNumber() && j.asLong() == (Long) v;
        case INT32 -> j.isIntegralNumber() && j.asInt() == (Integer) v;
        default -> j.isTextual() && j.asText().equals(v);
      };
      if (!same) {
        return false;
      }
    }
    return true;
  }

  int size() {
    return rows.size();
  }
}
