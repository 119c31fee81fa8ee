package dev.sluice.cli;

import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.sink.SinkFactory;
import dev.sluice.core.source.Source;
import dev.sluice.core.source.SourceFactory;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySink;
import dev.sluice.core.testing.MemorySource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test connectors of type "memory", registered like real ones, over databases and sinks a test names. */
final class MemoryConnectors {
  static final Map<String, MemoryDatabase> DATABASES = new ConcurrentHashMap<>();
  static final Map<String, MemorySink> SINKS = new ConcurrentHashMap<>();
  static final Option<String> NAME = Option.string("database", "name of the test database").asRequired();
  static final Option<String> PASSWORD = Option.password("password", "never shown");
  static final Option<String> SINK = Option.string("sink", "name of the test sink").asRequired();

  private MemoryConnectors() {}

  public static final class Sources implements SourceFactory {
    public String type() {
      return "memory";
    }

    public String description() {
      return "a simulated database for tests";
    }

    public List<Option<?>> options() {
      return List.of(NAME, PASSWORD);
    }

    public Source create(Options o) {
      if ("wrong".equals(o.get(PASSWORD))) {
        throw new dev.sluice.core.SluiceException.ConfigurationException(
            "access denied for user 'test' to database " + o.get(NAME) + "; check username and password");
      }
      return new MemorySource(DATABASES.get(o.get(NAME)), 0, true);
    }
  }

  public static final class Sinks implements SinkFactory {
    public String type() {
      return "memory";
    }

    public String description() {
      return "rows kept in memory for tests";
    }

    public List<Option<?>> options() {
      return List.of(SINK);
    }

    public Sink create(Options o, String pipelineId) {
      return SINKS.get(o.get(SINK));
    }
  }
}
