package dev.sluice.core.event;

import java.util.Arrays;

/** Printing and sizing of logical-type values, shared by {@link Key} and {@link Row}. */
final class Values {
  private Values() {}

  static String toString(Object v) {
    if (v instanceof byte[] b) {
      return "0x" + java.util.HexFormat.of().formatHex(b);
    }
    if (v instanceof Object[] arr) {
      StringBuilder s = new StringBuilder("(");
      for (int i = 0; i < arr.length; i++) {
        s.append(i == 0 ? "" : ", ").append(toString(arr[i]));
      }
      return s.append(')').toString();
    }
    return String.valueOf(v);
  }

  /**
   * A cheap estimate of the heap a value holds, used only to bound buffers; it need not be exact,
   * only proportional.
   */
  static long estimatedBytes(Object v) {
    if (v == null) {
      return 4;
    }
    if (v instanceof String s) {
      return 40L + s.length();
    }
    if (v instanceof byte[] b) {
      return 16L + b.length;
    }
    if (v instanceof java.math.BigDecimal d) {
      return 40L + d.precision() / 2;
    }
    if (v instanceof java.util.List<?> list) {
      long n = 24;
      for (Object e : list) {
        n += estimatedBytes(e);
      }
      return n;
    }
    return 24;
  }

  static boolean deepEquals(Object[] a, Object[] b) {
    return Arrays.deepEquals(a, b);
  }
}
