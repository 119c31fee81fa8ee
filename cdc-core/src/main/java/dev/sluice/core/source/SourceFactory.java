package dev.sluice.core.source;

import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import java.util.List;

/**
 * Registers a source type ({@code mysql}, {@code postgres}, ...) through {@link java.util.ServiceLoader}.
 * Its option list is the one declaration that pipeline files are validated against.
 */
public interface SourceFactory {

  /** The {@code type} a pipeline file names. */
  String type();

  /** One line on what the source captures. */
  String description();

  List<Option<?>> options();

  /** A source for options already validated against {@link #options()}. */
  Source create(Options options);
}
