package dev.sluice.core.option;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.TablePattern;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Option values checked against their declarations: unknown keys (with a "did you mean"), missing
 * required options and values of the wrong type are refused with a message naming the option and
 * where it was given. {@link #toString()} masks secrets, so an {@code Options} can be shown anywhere.
 */
public final class Options {
  private final String where;
  private final Map<String, Option<?>> declared = new LinkedHashMap<>();
  private final Map<String, Object> values = new LinkedHashMap<>();
  private final Map<String, String> raw;

  private Options(String where, List<Option<?>> declarations, Map<String, String> raw) {
    this.where = where;
    declarations.forEach(o -> declared.put(o.name(), o));
    this.raw = Collections.unmodifiableMap(new TreeMap<>(raw));
  }

  /**
   * Validates {@code raw} against {@code declarations}.
   *
   * @param where names the options' place in errors, e.g. {@code "pipeline.yaml: source"}
   */
  public static Options parse(String where, List<Option<?>> declarations, Map<String, String> raw) {
    Options o = new Options(where, declarations, raw);
    List<String> errors = new ArrayList<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      Option<?> d = o.declarationOf(e.getKey());
      if (d == null) {
        String hint = o.closest(e.getKey());
        errors.add("unknown option '" + e.getKey() + "'" + (hint == null ? "" : "; did you mean '" + hint + "'?"));
        continue;
      }
      if (d.isPrefix()) {
        continue;
      }
      try {
        o.values.put(d.name(), d.parse().apply(e.getValue()));
      } catch (IllegalArgumentException ex) {
        errors.add("option '" + e.getKey() + "': " + ex.getMessage());
      }
    }
    for (Option<?> d : declarations) {
      if (d.isPrefix() || o.values.containsKey(d.name())) {
        continue;
      }
      if (d.required()) {
        errors.add("missing required option '" + d.name() + "' (" + d.description() + ")");
      } else if (d.defaultValue() != null) {
        o.values.put(d.name(), d.parse().apply(d.defaultValue()));
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigurationException(where + ": " + String.join("; ", errors));
    }
    return o;
  }

  private Option<?> declarationOf(String key) {
    return declarationOf(List.copyOf(declared.values()), key);
  }

  /** The declaration {@code key} belongs to: the option of that name, or a prefix option it extends. */
  public static Option<?> declarationOf(List<Option<?>> declarations, String key) {
    Option<?> prefix = null;
    for (Option<?> d : declarations) {
      if (d.name().equals(key)) {
        return d;
      }
      if (d.isPrefix() && key.startsWith(d.name()) && key.length() > d.name().length()) {
        prefix = d;
      }
    }
    return prefix;
  }

  private String closest(String key) {
    return closest(declared.keySet(), key);
  }

  /** The name nearest to a misspelled {@code key}, if any is near enough to be what was meant. */
  public static String closest(java.util.Collection<String> names, String key) {
    String best = null;
    int bestDistance = Math.max(2, key.length() / 3) + 1;
    for (String name : names) {
      int d = editDistance(key, name);
      if (d < bestDistance) {
        bestDistance = d;
        best = name;
      }
    }
    return best;
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The value, or its default; {@code null} when the option is unset and has no default. */
  @SuppressWarnings("unchecked")
  public <T> T get(Option<T> option) {
    if (!declared.containsKey(option.name())) {
      throw new IllegalArgumentException("option " + option.name() + " is not declared for " + where);
    }
    return (T) values.get(option.name());
  }

  /** The value, refusing an unset option with a message that names it. */
  public <T> T require(Option<T> option) {
    T v = get(option);
    if (v == null) {
      throw new ConfigurationException(where + ": option '" + option.name() + "' must be set (" + option.description() + ")");
    }
    return v;
  }

  public boolean isSet(Option<?> option) {
    return raw.containsKey(option.name());
  }

  /** Every key under a prefix option, with the prefix removed. */
  public Map<String, String> withPrefix(Option<?> prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    raw.forEach((k, v) -> {
      if (k.startsWith(prefix.name())) {
        out.put(k.substring(prefix.name().length()), v);
      }
    });
    return out;
  }

  /**
   * Compiles the table patterns given for {@code option} (see {@link TablePattern}); a pattern that
   * does not compile is refused with the option's name and where it was given.
   */
  public List<TablePattern> tablePatterns(String option, List<String> patterns) {
    List<TablePattern> out = new ArrayList<>(patterns.size());
    for (String p : patterns) {
      try {
        out.add(TablePattern.compile(p));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(where + ": option '" + option + "': " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  /** These options with one more key set (validated like the rest). */
  public Options with(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(raw);
    more.put(key, value);
    return parse(where, List.copyOf(declared.values()), more);
  }

  /** The text value of a key as given, {@code null} when unset. */
  public String raw(String key) {
    return raw.get(key);
  }

  public String where() {
    return where;
  }

  /** The options as given, secrets masked. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    raw.forEach((k, v) -> shown.put(k, isSecret(k) ? "******" : v));
    return shown.toString();
  }

  /** Whether a key holds a secret: a declared secret, or a pass-through key that looks like one. */
  public boolean isSecret(String key) {
    Option<?> d = declarationOf(key);
    if (d != null && d.secret()) {
      return true;
    }
    String k = key.toLowerCase(java.util.Locale.ROOT);
    return k.contains("password") || k.contains("secret") || k.contains("token") || k.contains("sasl.jaas")
        || k.endsWith(".key") || k.contains("credential");
  }
}
