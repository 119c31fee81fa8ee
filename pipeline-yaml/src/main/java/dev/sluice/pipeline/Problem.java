package dev.sluice.pipeline;

/**
 * One fault in a pipeline file, where it is ({@code file:line:column}, 1-based) and at which option
 * path ({@code source.port}), and what was expected.
 */
public record Problem(String file, int line, int column, String path, String message) {

  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
