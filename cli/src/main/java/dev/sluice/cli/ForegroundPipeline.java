package dev.sluice.cli;

import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.core.runtime.Supervisor;
import dev.sluice.pipeline.ConnectorCatalog;
import dev.sluice.pipeline.PipelineDef;
import dev.sluice.pipeline.PipelineFile;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A pipeline file made runnable exactly as {@code sluice run} makes it, for commands outside this
 * package ({@code sluice demo}): the same builder, the same supervisor with retries, the same
 * progress line.
 */
public final class ForegroundPipeline {
  private ForegroundPipeline() {}

  /**
   * The supervisor of the pipeline a file describes, not yet started.
   *
   * @throws dev.sluice.pipeline.PipelineFileException or a {@code SluiceException} for a bad file
   */
  public static Supervisor supervisor(Path file, Path baseDir) {
    PipelineDef def = PipelineFile.load(file);
    PipelineBuilder builder = new PipelineBuilder(def, ConnectorCatalog.fromClassPath(), baseDir);
    builder.startupMode(); // refuse a bad file before anything starts
    return new Supervisor(builder.id(), builder::build, Supervisor.RetryPolicy.DEFAULT);
  }

  /** A renderer of the one-line progress {@code sluice run} prints. */
  public static Function<PipelineStatus, String> progressLine() {
    return new ProgressLine()::render;
  }
}
