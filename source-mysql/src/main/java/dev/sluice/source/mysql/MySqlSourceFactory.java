package dev.sluice.source.mysql;

import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import dev.sluice.core.source.Source;
import dev.sluice.core.source.SourceFactory;
import java.util.List;

/** Registers the {@code mysql} source type (MySQL 8 and MariaDB; {@link Mariadb} registers {@code mariadb}). */
public class MySqlSourceFactory implements SourceFactory {

  @Override
  public String type() {
    return "mysql";
  }

  @Override
  public String description() {
    return "MySQL 8 and MariaDB 10.11+: parallel lock-free snapshot, then the binlog through Debezium";
  }

  @Override
  public List<Option<?>> options() {
    return MySqlOptions.ALL;
  }

  @Override
  public Source create(Options options) {
    return new MySqlSource(MySqlConfig.from(options));
  }

  /** The same source under the name {@code mariadb}; the server flavour is detected either way. */
  public static final class Mariadb extends MySqlSourceFactory {
    @Override
    public String type() {
      return "mariadb";
    }
  }
}
