package dev.sluice.pipeline;

import dev.sluice.core.option.Option;
import java.time.Duration;
import java.util.List;

/** The options of the {@code pipeline} block (Flink CDC's names) and of Sluice's own {@code sluice} block. */
public final class PipelineOptions {
  private PipelineOptions() {}

  public static final Option<String> NAME = Option.string("name", "the pipeline's name; also names its checkpoint");
  public static final Option<Integer> PARALLELISM =
      Option.integer("parallelism", 1, "snapshot chunk readers").withDefault("4");
  public static final Option<String> SCHEMA_CHANGE_BEHAVIOR = Option.oneOf("schema.change.behavior",
      List.of("exception", "evolve", "try_evolve", "lenient", "ignore"),
      "what the sink does with a schema change").withDefault("lenient");
  public static final Option<String> LOCAL_TIME_ZONE =
      Option.string("local-time-zone", "time zone for values without one").withDefault("UTC");

  public static final List<Option<?>> PIPELINE = List.of(NAME, PARALLELISM, SCHEMA_CHANGE_BEHAVIOR, LOCAL_TIME_ZONE);

  public static final Option<String> CHECKPOINT_DIR =
      Option.string("checkpoint.dir", "directory of the file checkpoint store").withDefault("checkpoints");
  public static final Option<Duration> CHECKPOINT_INTERVAL =
      Option.duration("checkpoint.interval", "time between checkpoints").withDefault("10s");
  public static final Option<String> DELIVERY = Option.oneOf("delivery", List.of("at-least-once", "exactly-once"),
      "at-least-once, or exactly-once with a sink that commits checkpoints with its data").withDefault("at-least-once");
  public static final Option<Integer> CHUNK_SIZE =
      Option.integer("snapshot.chunk.size", 1, "rows a snapshot chunk aims at").withDefault("8192");
  public static final Option<Integer> BATCH_SIZE =
      Option.integer("sink.batch.size", 1, "events handed to the sink per write").withDefault("2048");
  public static final Option<Integer> REST_PORT =
      Option.integer("rest.port", 0, "port of the REST API under sluice serve").withDefault("8484");

  public static final List<Option<?>> SLUICE =
      List.of(CHECKPOINT_DIR, CHECKPOINT_INTERVAL, DELIVERY, CHUNK_SIZE, BATCH_SIZE, REST_PORT);
}
