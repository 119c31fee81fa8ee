package dev.sluice.source.postgres;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One text form for an interval, {@code P<y>Y<m>M<d>DT<h>H<m>M<s>S} with every field present and
 * seconds without trailing zeros. PostgreSQL's ISO 8601 output (the pool's sessions use {@code
 * intervalstyle = iso_8601}) leaves zero fields out and Debezium's writes them all; both become this.
 */
final class Intervals {
  private static final Pattern ISO = Pattern.compile("P(?:(-?\\d+)Y)?(?:(-?\\d+)M)?(?:(-?\\d+)D)?"
      + "(?:T(?:(-?\\d+)H)?(?:(-?\\d+)M)?(?:(-?[\\d.]+)S)?)?");

  private Intervals() {}

  static String canonical(String text) {
    Matcher m = ISO.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not an ISO 8601 interval: " + text);
    }
    BigDecimal seconds = m.group(6) == null ? BigDecimal.ZERO : new BigDecimal(m.group(6)).stripTrailingZeros();
    return "P" + num(m.group(1)) + "Y" + num(m.group(2)) + "M" + num(m.group(3)) + "DT" + num(m.group(4)) + "H"
        + num(m.group(5)) + "M" + (seconds.signum() == 0 ? "0" : seconds.toPlainString()) + "S";
  }

  private static long num(String s) {
    return s == null ? 0 : Long.parseLong(s);
  }
}
