package dev.sluice.pipeline;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.transform.EventTransform;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@code route} rules: an event of a table that matches a rule continues under the rule's
 * sink table name. The first matching rule wins; unmatched tables keep their name. Renamed schemas
 * are cached per source schema, so the hot path is one map lookup.
 */
public final class RouteTransform implements EventTransform {
  private final List<Route> routes;
  private final Map<TableSchema, TableSchema> renamed = new HashMap<>();
  private final Map<TableId, TableId> targets = new HashMap<>();

  public RouteTransform(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  /** The sink table of a source table. */
  public TableId target(TableId table) {
    return targets.computeIfAbsent(table, t -> {
      for (Route r : routes) {
        if (r.matches(t)) {
          return r.target(t);
        }
      }
      return t;
    });
  }

  private TableSchema rename(TableSchema schema) {
    if (schema == null) {
      return null;
    }
    return renamed.computeIfAbsent(schema, s -> {
      TableId to = target(s.id());
      return to.equals(s.id()) ? s : new TableSchema(to, s.columns(), s.keyColumns(), s.hasPrimaryKey());
    });
  }

  @Override
  public Event apply(Event event) {
    if (routes.isEmpty()) {
      return event;
    }
    if (event instanceof ChangeEvent e) {
      TableSchema to = rename(e.schema());
      return to == e.schema() ? e
          : new ChangeEvent(to, e.op(), e.before(), e.after(), e.position(), e.sourceTime(), e.transactionId());
    }
    SchemaChangeEvent s = (SchemaChangeEvent) event;
    TableId to = target(s.table());
    if (to.equals(s.table())) {
      return s;
    }
    renamed.clear(); // the table's columns changed: forget its cached renamed schema
    return new SchemaChangeEvent(to, s.kind(), rename(s.schema()), s.column(), s.newColumnName(), s.ddl(), s.position());
  }
}
