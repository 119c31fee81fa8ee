package dev.sluice.core.event;

import java.time.Instant;
import java.util.Objects;

/**
 * One row change. {@code before} is present for UPDATE and DELETE where the source logs it;
 * {@code after} for READ, INSERT and UPDATE. {@code sourceTime} is the commit time in the source
 * ({@code null} for snapshot rows), {@code transactionId} where the source has one.
 */
public record ChangeEvent(
    TableSchema schema, Op op, Row before, Row after, Position position, Instant sourceTime,
    String transactionId) implements Event {

  public enum Op {
    /** A row read by a snapshot chunk. */
    READ,
    INSERT,
    UPDATE,
    DELETE;

    /** The one-letter code Debezium's envelope uses. */
    public String code() {
      return switch (this) {
        case READ -> "r";
        case INSERT -> "c";
        case UPDATE -> "u";
        case DELETE -> "d";
      };
    }
  }

  public ChangeEvent {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(op, "op");
    if (op == Op.DELETE ? before == null : after == null) {
      throw new IllegalArgumentException(op + " event on " + schema.id() + " lacks its "
          + (op == Op.DELETE ? "before" : "after") + " row");
    }
  }

  public static ChangeEvent read(TableSchema schema, Row row, Position position) {
    return new ChangeEvent(schema, Op.READ, null, row, position, null, null);
  }

  @Override
  public TableId table() {
    return schema.id();
  }

  /** The row as it is after this change, {@code null} after a delete. */
  public Row current() {
    return op == Op.DELETE ? null : after;
  }

  /** The key of the row this event changes (the new key, for an update that changes it). */
  public Key key() {
    return schema.keyOf(op == Op.DELETE ? before : after);
  }
}
