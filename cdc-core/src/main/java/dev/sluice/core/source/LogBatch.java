package dev.sluice.core.source;

import dev.sluice.core.event.Event;
import dev.sluice.core.event.Position;
import java.util.List;
import java.util.Objects;

/**
 * What one poll of the change log returned: events in log order, and {@code reached}, a position
 * such that every event at or before it has now been returned. On an idle log a batch has no events
 * but still moves {@code reached} forward; that is how a snapshot chunk gets released when nothing
 * is being written.
 */
public record LogBatch(List<Event> events, Position reached) {

  public LogBatch {
    events = List.copyOf(events);
    Objects.requireNonNull(reached, "reached");
  }
}
