package dev.sluice.pipeline.transform;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.transform.EventTransform;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies {@code transform} rules: the first rule whose {@code source-table} matches a table
 * projects its rows and filters them. A filter turns an update into what the sink must see: a row
 * that leaves the filtered set is deleted, one that enters it is inserted.
 */
public final class TransformStage implements EventTransform {
  private final List<TransformRule> rules;
  private final Map<TableId, Optional<Integer>> ruleOf = new HashMap<>();
  private final Map<TableSchema, CompiledTransform> compiled = new HashMap<>();

  public TransformStage(List<TransformRule> rules) {
    this.rules = List.copyOf(rules);
  }

  private CompiledTransform forSchema(TableSchema schema) {
    Optional<Integer> i = ruleOf.computeIfAbsent(schema.id(), t -> {
      for (int r = 0; r < rules.size(); r++) {
        if (rules.get(r).sourceTable().matches(t)) {
          return Optional.of(r);
        }
      }
      return Optional.empty();
    });
    return i.map(r -> compiled.computeIfAbsent(schema,
        s -> CompiledTransform.compile(rules.get(r), s, "transform[" + r + "]"))).orElse(null);
  }

  @Override
  public Event apply(Event event) {
    if (rules.isEmpty()) {
      return event;
    }
    if (event instanceof SchemaChangeEvent s) {
      if (s.schema() == null) {
        return s;
      }
      CompiledTransform t = forSchema(s.schema());
      return t == null ? s
          : new SchemaChangeEvent(s.table(), s.kind(), t.out, s.column(), s.newColumnName(), s.ddl(), s.position());
    }
    ChangeEvent e = (ChangeEvent) event;
    CompiledTransform t = forSchema(e.schema());
    if (t == null) {
      return e;
    }
    boolean beforeIn = e.before() != null && t.keep(e.before());
    boolean afterIn = e.after() != null && t.keep(e.after());
    Row before = beforeIn ? t.project(e.before()) : null;
    Row after = afterIn ? t.project(e.after()) : null;
    return switch (e.op()) {
      case READ, INSERT -> afterIn ? with(e, t, e.op(), null, after) : null;
      case DELETE -> beforeIn ? with(e, t, Op.DELETE, before, null) : null;
      case UPDATE -> {
        if (e.before() == null) {
          // No before image: the sink upserts when the row passes, and must delete it when not.
          yield afterIn ? with(e, t, Op.UPDATE, null, after)
              : with(e, t, Op.DELETE, t.project(e.after()), null);
        }
        if (beforeIn && afterIn) {
          yield with(e, t, Op.UPDATE, before, after);
        }
        if (beforeIn) {
          yield with(e, t, Op.DELETE, before, null);
        }
        yield afterIn ? with(e, t, Op.INSERT, null, after) : null;
      }
    };
  }

  private static ChangeEvent with(ChangeEvent e, CompiledTransform t, Op op, Row before, Row after) {
    return new ChangeEvent(t.out, op, before, after, e.position(), e.sourceTime(), e.transactionId());
  }
}
