package dev.sluice.cli;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.option.Option;
import dev.sluice.core.runtime.PipelineOptions;
import dev.sluice.core.runtime.StartupMode;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.snapshot.SnapshotOptions;
import dev.sluice.core.source.Source;
import dev.sluice.pipeline.ConnectorCatalog;
import dev.sluice.pipeline.PipelineDef;
import dev.sluice.pipeline.RouteTransform;
import java.nio.file.Path;
import java.util.Locale;

/** Turns a validated pipeline file into a runnable {@link Pipeline}: the wiring of every module. */
final class PipelineBuilder {
  private final PipelineDef def;
  private final ConnectorCatalog catalog;
  private final Path baseDir;

  /** @param baseDir where relative paths of the file (the checkpoint directory) are resolved */
  PipelineBuilder(PipelineDef def, ConnectorCatalog catalog, Path baseDir) {
    this.def = def;
    this.catalog = catalog;
    this.baseDir = baseDir;
  }

  /** The pipeline's id: its name in lower case, with anything but letters, digits, '-' and '_' as '-'. */
  String id() {
    return def.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("(^-+|-+$)", "");
  }

  /**
   * The engine's part of the source's {@code scan.startup.mode}, where the source declares that
   * option: {@code initial}, {@code latest-offset} and {@code snapshot} are the engine's to carry out;
   * any other mode is the source's own business.
   */
  StartupMode startupMode() {
    for (Option<?> o : catalog.sources().get(def.source().type()).options()) {
      if (o.name().equals("scan.startup.mode")) {
        Object mode = def.source().options().get(o);
        if ("latest-offset".equals(mode)) {
          return StartupMode.LATEST_OFFSET;
        }
        if ("snapshot".equals(mode)) {
          return StartupMode.SNAPSHOT_ONLY;
        }
      }
    }
    return StartupMode.INITIAL;
  }

  Pipeline build() {
    String id = id();
    Source source = catalog.sources().get(def.source().type()).create(def.source().options());
    Sink sink;
    try {
      sink = catalog.sinks().get(def.sink().type()).create(def.sink().options(), id);
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
    int parallelism = def.pipeline().get(dev.sluice.pipeline.PipelineOptions.PARALLELISM);
    int chunkSize = def.sluice().get(dev.sluice.pipeline.PipelineOptions.CHUNK_SIZE);
    Delivery delivery = def.sluice().get(dev.sluice.pipeline.PipelineOptions.DELIVERY).equals("exactly-once")
        ? Delivery.EXACTLY_ONCE : Delivery.AT_LEAST_ONCE;
    PipelineOptions options = new PipelineOptions(SnapshotOptions.of(parallelism, chunkSize),
        def.sluice().get(dev.sluice.pipeline.PipelineOptions.BATCH_SIZE),
        def.sluice().get(dev.sluice.pipeline.PipelineOptions.CHECKPOINT_INTERVAL), delivery, startupMode());
    Path checkpoints = baseDir.resolve(def.sluice().get(dev.sluice.pipeline.PipelineOptions.CHECKPOINT_DIR));
    if (id.isEmpty()) {
      throw new ConfigurationException(def.file() + ": pipeline name '" + def.name()
          + "' has no letter or digit to name its checkpoint by; set pipeline.name");
    }
    return new Pipeline(id, source, sink, new FileCheckpointStore(checkpoints, id), options,
        new RouteTransform(def.routes())).ownsConnectors();
  }
}
