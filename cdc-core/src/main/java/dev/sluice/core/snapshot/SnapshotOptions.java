package dev.sluice.core.snapshot;

/**
 * Bounds of the parallel snapshot.
 *
 * @param parallelism chunk reader threads
 * @param chunkSize rows a planned chunk aims at
 * @param maxBufferedRows rows held in memory at once by all chunks being read or waiting for their
 *     high watermark; with {@code maxBufferedBytes} the engine's whole snapshot memory bound
 * @param maxBufferedBytes estimated bytes of those rows
 */
public record SnapshotOptions(int parallelism, int chunkSize, long maxBufferedRows, long maxBufferedBytes) {

  public static final SnapshotOptions DEFAULTS = of(4, 8192);

  public SnapshotOptions {
    if (parallelism < 1) {
      throw new IllegalArgumentException("snapshot parallelism must be at least 1, got " + parallelism);
    }
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunk size must be at least 1 row, got " + chunkSize);
    }
    if (maxBufferedRows < 2L * chunkSize) {
      throw new IllegalArgumentException("buffer of " + maxBufferedRows + " rows cannot hold one chunk of up to "
          + 2L * chunkSize + " rows; raise it or lower the chunk size");
    }
    if (maxBufferedBytes < 1) {
      throw new IllegalArgumentException("buffer bytes must be positive, got " + maxBufferedBytes);
    }
  }

  /** Room for two chunks per reader, and 256 MiB. */
  public static SnapshotOptions of(int parallelism, int chunkSize) {
    return new SnapshotOptions(parallelism, chunkSize, 4L * chunkSize * parallelism, 256L << 20);
  }

  /**
   * Most rows one chunk may hold: a chunk read stops there (the rest becomes a new chunk), and a
   * buffered chunk that grows past it through inserts in its window gives its top keys back.
   */
  public int maxChunkRows() {
    return (int) Math.min(Integer.MAX_VALUE, 2L * chunkSize);
  }

  /** Chunks in memory at once (reading or buffered); at least one. */
  public int chunkSlots() {
    return (int) Math.max(1, maxBufferedRows / maxChunkRows());
  }

  public long maxChunkBytes() {
    return Math.max(1, maxBufferedBytes / chunkSlots());
  }
}
