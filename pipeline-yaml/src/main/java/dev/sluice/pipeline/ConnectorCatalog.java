package dev.sluice.pipeline;

import dev.sluice.core.sink.SinkFactory;
import dev.sluice.core.source.SourceFactory;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The connector types on the class path, found through {@link ServiceLoader}. */
public record ConnectorCatalog(Map<String, SourceFactory> sources, Map<String, SinkFactory> sinks) {

  public ConnectorCatalog {
    sources = Map.copyOf(sources);
    sinks = Map.copyOf(sinks);
  }

  public static ConnectorCatalog fromClassPath() {
    Map<String, SourceFactory> sources = new TreeMap<>();
    ServiceLoader.load(SourceFactory.class).forEach(f -> sources.put(f.type(), f));
    Map<String, SinkFactory> sinks = new TreeMap<>();
    ServiceLoader.load(SinkFactory.class).forEach(f -> sinks.put(f.type(), f));
    return new ConnectorCatalog(sources, sinks);
  }
}
