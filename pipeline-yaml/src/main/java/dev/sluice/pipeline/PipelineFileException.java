package dev.sluice.pipeline;

import java.util.List;

/** A pipeline file with one or more faults; the message lists every one, one per line. */
public final class PipelineFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  public PipelineFileException(List<Problem> problems) {
    super(render(problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String render(List<Problem> problems) {
    StringBuilder s = new StringBuilder();
    for (Problem p : problems) {
      s.append(s.length() == 0 ? "" : "\n").append(p);
    }
    return s.toString();
  }
}
