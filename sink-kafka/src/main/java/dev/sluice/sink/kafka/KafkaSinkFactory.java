package dev.sluice.sink.kafka;

import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.sink.SinkFactory;
import java.util.List;

/**
 * Registers the {@code kafka} sink type. Delivery is the pipeline's choice: whoever builds the sink
 * for a pipeline with exactly-once delivery sets {@code sink.delivery-guarantee=exactly-once}, which
 * makes the sink transactional and gives the pipeline its atomic checkpoint store.
 */
public final class KafkaSinkFactory implements SinkFactory {

  @Override
  public String type() {
    return "kafka";
  }

  @Override
  public String description() {
    return "Kafka topics, one per table, keyed by primary key; Debezium JSON envelope or flat JSON;"
        + " at-least-once or exactly-once";
  }

  @Override
  public List<Option<?>> options() {
    return KafkaSinkOptions.ALL;
  }

  @Override
  public Sink create(Options options, String pipelineId) {
    return new KafkaSink(SinkSettings.from(options, pipelineId));
  }
}
