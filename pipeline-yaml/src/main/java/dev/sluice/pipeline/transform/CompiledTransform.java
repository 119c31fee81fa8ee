package dev.sluice.pipeline.transform;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A {@link TransformRule} bound to one source schema: the output schema, the projection, the filter. */
final class CompiledTransform {
  final TableSchema out;
  private final Expr[] outputs; // null: every column as it is
  private final Expr filter; // null: every row

  private CompiledTransform(TableSchema out, Expr[] outputs, Expr filter) {
    this.out = out;
    this.outputs = outputs;
    this.filter = filter;
  }

  static CompiledTransform compile(TransformRule rule, TableSchema in, String where) {
    try {
      Expr filter = rule.filter() == null ? null : parser(rule.filter(), in).filter();
      if (rule.projection() == null) {
        return new CompiledTransform(withKeys(rule, in, in.columns(), where), null, filter);
      }
      List<Column> columns = new ArrayList<>();
      List<Expr> outputs = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (ExprParser.Item item : parser(rule.projection(), in).projection()) {
        if (item.star()) {
          for (int i = 0; i < in.columns().size(); i++) {
            Column c = in.columns().get(i);
            add(columns, outputs, names, c, new Expr.Column(c.name(), i, c.type()), where);
          }
        } else {
          Column c = item.expr() instanceof Expr.Column ref && ref.name().equals(item.name())
              ? in.columns().get(ref.index())
              : item.expr() instanceof Expr.Column ref2
                  ? new Column(item.name(), ref2.type(), in.columns().get(ref2.index()).nullable(),
                      in.columns().get(ref2.index()).sourceType())
                  : Column.of(item.name(), item.expr().type(), true);
          add(columns, outputs, names, c, item.expr(), where);
        }
      }
      return new CompiledTransform(withKeys(rule, in, columns, where), outputs.toArray(new Expr[0]), filter);
    } catch (ExprParser.ParseException e) {
      throw new ConfigurationException(where + " on table " + in.id() + ": " + e.getMessage() + "; its columns are "
          + in.columns().stream().map(Column::name).toList());
    }
  }

  private static ExprParser parser(String text, TableSchema in) {
    return new ExprParser(text, name -> {
      for (int i = 0; i < in.columns().size(); i++) {
        if (in.columns().get(i).name().equalsIgnoreCase(name)) {
          Column c = in.columns().get(i);
          return new Expr.Column(c.name(), i, c.type());
        }
      }
      return null;
    });
  }

  private static void add(List<Column> columns, List<Expr> outputs, Set<String> names, Column c, Expr e, String where) {
    if (!names.add(c.name())) {
      throw new ConfigurationException(where + ": the projection names column '" + c.name() + "' twice");
    }
    columns.add(c);
    outputs.add(e);
  }

  private static TableSchema withKeys(TransformRule rule, TableSchema in, List<Column> columns, String where) {
    List<String> keys = rule.primaryKeys().isEmpty() ? in.keyColumns() : rule.primaryKeys();
    for (String k : keys) {
      if (columns.stream().noneMatch(c -> c.name().equals(k))) {
        throw new ConfigurationException(where + " on table " + in.id() + ": the projection drops key column '" + k
            + "'; keep it, or name other key columns with primary-keys");
      }
    }
    return new TableSchema(in.id(), columns, keys, rule.primaryKeys().isEmpty() ? in.hasPrimaryKey() : true);
  }

  /** Whether the row passes the filter (NULL does not). */
  boolean keep(Row row) {
    return filter == null || Boolean.TRUE.equals(filter.eval(row));
  }

  Row project(Row row) {
    if (outputs == null) {
      return row;
    }
    Object[] values = new Object[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      values[i] = outputs[i].eval(row);
    }
    return Row.wrap(values);
  }
}
