package dev.sluice.source.postgres;

import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import dev.sluice.core.source.Source;
import dev.sluice.core.source.SourceFactory;
import java.util.List;

/** Registers the {@code postgres} source type. */
public final class PostgresSourceFactory implements SourceFactory {

  @Override
  public String type() {
    return "postgres";
  }

  @Override
  public String description() {
    return "PostgreSQL 10+: parallel lock-free snapshot, then logical replication (pgoutput) through Debezium";
  }

  @Override
  public List<Option<?>> options() {
    return PostgresOptions.ALL;
  }

  @Override
  public Source create(Options options) {
    return new PostgresSource(PostgresConfig.from(options));
  }
}
