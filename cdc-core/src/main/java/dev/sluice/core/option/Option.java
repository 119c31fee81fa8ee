package dev.sluice.core.option;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One declared option of a connector or pipeline: its name, type, default, whether it is required or
 * secret, and a description. The declaration is the single source of validation, defaults, the
 * {@code sluice describe} listing and the docs. An option whose name ends in {@code .} is a prefix
 * that passes every {@code name<suffix>} key through (for example {@code debezium.} or
 * {@code properties.}).
 *
 * @param parse turns the text form into the value, throwing {@link IllegalArgumentException} with
 *     what was expected when it cannot
 */
public record Option<T>(
    String name, String type, String defaultValue, boolean required, boolean secret, String description,
    Function<String, T> parse) {

  public Option {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parse, "parse");
    if (required && defaultValue != null) {
      throw new IllegalArgumentException("option " + name + " is required and has a default");
    }
  }

  public boolean isPrefix() {
    return name.endsWith(".");
  }

  public Option<T> withDefault(String value) {
    return new Option<>(name, type, value, false, secret, description, parse);
  }

  public Option<T> asRequired() {
    return new Option<>(name, type, null, true, secret, description, parse);
  }

  public Option<T> asSecret() {
    return new Option<>(name, type, defaultValue, required, true, description, parse);
  }

  public static Option<String> string(String name, String description) {
    return new Option<>(name, "string", null, false, false, description, s -> s);
  }

  public static Option<String> password(String name, String description) {
    return new Option<>(name, "password", null, false, true, description, s -> s);
  }

  public static Option<Integer> integer(String name, String description) {
    return new Option<>(name, "int", null, false, false, description, s -> {
      try {
        return Integer.valueOf(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a whole number, got '" + s + "'");
      }
    });
  }

  /** An integer of at least {@code min}. */
  public static Option<Integer> integer(String name, int min, String description) {
    Function<String, Integer> base = integer(name, description).parse();
    return new Option<>(name, "int", null, false, false, description, s -> {
      int v = base.apply(s);
      if (v < min) {
        throw new IllegalArgumentException("expected at least " + min + ", got " + v);
      }
      return v;
    });
  }

  public static Option<Long> longValue(String name, String description) {
    return new Option<>(name, "long", null, false, false, description, s -> {
      try {
        return Long.valueOf(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a whole number, got '" + s + "'");
      }
    });
  }

  public static Option<Boolean> bool(String name, String description) {
    return new Option<>(name, "boolean", null, false, false, description, s -> {
      String v = s.trim().toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw new IllegalArgumentException("expected true or false, got '" + s + "'");
      }
      return Boolean.valueOf(v);
    });
  }

  /** A duration written as {@code 500ms}, {@code 30s}, {@code 5min}, {@code 2h}, or plain milliseconds. */
  public static Option<Duration> duration(String name, String description) {
    return new Option<>(name, "duration", null, false, false, description, Option::parseDuration);
  }

  /** One of {@code values}, matched case-insensitively; returned in the declared spelling. */
  public static Option<String> oneOf(String name, List<String> values, String description) {
    return new Option<>(name, String.join("|", values), null, false, false, description, s -> {
      for (String v : values) {
        if (v.equalsIgnoreCase(s.trim())) {
          return v;
        }
      }
      throw new IllegalArgumentException("expected one of " + String.join(", ", values) + ", got '" + s + "'");
    });
  }

  /** A comma-separated list, each item trimmed, empty items dropped. */
  public static Option<List<String>> list(String name, String description) {
    return new Option<>(name, "list", null, false, false, description,
        s -> List.of(s.split(",")).stream().map(String::trim).filter(x -> !x.isEmpty()).toList());
  }

  /** Every key starting with {@code prefix} (which ends in a dot) is passed through as text. */
  public static Option<String> prefix(String prefix, String description) {
    if (!prefix.endsWith(".")) {
      throw new IllegalArgumentException("a prefix option ends in '.': " + prefix);
    }
    return new Option<>(prefix, "prefix", null, false, false, description, s -> s);
  }

  static Duration parseDuration(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
      }
      if (s.endsWith("min")) {
        return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 3).trim()));
      }
      if (s.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).trim()));
      }
      if (s.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1).trim()));
      }
      return Duration.ofMillis(Long.parseLong(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5min or 2h, got '" + text + "'");
    }
  }
}
