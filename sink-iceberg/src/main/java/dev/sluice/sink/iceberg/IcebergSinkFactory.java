package dev.sluice.sink.iceberg;

import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.sink.SinkFactory;
import java.util.List;

/** Registers the {@code iceberg} sink type. */
public final class IcebergSinkFactory implements SinkFactory {

  @Override
  public String type() {
    return "iceberg";
  }

  @Override
  public String description() {
    return "Apache Iceberg lake tables (embedded JDBC/SQLite, Hadoop or REST catalog): snapshot appends, upserts, "
        + "schema evolution, exactly-once commits";
  }

  @Override
  public List<Option<?>> options() {
    return IcebergSinkConfig.OPTIONS;
  }

  @Override
  public Sink create(Options options, String pipelineId) {
    return new IcebergSink(IcebergSinkConfig.from(options), pipelineId);
  }
}
