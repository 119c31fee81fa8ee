package dev.sluice.sink.kafka;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.TableId;
import java.util.HashMap;
import java.util.Map;

/**
 * Names the topic of each table: the fixed {@code topic}, or {@code topic.pattern} with
 * {@code ${db}}, {@code ${schema}} and {@code ${table}} replaced, behind {@code topic.prefix}. A
 * placeholder whose part the table id lacks (MySQL has no schema) is dropped with one adjacent dot,
 * so the default {@code ${db}.${schema}.${table}} gives {@code shop.orders} for MySQL and
 * {@code shop.public.orders} for PostgreSQL: two schemas' tables of the same name never share a topic.
 * Characters Kafka refuses in a topic name become {@code _}. Names are cached per table (a handful).
 */
final class TopicNames {
  private static final int MAX_LENGTH = 249;

  private final SinkSettings settings;
  private final Map<TableId, String> cache = new HashMap<>();

  TopicNames(SinkSettings settings) {
    this.settings = settings;
  }

  /** Refuses a pattern that would put every table into one topic by accident, or an illegal fixed name. */
  static void check(SinkSettings s, String where) {
    if (s.fixedTopic() != null) {
      if (!legal(s.fixedTopic())) {
        throw new ConfigurationException(where + ": option 'topic' = '" + s.fixedTopic() + "' is not a legal"
            + " Kafka topic name (letters, digits, '.', '_', '-', at most " + MAX_LENGTH + " characters)");
      }
      return;
    }
    if (!s.topicPattern().contains("${table}")) {
      throw new ConfigurationException(where + ": option 'topic.pattern' = '" + s.topicPattern() + "' has no"
          + " ${table}, so all tables would share one topic; add ${table}, or set 'topic' to mean one topic");
    }
    for (String t : new String[] {s.schemaChangeTopic(), s.checkpointTopic()}) {
      if (!legal(t)) {
        throw new ConfigurationException(where + ": topic name '" + t + "' (schema-change.topic or"
            + " checkpoint.topic) is not a legal Kafka topic name");
      }
    }
  }

  String topicOf(TableId table) {
    String t = cache.get(table);
    if (t == null) {
      t = name(table);
      cache.put(table, t);
    }
    return t;
  }

  private String name(TableId table) {
    if (settings.fixedTopic() != null) {
      return settings.fixedTopic();
    }
    String name = replace(settings.topicPattern(), "${db}", table.catalog());
    name = replace(name, "${schema}", table.schema());
    name = replace(name, "${table}", table.table());
    if (settings.topicPrefix() != null) {
      name = settings.topicPrefix() + "." + name;
    }
    name = sanitize(name);
    if (name.length() > MAX_LENGTH || name.equals(".") || name.equals("..")) {
      throw new DataException("table " + table + " maps to topic '" + name + "', which Kafka refuses (at most "
          + MAX_LENGTH + " characters, not '.' or '..'); shorten topic.pattern or topic.prefix, or route the table");
    }
    return name;
  }

  /** Replaces a placeholder; an absent value removes the placeholder and one dot next to it. */
  static String replace(String pattern, String placeholder, String value) {
    if (value != null) {
      return pattern.replace(placeholder, value);
    }
    String s = pattern.replace(placeholder + ".", "");
    s = s.replace("." + placeholder, "");
    return s.replace(placeholder, "");
  }

  static String sanitize(String name) {
    StringBuilder s = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      s.append(legalChar(c) ? c : '_');
    }
    return s.toString();
  }

  private static boolean legal(String name) {
    if (name.isEmpty() || name.length() > MAX_LENGTH || name.equals(".") || name.equals("..")) {
      return false;
    }
    return name.chars().allMatch(c -> legalChar((char) c));
  }

  private static boolean legalChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
  }
}
