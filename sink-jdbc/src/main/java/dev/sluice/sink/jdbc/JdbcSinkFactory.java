package dev.sluice.sink.jdbc;

import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.sink.SinkFactory;
import java.util.List;

/** Registers the {@code jdbc} sink type. */
public final class JdbcSinkFactory implements SinkFactory {

  @Override
  public String type() {
    return "jdbc";
  }

  @Override
  public String description() {
    return "upserts into PostgreSQL, MySQL or MariaDB tables, with schema evolution and exactly-once commits";
  }

  @Override
  public List<Option<?>> options() {
    return JdbcSinkConfig.OPTIONS;
  }

  @Override
  public Sink create(Options options, String pipelineId) {
    return new JdbcSink(JdbcSinkConfig.from(options), pipelineId);
  }
}
