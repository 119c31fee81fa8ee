package dev.sluice.cli;

import dev.sluice.core.event.Position;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TablePattern;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.sink.SinkFactory;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.LogBatch;
import dev.sluice.core.source.Source;
import dev.sluice.core.source.SourceFactory;
import dev.sluice.core.testing.MemoryDatabase;
import dev.sluice.core.testing.MemorySink;
import dev.sluice.core.testing.MemorySource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Test connectors of type "memory", registered like real ones, over databases and sinks a test names. */
final class MemoryConnectors {
  static final Map<String, MemoryDatabase> DATABASES = new ConcurrentHashMap<>();
  static final Map<String, MemorySink> SINKS = new ConcurrentHashMap<>();
  static final Option<String> NAME = Option.string("database", "name of the test database").asRequired();
  static final Option<String> PASSWORD = Option.password("password", "never shown");
  static final Option<String> SINK = Option.string("sink", "name of the test sink").asRequired();
  static final Option<List<String>> TABLES = Option.list("tables", "captured tables (all when unset)");
  static final Option<String> STARTUP = Option.oneOf("scan.startup.mode", List.of("initial", "latest-offset",
      "earliest-offset", "specific-offset", "timestamp", "committed-offset", "snapshot"), "every mode a source may declare");

  private MemoryConnectors() {}

  public static final class Sources implements SourceFactory {
    public String type() {
      return "memory";
    }

    public String description() {
      return "a simulated database for tests";
    }

    public List<Option<?>> options() {
      return List.of(NAME, PASSWORD, TABLES, STARTUP);
    }

    public Source create(Options o) {
      if ("wrong".equals(o.get(PASSWORD))) {
        throw new dev.sluice.core.SluiceException.ConfigurationException(
            "access denied for user 'test' to database " + o.get(NAME) + "; check username and password");
      }
      MemoryDatabase db = DATABASES.get(o.get(NAME));
      if (o.get(TABLES) == null) {
        return new MemorySource(db, 0, true);
      }
      List<TablePattern> patterns = o.tablePatterns("tables", o.get(TABLES));
      return new Selected(db, t -> patterns.stream().anyMatch(p -> p.matches(t)));
    }
  }

  /** A test source that captures every table and has no {@code tables} option, like MongoDB's. */
  public static final class WholeSources implements SourceFactory {
    public String type() {
      return "memory-whole";
    }

    public String description() {
      return "a simulated database for tests, captured whole";
    }

    public List<Option<?>> options() {
      return List.of(NAME);
    }

    public Source create(Options o) {
      return new MemorySource(DATABASES.get(o.get(NAME)), 0, true);
    }
  }

  /** A test database's source that captures, and passes the changes of, only the selected tables. */
  private static final class Selected extends MemorySource {
    private final Predicate<TableId> captured;

    Selected(MemoryDatabase db, Predicate<TableId> captured) {
      super(db, 0, true);
      this.captured = captured;
    }

    @Override
    public List<TableSchema> tables() {
      return super.tables().stream().filter(t -> captured.test(t.id())).toList();
    }

    @Override
    public ChangeLog openLog(Position from, Map<String, String> state) {
      ChangeLog all = super.openLog(from, state);
      return new ChangeLog() {
        @Override
        public LogBatch poll(long timeout, TimeUnit unit) throws InterruptedException {
          LogBatch b = all.poll(timeout, unit);
          return new LogBatch(b.events().stream().filter(e -> captured.test(e.table())).toList(), b.reached());
        }

        @Override
        public Map<String, String> state() {
          return all.state();
        }

        @Override
        public void committed() {
          all.committed();
        }

        @Override
        public void close() {
          all.close();
        }
      };
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
