package dev.sluice.pipeline;

import dev.sluice.core.option.Options;
import java.util.List;

/**
 * A pipeline file, parsed and validated: environment variables substituted, every option checked
 * against its declaration. Only the {@link #toString() masked} form of it is ever shown.
 *
 * @param pipeline the {@code pipeline} block (Flink CDC's keys)
 * @param sluice Sluice's own {@code sluice} block (checkpoints, delivery, REST)
 */
public record PipelineDef(
    String file, String name, ConnectorDef source, ConnectorDef sink, List<Route> routes,
    List<dev.sluice.pipeline.transform.TransformRule> transforms, Options pipeline, Options sluice) {

  @Override
  public String toString() {
    return "pipeline '" + name + "' (" + file + "): source " + source + ", sink " + sink + ", " + routes.size()
        + " route(s), " + transforms.size() + " transform(s), pipeline " + pipeline + ", sluice " + sluice;
  }
}
