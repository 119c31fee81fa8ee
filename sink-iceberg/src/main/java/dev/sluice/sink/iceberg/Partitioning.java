package dev.sluice.sink.iceberg;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Term;

/**
 * The {@code partition.by} transforms: {@code col} or {@code identity(col)}, {@code years(col)},
 * {@code months(col)}, {@code days(col)}, {@code hours(col)}, {@code bucket(n, col)} and
 * {@code truncate(w, col)}, as Iceberg terms.
 */
final class Partitioning {
  private static final Pattern ONE = Pattern.compile("(identity|years|months|days|hours|year|month|day|hour)\\s*\\(\\s*([^,()\\s]+)\\s*\\)");
  private static final Pattern TWO = Pattern.compile("(bucket|truncate)\\s*\\(\\s*(\\d+)\\s*,\\s*([^,()\\s]+)\\s*\\)");
  private static final Pattern PLAIN = Pattern.compile("[^,()\\s]+");

  private Partitioning() {}

  /** A parsed field: its transform's term and the source column it reads. */
  record Field(Term term, String column) {}

  static Field parseField(String text) {
    String s = text.trim();
    Matcher m = ONE.matcher(s);
    if (m.matches()) {
      String col = m.group(2);
      Term t = switch (m.group(1).toLowerCase(Locale.ROOT)) {
        case "identity" -> Expressions.ref(col);
        case "years", "year" -> Expressions.year(col);
        case "months", "month" -> Expressions.month(col);
        case "days", "day" -> Expressions.day(col);
        default -> Expressions.hour(col);
      };
      return new Field(t, col);
    }
    m = TWO.matcher(s);
    if (m.matches()) {
      int n;
      try {
        n = Integer.parseInt(m.group(2));
      } catch (NumberFormatException e) {
        n = 0;
      }
      if (n < 1) {
        throw new IllegalArgumentException("the width of " + s + " must be a whole number from 1 to " + Integer.MAX_VALUE);
      }
      String col = m.group(3);
      return new Field(m.group(1).equals("bucket") ? Expressions.bucket(col, n) : Expressions.truncate(col, n), col);
    }
    if (PLAIN.matcher(s).matches()) {
      return new Field(Expressions.ref(s), s);
    }
    throw new IllegalArgumentException("'" + s + "' is not a partition transform: use a column name, identity(col), "
        + "years(col), months(col), days(col), hours(col), bucket(n, col) or truncate(w, col)");
  }

  static List<Field> parse(List<String> fields) {
    return fields.stream().map(Partitioning::parseField).toList();
  }
}
