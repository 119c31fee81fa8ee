package dev.sluice.pipeline;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in a value with the environment variable, so
 * secrets stay out of pipeline files. Only upper-case names are variables: lower-case placeholders
 * such as {@code ${table}} in a topic or table name pattern belong to the connector and are left as
 * they are.
 */
final class EnvSubstitution {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)(:-([^}]*))?}");

  private EnvSubstitution() {}

  /** The substituted value; throws {@link IllegalArgumentException} naming an unset variable. */
  static String apply(String value, Map<String, String> env) {
    if (value.indexOf("${") < 0) {
      return value;
    }
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.get(m.group(1));
      if (v == null) {
        if (m.group(2) == null) {
          throw new IllegalArgumentException("environment variable " + m.group(1) + " is not set (write ${"
              + m.group(1) + ":-default} to give a default)");
        }
        v = m.group(3);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }
}
