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
import dev.sluice.pipeline.transform.TransformStage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a validated pipeline file into a runnable {@link Pipeline}: the wiring of every module. */
final class PipelineBuilder {
  private final PipelineDef def;
  private final ConnectorCatalog catalog;
  private final Path baseDir;
  private List<String> addedTables;

  /**
   * With the tables added to this pipeline through the REST API, read from beside its checkpoint, so
   * {@code sluice run} over the same checkpoint captures them as {@code sluice serve} does.
   *
   * @param baseDir where relative paths of the file (the checkpoint directory) are resolved
   */
  PipelineBuilder(PipelineDef def, ConnectorCatalog catalog, Path baseDir) {
    this(def, catalog, baseDir, List.of());
    if (!id().isEmpty()) {
      addedTables = new AddedTables(checkpointDir(), id()).load();
    }
  }

  /** @param addedTables tables added through the REST API, captured besides those the file selects */
  PipelineBuilder(PipelineDef def, ConnectorCatalog catalog, Path baseDir, List<String> addedTables) {
    this.def = def;
    this.catalog = catalog;
    this.baseDir = baseDir;
    this.addedTables = List.copyOf(addedTables);
  }

  /** The pipeline's id: its name in lower case, with anything but letters, digits, '-' and '_' as '-'. */
  String id() {
    return def.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("(^-+|-+$)", "");
  }

  /**
   * The engine's part of the source's {@code scan.startup.mode}, where the source declares that
   * option: {@code initial}, {@code latest-offset} and {@code snapshot} are the engine's to carry out;
   * the modes that start the log at a position the source's own options name ({@code earliest-offset},
   * {@code specific-offset}, {@code timestamp}, {@code committed-offset}) skip the snapshot and ask the
   * source where to start. A source refuses a mode it does not support when it reads its options.
   */
  StartupMode startupMode() {
    for (Option<?> o : catalog.sources().get(def.source().type()).options()) {
      if (o.name().equals("scan.startup.mode")) {
        Object mode = def.source().options().get(o);
        if (mode != null) {
          return switch (mode.toString()) {
            case "latest-offset" -> StartupMode.LATEST_OFFSET;
            case "snapshot" -> StartupMode.SNAPSHOT_ONLY;
            case "earliest-offset", "specific-offset", "timestamp", "committed-offset" -> StartupMode.SOURCE_OFFSET;
            default -> StartupMode.INITIAL;
          };
        }
      }
    }
    return StartupMode.INITIAL;
  }

  /** Flink CDC's sink option for the delivery guarantee, which a sink may declare. */
  private static final String SINK_GUARANTEE = "sink.delivery-guarantee";

  /**
   * Exactly-once when the {@code sluice} block or the sink's own {@code sink.delivery-guarantee} (as
   * in Flink CDC files) asks for it; at-least-once when either asks for that and neither for
   * exactly-once. When neither says, the guarantee the sink declares as its default decides (the
   * Iceberg sink's is exactly-once), else at-least-once.
   */
  Delivery delivery() {
    String pipelineSays = def.sluice().raw(dev.sluice.pipeline.PipelineOptions.DELIVERY.name());
    String sinkSays = def.sink().options().raw(SINK_GUARANTEE);
    if ("exactly-once".equals(pipelineSays) || "exactly-once".equals(sinkSays)) {
      return Delivery.EXACTLY_ONCE;
    }
    if (pipelineSays != null || sinkSays != null) {
      return Delivery.AT_LEAST_ONCE;
    }
    String sinkDefault = catalog.sinks().get(def.sink().type()).options().stream()
        .filter(x -> x.name().equals(SINK_GUARANTEE)).map(x -> x.defaultValue()).findFirst().orElse(null);
    return "exactly-once".equals(sinkDefault) ? Delivery.EXACTLY_ONCE : Delivery.AT_LEAST_ONCE;
  }

  /** The sink's options, told of exactly-once where the sink declares the guarantee option. */
  private dev.sluice.core.option.Options sinkOptions(Delivery delivery) {
    dev.sluice.core.option.Options o = def.sink().options();
    boolean declares = catalog.sinks().get(def.sink().type()).options().stream()
        .anyMatch(x -> x.name().equals(SINK_GUARANTEE));
    return declares && o.raw(SINK_GUARANTEE) == null
        ? o.with(SINK_GUARANTEE, delivery == Delivery.EXACTLY_ONCE ? "exactly-once" : "at-least-once") : o;
  }

  /**
   * Rows per snapshot chunk: the source's own {@code scan.incremental.snapshot.chunk.size} when a
   * Flink CDC file sets it, else the {@code sluice} block's {@code snapshot.chunk.size}.
   */
  int chunkSize() {
    String fromSource = def.source().options().raw("scan.incremental.snapshot.chunk.size");
    if (fromSource != null) {
      return Integer.parseInt(fromSource.trim());
    }
    return def.sluice().get(dev.sluice.pipeline.PipelineOptions.CHUNK_SIZE);
  }

  /** The option of a source that lists its captured tables as patterns; tables are added to it. */
  static final String TABLES = "tables";

  /** Whether the source selects its tables with a {@code tables} option, so tables can be added. */
  boolean sourceHasTables() {
    return catalog.sources().get(def.source().type()).options().stream().anyMatch(o -> o.name().equals(TABLES));
  }

  /** The source's options with {@code extra} tables (and the added ones) appended to {@code tables}. */
  dev.sluice.core.option.Options sourceOptions(List<String> extra) {
    dev.sluice.core.option.Options o = def.source().options();
    List<String> more = new ArrayList<>(addedTables);
    more.addAll(extra);
    if (more.isEmpty()) {
      return o;
    }
    if (!sourceHasTables()) {
      throw new ConfigurationException("pipeline " + id() + " has added tables " + more + " but its source type '"
          + def.source().type() + "' has no 'tables' option; remove them with DELETE /pipelines/" + id()
          + "/tables/{name}");
    }
    StringBuilder tables = new StringBuilder(o.raw(TABLES) == null ? "" : o.raw(TABLES));
    for (String t : more) {
      tables.append(tables.length() == 0 ? "" : ",").append(AddedTables.exactPattern(t));
    }
    return o.with(TABLES, tables.toString());
  }

  /** A source as the pipeline would build it, with {@code extra} tables added, to ask which it captures. */
  Source probeSource(List<String> extra) {
    return catalog.sources().get(def.source().type()).create(sourceOptions(extra));
  }

  /** The tables added through the REST API that this builder applies. */
  List<String> addedTables() {
    return addedTables;
  }

  /** Where the checkpoint, and the list of added tables beside it, are kept. */
  Path checkpointDir() {
    return baseDir.resolve(def.sluice().get(dev.sluice.pipeline.PipelineOptions.CHECKPOINT_DIR));
  }

  Pipeline build() {
    String id = id();
    Source source = catalog.sources().get(def.source().type()).create(sourceOptions(List.of()));
    Delivery delivery = delivery();
    Sink sink;
    try {
      sink = catalog.sinks().get(def.sink().type()).create(sinkOptions(delivery), id);
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
    int parallelism = def.pipeline().get(dev.sluice.pipeline.PipelineOptions.PARALLELISM);
    int chunkSize = chunkSize();
    PipelineOptions options = new PipelineOptions(SnapshotOptions.of(parallelism, chunkSize),
        def.sluice().get(dev.sluice.pipeline.PipelineOptions.BATCH_SIZE),
        def.sluice().get(dev.sluice.pipeline.PipelineOptions.CHECKPOINT_INTERVAL), delivery, startupMode());
    Path checkpoints = checkpointDir();
    if (id.isEmpty()) {
      throw new ConfigurationException(def.file() + ": pipeline name '" + def.name()
          + "' has no letter or digit to name its checkpoint by; set pipeline.name");
    }
    return new Pipeline(id, source, sink, new FileCheckpointStore(checkpoints, id), options,
        new TransformStage(def.transforms()).andThen(new RouteTransform(def.routes()))).ownsConnectors();
  }
}
