package dev.sluice.core.runtime;

/** What a pipeline does on its first start (with no checkpoint); a restart always resumes. */
public enum StartupMode {
  /** Snapshot every table, then follow the log. */
  INITIAL,
  /** Follow the log from now on; no snapshot. */
  LATEST_OFFSET,
  /** Snapshot every table, checkpoint, and stop. */
  SNAPSHOT_ONLY
}
