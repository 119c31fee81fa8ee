package dev.sluice.core.testing;

import dev.sluice.core.event.Position;

/** A position in the {@link MemoryDatabase} log: the sequence number of an entry (0 = before any). */
public record MemoryPosition(long seq) implements Position {

  @Override
  public String encode() {
    return Long.toString(seq);
  }

  /** The order of two memory positions, for a test source's {@code comparePositions}. */
  public static int compare(Position a, Position b) {
    return Long.compare(((MemoryPosition) a).seq(), ((MemoryPosition) b).seq());
  }

  /** The position {@link #encode} wrote. */
  public static MemoryPosition decode(String encoded) {
    return new MemoryPosition(Long.parseLong(encoded));
  }
}
