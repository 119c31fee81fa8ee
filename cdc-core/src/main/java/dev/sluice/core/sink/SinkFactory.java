package dev.sluice.core.sink;

import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import java.util.List;

/**
 * Registers a sink type ({@code kafka}, {@code jdbc}, ...) through {@link java.util.ServiceLoader}.
 * Its option list is the one declaration that pipeline files are validated against.
 */
public interface SinkFactory {

  /** The {@code type} a pipeline file names. */
  String type();

  /** One line on where the sink writes. */
  String description();

  List<Option<?>> options();

  /**
   * A sink for options already validated against {@link #options()}; {@code pipelineId} names its
   * checkpoint where the sink stores checkpoints (exactly-once).
   */
  Sink create(Options options, String pipelineId);
}
