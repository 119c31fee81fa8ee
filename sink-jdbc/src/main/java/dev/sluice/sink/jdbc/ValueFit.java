package dev.sluice.sink.jdbc;

import dev.sluice.core.event.Column;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import dev.sluice.sink.jdbc.TargetTable.TargetColumn;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the column a refused row failed on. MySQL says it ({@code ... for column 'x' at row 1}), so
 * does SQLite ({@code NOT NULL constraint failed: t.x});
 * PostgreSQL does not for most data errors, so the row's values are checked against the target
 * column declarations (length, precision, integer range).
 */
final class ValueFit {
  private static final Pattern MYSQL_COLUMN = Pattern.compile("column '([^']+)'");
  /** SQLite: {@code NOT NULL constraint failed: table.column}. */
  private static final Pattern SQLITE_COLUMN = Pattern.compile("constraint failed: [^.\\s]+\\.([^\\s,)]+)");

  private ValueFit() {}

  static String column(SQLException e, TargetTable table, List<Column> columns, Row row, TableSchema schema) {
    Matcher m = MYSQL_COLUMN.matcher(String.valueOf(e.getMessage()));
    if (m.find()) {
      return m.group(1);
    }
    m = SQLITE_COLUMN.matcher(String.valueOf(e.getMessage()));
    if (m.find()) {
      return m.group(1);
    }
    for (Column c : columns) {
      TargetColumn target = table.columns.get(c.name());
      if (target == null || !schema.columns().stream().anyMatch(x -> x.name().equals(c.name()))) {
        continue;
      }
      Object v = row.get(schema.columnIndex(c.name()));
      if (v != null && !fits(target, v)) {
        return c.name();
      }
    }
    return null;
  }

  static boolean fits(TargetColumn c, Object v) {
    String type = c.dataType().toLowerCase(Locale.ROOT);
    if (v instanceof String s && c.length() != null && type.contains("char")) {
      return s.codePointCount(0, s.length()) <= c.length();
    }
    if (v instanceof String s && s.indexOf('\0') >= 0) {
      return false; // PostgreSQL text cannot hold NUL
    }
    if (v instanceof Integer || v instanceof Long) {
      long n = ((Number) v).longValue();
      return switch (type) {
        case "smallint" -> n >= Short.MIN_VALUE && n <= Short.MAX_VALUE;
        case "tinyint" -> n >= Byte.MIN_VALUE && n <= Byte.MAX_VALUE;
        case "integer", "int" -> n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE;
        default -> true;
      };
    }
    if (v instanceof BigDecimal d && c.precision() != null && c.scale() != null && (type.equals("numeric") || type.equals("decimal"))) {
      return d.precision() - d.scale() <= c.precision() - c.scale();
    }
    return true;
  }
}
