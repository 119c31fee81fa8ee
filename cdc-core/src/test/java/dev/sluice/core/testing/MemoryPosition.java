package dev.sluice.core.testing;

import dev.sluice.core.event.Position;

/** A position in the {@link MemoryDatabase} log: the sequence number of an entry (0 = before any). */
public record MemoryPosition(long seq) implements Position {

  @Override
  public String encode() {
    return Long.toString(seq);
  }
}
