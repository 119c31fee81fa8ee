package dev.sluice.core.event;

/**
 * A point in a source's change log (binlog file and offset or GTID set, LSN, resume token). Opaque
 * to the engine: only the source that made it can order it ({@code Source.comparePositions}) and
 * read it back ({@code Source.decodePosition}).
 */
public interface Position {

  /** A stable text form, stored in checkpoints and read back by the same source. */
  String encode();
}
