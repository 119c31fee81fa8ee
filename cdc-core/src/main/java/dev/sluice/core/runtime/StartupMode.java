package dev.sluice.core.runtime;

/** What a pipeline does on its first start (with no checkpoint); a restart always resumes. */
public enum StartupMode {
  /** Snapshot every table, then follow the log. */
  INITIAL,
  /** Follow the log from now on; no snapshot. */
  LATEST_OFFSET,
  /** Snapshot every table, checkpoint, and stop. */
  SNAPSHOT_ONLY,
  /**
   * Follow the log from the position the source's own options name ({@code Source.startOffset()}: a
   * given offset, a time, the oldest log kept, a replication slot's); no snapshot.
   */
  SOURCE_OFFSET
}
