package dev.sluice.sink.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.sink.kafka.TopicReader.Rec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test fixture: what a consumer of Debezium envelopes rebuilds from one table's topic — the last
 * row per key, deletes removing it — while checking the promises on the way: every record of a key
 * in one partition, and each key's versions (the workload's version column, or the log position of
 * a delete) strictly increasing, which catches duplicates and rows going back.
 */
final class TopicState {
  private final TableSchema table;
  private final int versionColumn;
  private final Map<String, JsonNode> rows = new TreeMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private final Map<String, Integer> partitions = new HashMap<>();
  private final List<String> violations = new ArrayList<>();
  private int applied;

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
