package dev.sluice.pipeline.transform;

import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A compiled expression of a {@code transform} rule (projection or filter), evaluated on one row.
 * SQL's three-valued logic: any comparison with NULL is NULL, and a filter keeps a row only when it
 * is TRUE. Numbers are compared and computed as {@link BigDecimal}, so 1 = 1.0 and nothing overflows.
 */
sealed interface Expr {

  Object eval(Row row);

  /** The logical type of the result, for the projected schema. */
  LogicalType type();

  /** A column, by its position in the source schema. */
  record Column(String name, int index, LogicalType type) implements Expr {
    public Object eval(Row row) {
      return row.get(index);
    }
  }

  record Literal(Object value, LogicalType type) implements Expr {
    public Object eval(Row row) {
      return value;
    }
  }

  record Not(Expr operand) implements Expr {
    public Object eval(Row row) {
      Object v = operand.eval(row);
      return v == null ? null : !(Boolean) v;
    }

    public LogicalType type() {
      return LogicalType.BOOLEAN;
    }
  }

  /** AND / OR with SQL's rules for NULL. */
  record Logic(boolean and, Expr left, Expr right) implements Expr {
    public Object eval(Row row) {
      Boolean l = (Boolean) left.eval(row);
      if (l != null && l != and) {
        return l; // FALSE AND x, TRUE OR x
      }
      Boolean r = (Boolean) right.eval(row);
      if (r != null && r != and) {
        return r;
      }
      return l == null || r == null ? null : and;
    }

    public LogicalType type() {
      return LogicalType.BOOLEAN;
    }
  }

  record IsNull(Expr operand, boolean negated) implements Expr {
    public Object eval(Row row) {
      return (operand.eval(row) == null) != negated;
    }

    public LogicalType type() {
      return LogicalType.BOOLEAN;
    }
  }

  record Compare(String op, Expr left, Expr right) implements Expr {
    public Object eval(Row row) {
      Object l = left.eval(row);
      Object r = right.eval(row);
      if (l == null || r == null) {
        return null;
      }
      int c = compare(l, r);
      return switch (op) {
        case "=" -> c == 0;
        case "<>", "!=" -> c != 0;
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        case ">" -> c > 0;
        case ">=" -> c >= 0;
        default -> throw new IllegalStateException(op);
      };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object l, Object r) {
      if (l instanceof Number || r instanceof Number) {
        return decimal(l).compareTo(decimal(r));
      }
      if (l.getClass() != r.getClass()) {
        return l.toString().compareTo(r.toString());
      }
      return ((Comparable) l).compareTo(r);
    }

    public LogicalType type() {
      return LogicalType.BOOLEAN;
    }
  }

  record Arithmetic(char op, Expr left, Expr right) implements Expr {
    public Object eval(Row row) {
      Object l = left.eval(row);
      Object r = right.eval(row);
      if (l == null || r == null) {
        return null;
      }
      BigDecimal a = decimal(l);
      BigDecimal b = decimal(r);
      return switch (op) {
        case '+' -> a.add(b);
        case '-' -> a.subtract(b);
        case '*' -> a.multiply(b);
        case '/' -> b.signum() == 0 ? null : a.divide(b, MathContext.DECIMAL64);
        default -> throw new IllegalStateException(String.valueOf(op));
      };
    }

    public LogicalType type() {
      return LogicalType.decimal(38, 10);
    }
  }

  /** UPPER, LOWER, TRIM, CONCAT, COALESCE. */
  record Call(String function, List<Expr> args) implements Expr {
    public Object eval(Row row) {
      switch (function) {
        case "COALESCE" -> {
          for (Expr a : args) {
            Object v = a.eval(row);
            if (v != null) {
              return v;
            }
          }
          return null;
        }
        case "CONCAT" -> {
          StringBuilder s = new StringBuilder();
          for (Expr a : args) {
            Object v = a.eval(row);
            if (v == null) {
              return null;
            }
            s.append(text(v));
          }
          return s.toString();
        }
        default -> {
          Object v = args.get(0).eval(row);
          if (v == null) {
            return null;
          }
          String s = text(v);
          return switch (function) {
            case "UPPER" -> s.toUpperCase(Locale.ROOT);
            case "LOWER" -> s.toLowerCase(Locale.ROOT);
            case "TRIM" -> s.strip();
            default -> throw new IllegalStateException(function);
          };
        }
      }
    }

    public LogicalType type() {
      return function.equals("COALESCE") ? args.get(0).type() : LogicalType.STRING;
    }
  }

  private static BigDecimal decimal(Object v) {
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return BigDecimal.valueOf(((Number) v).longValue());
    }
    if (v instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    if (v instanceof Boolean b) {
      return b ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    try {
      return new BigDecimal(Objects.toString(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + v + "' is not a number");
    }
  }

  private static String text(Object v) {
    return v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v);
  }
}
