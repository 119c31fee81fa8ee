package dev.sluice.core.checkpoint;

import dev.sluice.core.SluiceException.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The embedded default store: one JSON file per pipeline. A save writes a temporary file beside it,
 * forces it to disk, renames it over the old file and forces the directory, so a crash at any point
 * leaves either the old checkpoint or the new one, never a torn file.
 */
public final class FileCheckpointStore implements CheckpointStore {
  private final Path file;
  private final Path temp;
  private final String pipelineId;

  public FileCheckpointStore(Path directory, String pipelineId) {
    this.pipelineId = pipelineId;
    this.file = directory.resolve(pipelineId + ".checkpoint.json");
    this.temp = directory.resolve(pipelineId + ".checkpoint.json.tmp");
  }

  public Path file() {
    return file;
  }

  @Override
  public Optional<Checkpoint> load() {
    // A leftover temp file is a save that crashed before its rename: the old file is the truth.
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(CheckpointJson.read(Files.readAllBytes(file), pipelineId, file.toString()));
    } catch (IOException e) {
      throw new ConfigurationException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void save(Checkpoint checkpoint) {
    if (!checkpoint.pipelineId().equals(pipelineId)) {
      throw new IllegalArgumentException("checkpoint of pipeline " + checkpoint.pipelineId()
          + " given to the store of " + pipelineId);
    }
    replaceDurably(file, temp, CheckpointJson.write(checkpoint));
  }

  /**
   * Replaces {@code file} with {@code bytes} so that a crash leaves the old content or the new, never
   * a torn file: writes {@code temp} beside it, forces it to disk, renames it over {@code file} and
   * forces the directory. Other small state kept next to a checkpoint is saved the same way.
   */
  public static void replaceDurably(Path file, Path temp, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      writeDurably(temp, bytes);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new ConfigurationException("checkpoint directory " + file.getParent()
            + " does not support atomic rename; put checkpoints on a local file system", e);
      }
      forceDirectory(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeDurably(Path path, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  private static void forceDirectory(Path dir) {
    // Makes the rename itself durable. Not every platform can open a directory; the rename is still
    // atomic there, only its durability waits for the file system's own flush.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // best effort, see above
    }
  }
}
