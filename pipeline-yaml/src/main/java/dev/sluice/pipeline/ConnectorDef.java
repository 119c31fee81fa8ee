package dev.sluice.pipeline;

import dev.sluice.core.option.Options;
import java.util.Objects;

/**
 * A validated {@code source} or {@code sink} block: the connector type, an optional display name,
 * and its options checked against the connector's declarations. {@link #toString()} masks secrets.
 */
public record ConnectorDef(String type, String name, Options options) {

  public ConnectorDef {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(options, "options");
  }

  @Override
  public String toString() {
    return type + (name == null ? "" : " '" + name + "'") + " " + options;
  }
}
