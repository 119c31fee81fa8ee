package dev.sluice.sink.jdbc;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.sink.MetadataColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The columns the sink adds after the source's: the chosen metadata columns, then the soft-delete
 * pair. Each is filled from the change event alone, so upserts and soft deletes fill them alike.
 */
final class ExtraColumns {
  static final String DELETED = "__deleted";
  static final String DELETED_AT = "__deleted_at";

  /** One added column and how its value comes from an event. */
  record Extra(Column column, Function<ChangeEvent, Object> value) {}

  private final List<Extra> extras = new ArrayList<>();

  ExtraColumns(List<MetadataColumn> metadata, boolean softDelete) {
    for (MetadataColumn m : metadata) {
      switch (m) {
        case SOURCE_TABLE -> add(m.column(), LogicalType.string(255), e -> e.table().toString());
        case OP -> add(m.column(), LogicalType.string(1), e -> e.op().code());
        case SOURCE_TS -> add(m.column(), LogicalType.timestampTz(3), ChangeEvent::sourceTime);
      }
    }
    if (softDelete) {
      add(DELETED, LogicalType.BOOLEAN, e -> e.op() == Op.DELETE);
      add(DELETED_AT, LogicalType.timestampTz(6),
          e -> e.op() != Op.DELETE ? null : e.sourceTime() != null ? e.sourceTime() : Instant.now());
    }
  }

  private void add(String name, LogicalType type, Function<ChangeEvent, Object> value) {
    extras.add(new Extra(Column.of(name, type, true), value));
  }

  List<Extra> all() {
    return extras;
  }

  List<Column> columns() {
    return extras.stream().map(Extra::column).toList();
  }
}
