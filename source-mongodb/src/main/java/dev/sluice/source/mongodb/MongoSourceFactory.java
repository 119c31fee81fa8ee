package dev.sluice.source.mongodb;

import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import dev.sluice.core.source.Source;
import dev.sluice.core.source.SourceFactory;
import java.util.List;

/** Registers the {@code mongodb} source type. */
public final class MongoSourceFactory implements SourceFactory {

  @Override
  public String type() {
    return "mongodb";
  }

  @Override
  public String description() {
    return "MongoDB replica set: parallel _id-range snapshot, then a change stream";
  }

  @Override
  public List<Option<?>> options() {
    return MongoOptions.ALL;
  }

  @Override
  public Source create(Options options) {
    return new MongoSource(MongoConfig.from(options));
  }
}
