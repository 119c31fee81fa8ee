package dev.sluice.core.event;

/** What flows from a source to a sink: a row change or a schema change, in log order. */
public sealed interface Event permits ChangeEvent, SchemaChangeEvent {

  TableId table();

  /** Where in the change log this happened; for snapshot rows, the chunk's high watermark. */
  Position position();
}
