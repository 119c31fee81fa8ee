package dev.sluice.core.event;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A table pattern as users write it, in either of two forms, and a table is selected when either
 * form selects it:
 *
 * <ul>
 *   <li>one regular expression over the dotted name, {@code app_db\.orders_.*};</li>
 *   <li>Flink CDC's selector form: the pattern splits at its unescaped dots into one regular
 *       expression per name part, and inside a part {@code \.} stands for the regex {@code .} (any
 *       character), so {@code app_db.\.*} is every table of {@code app_db} and
 *       {@code app_db.orders_\.*} every table whose name starts with {@code orders_}.</li>
 * </ul>
 *
 * <p>The two readings rarely disagree on a real name: a regex such as {@code app_db\..*} has no
 * selector reading that compiles, and a selector such as {@code app_db.\.*} read as a regex selects
 * only names ending in dots. Taking either means files written for Flink CDC run unchanged.
 */
public final class TablePattern {
  private final String text;
  private final Pattern regex;
  private final List<Pattern> parts;

  private TablePattern(String text, Pattern regex, List<Pattern> parts) {
    this.text = text;
    this.regex = regex;
    this.parts = parts;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException naming what is wrong when neither reading compiles
   */
  public static TablePattern compile(String text) {
    String trimmed = text.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("the pattern is empty");
    }
    Pattern regex = null;
    String regexError = null;
    try {
      regex = Pattern.compile(trimmed);
    } catch (PatternSyntaxException e) {
      regexError = e.getDescription();
    }
    List<Pattern> parts = selectorParts(trimmed);
    if (regex == null && parts == null) {
      throw new IllegalArgumentException("'" + trimmed + "' is not a regular expression (" + regexError
          + ") nor a Flink CDC selector such as db.\\.* (one regular expression per name part)");
    }
    return new TablePattern(trimmed, regex, parts);
  }

  /** The selector reading, or null when the pattern has no unescaped dot or a part does not compile. */
  private static List<Pattern> selectorParts(String text) {
    List<String> pieces = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(++i);
        // "\." means "any character" in a selector part; every other escape is the regex's own.
        piece.append(next == '.' ? "." : "\\" + next);
      } else if (c == '.') {
        pieces.add(piece.toString());
        piece.setLength(0);
      } else {
        piece.append(c);
      }
    }
    pieces.add(piece.toString());
    if (pieces.size() < 2) {
      return null;
    }
    List<Pattern> parts = new ArrayList<>(pieces.size());
    for (String p : pieces) {
      if (p.isEmpty()) {
        return null;
      }
      try {
        parts.add(Pattern.compile(p));
      } catch (PatternSyntaxException e) {
        return null;
      }
    }
    return List.copyOf(parts);
  }

  /**
   * Whether the name made of these parts ({@code db, table} or {@code db, schema, table}) is
   * selected: the regex against the parts joined with dots, or a selector of as many parts as the
   * name, part by part.
   */
  public boolean matches(String... name) {
    if (regex != null && regex.matcher(String.join(".", name)).matches()) {
      return true;
    }
    if (parts == null || parts.size() != name.length) {
      return false;
    }
    for (int i = 0; i < name.length; i++) {
      if (!parts.get(i).matcher(name[i]).matches()) {
        return false;
      }
    }
    return true;
  }

  /** Whether a table id is selected, by its non-null parts. */
  public boolean matches(TableId table) {
    List<String> name = new ArrayList<>(3);
    if (table.catalog() != null) {
      name.add(table.catalog());
    }
    if (table.schema() != null) {
      name.add(table.schema());
    }
    name.add(table.table());
    return matches(name.toArray(String[]::new));
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TablePattern p && p.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
