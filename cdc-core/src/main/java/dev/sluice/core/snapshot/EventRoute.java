package dev.sluice.core.snapshot;

/**
 * What the rules of a table in snapshot make of one of its log events, as far as its chunks can
 * tell; the {@link Reconciler} does the waiting and the visibility check the answer asks for.
 */
enum EventRoute {
  /** Emitted, applied in a chunk's window, or deferred behind a whole-table read: nothing more to do. */
  DONE,
  /** The chunk's window is opening or its rows are being read: wait for a change and ask again. */
  AWAIT_ROWS,
  /** At or before the chunk's low watermark: its SELECT sees the change. */
  SEEN,
  /** In no chunk yet: the chunk's future SELECT will see the change once it is visible to new reads. */
  NOT_READ
}
