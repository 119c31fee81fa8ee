package dev.sluice.core.transform;

import dev.sluice.core.event.Event;

/**
 * The route/transform stage between the reconciler and the sink: renames tables, projects and
 * filters rows, adds metadata columns. Runs on the pipeline thread, one event at a time, in order.
 */
@FunctionalInterface
public interface EventTransform {

  EventTransform IDENTITY = e -> e;

  /** The event to write instead of {@code event}, or {@code null} to drop it. */
  Event apply(Event event);

  default EventTransform andThen(EventTransform next) {
    return e -> {
      Event out = apply(e);
      return out == null ? null : next.apply(out);
    };
  }
}
