package dev.sluice.sink.jdbc;

import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.LogicalType.Kind;
import java.util.List;

/**
 * Whether one logical type holds every value of another: the type changes the lenient policy
 * applies (a narrowing would lose the rows already in the target, so it is left out).
 */
final class TypeWidening {
  private static final List<Kind> INTEGERS = List.of(Kind.INT8, Kind.INT16, Kind.INT32, Kind.INT64);
  /** Decimal digits of the largest value of INT8..INT64. */
  private static final int[] INTEGER_DIGITS = {3, 5, 10, 19};

  private TypeWidening() {}

  static boolean widens(LogicalType from, LogicalType to) {
    if (from.equals(to)) {
      return true;
    }
    Kind a = from.kind();
    Kind b = to.kind();
    if (INTEGERS.contains(a) && INTEGERS.contains(b)) {
      return INTEGERS.indexOf(b) >= INTEGERS.indexOf(a);
    }
    if (INTEGERS.contains(a) && b == Kind.DECIMAL) {
      return to.precision() == 0 || to.precision() - to.scale() >= INTEGER_DIGITS[INTEGERS.indexOf(a)];
    }
    if (a == Kind.FLOAT32 && b == Kind.FLOAT64) {
      return true;
    }
    if (a == Kind.DECIMAL && b == Kind.DECIMAL) {
      return to.precision() == 0
          || from.precision() != 0 && to.scale() >= from.scale() && to.precision() - to.scale() >= from.precision() - from.scale();
    }
    if ((a == Kind.STRING || a == Kind.ENUM) && b == Kind.STRING) {
      return to.precision() == 0 || from.precision() != 0 && to.precision() >= from.precision();
    }
    if (a == b && (a == Kind.TIME || a == Kind.TIMESTAMP || a == Kind.TIMESTAMP_TZ)) {
      return to.precision() >= from.precision();
    }
    return false;
  }
}
