package dev.sluice.cli;

import dev.sluice.core.option.Options;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline file as written, with the value of every secret option replaced by {@code ******}, for
 * the REST API. Works on lines, so it masks a file that does not parse too: a {@code key: value} line
 * whose key is a secret (declared so by its connector, or named like one) loses its value, a block
 * scalar ({@code key: |}) its whole block; then any known secret value left anywhere is masked.
 */
final class MaskedYaml {
  static final String MASK = "******";
  private static final Options NOTHING_DECLARED = Options.parse("", List.of(), Map.of());
  private static final Pattern TOP = Pattern.compile("^([A-Za-z0-9_.-]+)\\s*:.*$");
  private static final Pattern ENTRY = Pattern.compile("^(\\s+(?:-\\s+)?)([^\\s:#'\"][^:#]*?)(\\s*:\\s*)(\\S.*)?$");

  private MaskedYaml() {}

  /** Masks secrets judged by key names alone. */
  static String mask(String text, Collection<String> knownSecrets) {
    return mask(text, (section, key) -> NOTHING_DECLARED.isSecret(key), knownSecrets);
  }

  /**
   * @param isSecret whether a key of a top-level section ({@code source}, {@code sink}, ...) is a secret
   * @param knownSecrets secret values to mask wherever they appear (values shorter than 4 characters
   *     are not searched for, as they would mask ordinary words)
   */
  static String mask(String text, BiPredicate<String, String> isSecret, Collection<String> knownSecrets) {
    StringBuilder out = new StringBuilder(text.length());
    String section = "";
    int blockIndent = -1; // inside a secret block scalar: lines indented deeper than this are masked
    for (String line : text.split("\n", -1)) {
      int indent = line.length() - line.stripLeading().length();
      if (blockIndent >= 0) {
        if (line.isBlank() || indent > blockIndent) {
          out.append(line.isBlank() ? line : " ".repeat(indent) + MASK).append('\n');
          continue;
        }
        blockIndent = -1;
      }
      Matcher top = TOP.matcher(line);
      Matcher entry = ENTRY.matcher(line);
      if (top.matches()) {
        section = top.group(1);
        out.append(line);
      } else if (entry.matches() && entry.group(4) != null && isSecret.test(section, entry.group(2).strip())) {
        String value = entry.group(4);
        if (value.startsWith("|") || value.startsWith(">")) {
          blockIndent = indent;
          out.append(line);
        } else {
          out.append(entry.group(1)).append(entry.group(2)).append(entry.group(3)).append(MASK);
        }
      } else {
        out.append(line);
      }
      out.append('\n');
    }
    out.setLength(out.length() - 1);
    return maskValues(out.toString(), knownSecrets);
  }

  /** Replaces every occurrence of a known secret value (of 4 characters or more). */
  static String maskValues(String text, Collection<String> knownSecrets) {
    if (text == null) {
      return null;
    }
    String masked = text;
    for (String s : knownSecrets) {
      if (s != null && s.length() >= 4) {
        masked = masked.replace(s, MASK);
      }
    }
    return masked;
  }
}
