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
   * An estimate of the heap a value holds, as a 64-bit JVM with compressed references lays it out
   * (12-byte object headers, sizes rounded up to 8 bytes), used to bound buffers. Strings count one
   * byte a character when every character is Latin-1 (the JVM's compact strings) and two otherwise.
   * Shared instances (small cached boxes) are counted as if they were not shared.
   */
  static long estimatedBytes(Object v) {
    if (v == null) {
      return 0;
    }
    if (v instanceof String s) {
      return 24 + array(s.length() * (latin1(s) ? 1L : 2L));
    }
    if (v instanceof byte[] b) {
      return array(b.length);
    }
    if (v instanceof java.math.BigDecimal d) {
      // Up to 18 digits the unscaled value is a long inside the BigDecimal; beyond, a BigInteger
      // with an int[] of its magnitude.
      return d.precision() <= 18 ? 40 : 40 + 40 + array(4L * ((d.unscaledValue().bitLength() + 31) / 32));
    }
    if (v instanceof java.time.LocalDateTime || v instanceof java.time.OffsetDateTime) {
      return 72; // the date-time, its LocalDate and LocalTime
    }
    if (v instanceof java.util.UUID) {
      return 32;
    }
    if (v instanceof Number || v instanceof Boolean || v instanceof Character) {
      return 16 + (v instanceof Long || v instanceof Double ? 8 : 0);
    }
    if (v instanceof java.util.List<?> list) {
      long n = 24 + array(4L * list.size());
      for (Object e : list) {
        n += estimatedBytes(e);
      }
      return n;
    }
    return 24; // LocalDate, LocalTime, Instant and other small values
  }

  /** An array's bytes: a 16-byte header and its elements, rounded up to 8 bytes. */
  static long array(long elementBytes) {
    return (16 + elementBytes + 7) & ~7L;
  }

  private static boolean latin1(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  static boolean deepEquals(Object[] a, Object[] b) {
    return Arrays.deepEquals(a, b);
  }
}
