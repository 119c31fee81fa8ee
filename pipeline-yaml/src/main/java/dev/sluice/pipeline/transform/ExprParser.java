package dev.sluice.pipeline.transform;

import dev.sluice.core.event.LogicalType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Parses the small expression language of {@code projection} and {@code filter}: columns,
 * numbers, 'strings', TRUE/FALSE/NULL, + - * /, comparisons, IS [NOT] NULL, AND/OR/NOT,
 * parentheses and UPPER, LOWER, TRIM, CONCAT, COALESCE. Columns are resolved as they are read.
 */
final class ExprParser {
  /** A syntax or name error at a character offset of the text. */
  static final class ParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int offset;

    ParseException(String message, int offset) {
      super(message);
      this.offset = offset;
    }
  }

  private static final Set<String> FUNCTIONS = Set.of("UPPER", "LOWER", "TRIM", "CONCAT", "COALESCE");

  private final String text;
  private final Function<String, Expr.Column> columns;
  private int pos;

  /** @param columns resolves a column name, or returns {@code null} when the table has no such column */
  ExprParser(String text, Function<String, Expr.Column> columns) {
    this.text = text;
    this.columns = columns;
  }

  /** A projected item: {@code *}, or an expression and its output name. */
  record Item(Expr expr, String name, boolean star) {}

  List<Item> projection() {
    List<Item> items = new ArrayList<>();
    do {
      skipSpace();
      if (peek('*')) {
        pos++;
        items.add(new Item(null, "*", true));
        continue;
      }
      int start = pos;
      Expr e = expression();
      String name;
      if (keyword("AS")) {
        name = identifier();
      } else if (e instanceof Expr.Column c) {
        name = c.name();
      } else {
        throw new ParseException("an expression needs a name: add AS <name>", start);
      }
      items.add(new Item(e, name, false));
    } while (accept(','));
    end();
    return items;
  }

  Expr filter() {
    Expr e = expression();
    end();
    if (!e.type().equals(LogicalType.BOOLEAN)) {
      throw new ParseException("a filter must be a condition (a comparison, IS NULL, AND, OR, NOT)", 0);
    }
    return e;
  }

  private void end() {
    skipSpace();
    if (pos < text.length()) {
      throw new ParseException("unexpected '" + text.substring(pos, Math.min(text.length(), pos + 10)) + "'", pos);
    }
  }

  private Expr expression() {
    Expr left = and();
    while (keyword("OR")) {
      left = new Expr.Logic(false, left, and());
    }
    return left;
  }

  private Expr and() {
    Expr left = not();
    while (keyword("AND")) {
      left = new Expr.Logic(true, left, not());
    }
    return left;
  }

  private Expr not() {
    return keyword("NOT") ? new Expr.Not(not()) : comparison();
  }

  private Expr comparison() {
    Expr left = additive();
    skipSpace();
    if (keyword("IS")) {
      boolean negated = keyword("NOT");
      if (!keyword("NULL")) {
        throw new ParseException("expected NULL after IS", pos);
      }
      return new Expr.IsNull(left, negated);
    }
    for (String op : new String[] {"<=", ">=", "<>", "!=", "=", "<", ">"}) {
      if (text.startsWith(op, pos)) {
        pos += op.length();
        return new Expr.Compare(op, left, additive());
      }
    }
    return left;
  }

  private Expr additive() {
    Expr left = multiplicative();
    while (true) {
      skipSpace();
      if (peek('+') || peek('-')) {
        char op = text.charAt(pos++);
        left = new Expr.Arithmetic(op, left, multiplicative());
      } else {
        return left;
      }
    }
  }

  private Expr multiplicative() {
    Expr left = unary();
    while (true) {
      skipSpace();
      if (peek('*') || peek('/')) {
        char op = text.charAt(pos++);
        left = new Expr.Arithmetic(op, left, unary());
      } else {
        return left;
      }
    }
  }

  private Expr unary() {
    skipSpace();
    if (peek('-')) {
      pos++;
      return new Expr.Arithmetic('-', new Expr.Literal(BigDecimal.ZERO, LogicalType.decimal(38, 10)), unary());
    }
    return primary();
  }

  private Expr primary() {
    skipSpace();
    int start = pos;
    if (pos >= text.length()) {
      throw new ParseException("unexpected end; expected a column, a value or '('", pos);
    }
    char c = text.charAt(pos);
    if (c == '(') {
      pos++;
      Expr e = expression();
      expect(')');
      return e;
    }
    if (c == '\'') {
      return new Expr.Literal(string(), LogicalType.STRING);
    }
    if (Character.isDigit(c)) {
      while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
        pos++;
      }
      return new Expr.Literal(new BigDecimal(text.substring(start, pos)), LogicalType.decimal(38, 10));
    }
    if (!Character.isLetter(c) && c != '_' && c != '`') {
      throw new ParseException("expected a column, a value or '(' at '" + c + "'", pos);
    }
    String name = identifier();
    String upper = name.toUpperCase(Locale.ROOT);
    switch (upper) {
      case "TRUE", "FALSE" -> {
        return new Expr.Literal(Boolean.valueOf(upper.equals("TRUE")), LogicalType.BOOLEAN);
      }
      case "NULL" -> {
        return new Expr.Literal(null, LogicalType.STRING);
      }
      default -> { }
    }
    if (accept('(')) {
      if (!FUNCTIONS.contains(upper)) {
        throw new ParseException("unknown function " + name + "; known: " + String.join(", ", FUNCTIONS), start);
      }
      List<Expr> args = new ArrayList<>();
      if (!accept(')')) {
        do {
          args.add(expression());
        } while (accept(','));
        expect(')');
      }
      if (args.isEmpty() || (!upper.equals("CONCAT") && !upper.equals("COALESCE") && args.size() != 1)) {
        throw new ParseException(upper + " takes " + (upper.equals("CONCAT") || upper.equals("COALESCE")
            ? "one or more arguments" : "one argument"), start);
      }
      return new Expr.Call(upper, args);
    }
    Expr.Column col = columns.apply(name);
    if (col == null) {
      throw new ParseException("unknown column '" + name + "'", start);
    }
    return col;
  }

  private String string() {
    StringBuilder s = new StringBuilder();
    int start = pos++;
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '\'') {
        if (peek('\'')) {
          s.append('\'');
          pos++;
          continue;
        }
        return s.toString();
      }
      s.append(c);
    }
    throw new ParseException("unterminated string", start);
  }

  private String identifier() {
    skipSpace();
    int start = pos;
    if (peek('`')) {
      int close = text.indexOf('`', pos + 1);
      if (close < 0) {
        throw new ParseException("unterminated `name`", pos);
      }
      pos = close + 1;
      return text.substring(start + 1, close);
    }
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    if (start == pos) {
      throw new ParseException("expected a name", pos);
    }
    return text.substring(start, pos);
  }

  /** Consumes a keyword (case-insensitive) that is a whole word. */
  private boolean keyword(String word) {
    skipSpace();
    int end = pos + word.length();
    if (end <= text.length() && text.regionMatches(true, pos, word, 0, word.length())
        && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)) && text.charAt(end) != '_')) {
      pos = end;
      return true;
    }
    return false;
  }

  private boolean accept(char c) {
    skipSpace();
    if (peek(c)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!accept(c)) {
      throw new ParseException("expected '" + c + "'", pos);
    }
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }
}
