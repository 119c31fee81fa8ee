package dev.sluice.cli.demo;

import dev.sluice.cli.ForegroundPipeline;
import dev.sluice.cli.Signals;
import dev.sluice.core.SluiceException;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.core.runtime.Supervisor;
import dev.sluice.core.snapshot.TableStatus;
import dev.sluice.pipeline.ConnectorCatalog;
import dev.sluice.pipeline.PipelineFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice demo}: a real PostgreSQL started from the distribution's jars, a sample shop in it
 * with live traffic, and a real pipeline (built from a pipeline file, as {@code sluice run} builds
 * it) copying it into a SQLite file: a parallel snapshot, then the change log. Ctrl-C (or the end
 * of {@code --duration}) stops the traffic, waits until the pipeline has caught up, stops it, and
 * prints each table's row count and checksum on both sides. Everything lives in one directory, so
 * the next run resumes from the checkpoint.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Sync an embedded PostgreSQL with live changes into a SQLite file (or, with --lake, into Apache "
        + "Iceberg tables), then prove the copy equal.")
public final class Demo implements Callable<Integer> {
  static final String PIPELINE = "demo";
  static final String SLOT = "sluice_demo";
  /** The lake's own pipeline and slot, so a SQLite run and a lake run in one directory do not share a checkpoint. */
  static final String LAKE_PIPELINE = "demo-lake";
  static final String LAKE_SLOT = "sluice_demo_lake";
  private static final String QUIET_TYPE_REGISTRY =
      "org.slf4j.simpleLogger.log.io.debezium.connector.postgresql.TypeRegistry";

  @Spec CommandLine.Model.CommandSpec spec;
  @Option(names = "--dir", defaultValue = ".sluice-demo", paramLabel = "DIR",
      description = "where the demo keeps the PostgreSQL data, the SQLite file and the checkpoint (default: ${DEFAULT-VALUE})")
  Path dir;
  @Option(names = "--lake", arity = "0..1", paramLabel = "DIR", fallbackValue = "",
      description = "write the shop into Apache Iceberg tables in the warehouse DIR (default: <dir>/lake) instead of "
          + "a SQLite file; the proof reads them back with Iceberg's generic reader")
  String lake;
  @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "stop by itself after this long (30s, 2min); default: run until Ctrl-C")
  Duration duration;
  @Option(names = "--orders", defaultValue = "250000", paramLabel = "N",
      description = "orders in the sample shop, on the first run (default: ${DEFAULT-VALUE})")
  int orders;
  @Option(names = "--changes-per-second", defaultValue = "200", paramLabel = "N",
      description = "live changes written while the demo runs (default: ${DEFAULT-VALUE})")
  int changesPerSecond;
  @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
      description = "port of the embedded PostgreSQL on 127.0.0.1 (default: any free port)")
  int port;
  @Option(names = "--catch-up-timeout", defaultValue = "120s", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "how long to wait for the pipeline to catch up after the changes stop (default: ${DEFAULT-VALUE})")
  Duration catchUpTimeout;

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  /** The most snapshot rows the pipeline's status showed (sampled while it runs). */
  private long snapshotRows;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return run(dir.toAbsolutePath().normalize(), out);
    } catch (DemoException e) {
      out.flush();
      err.println("sluice demo: " + e.getMessage());
      err.flush();
      return 2;
    }
  }

  private int run(Path home, PrintWriter out) {
    if (orders < 1 || changesPerSecond < 1) {
      throw new DemoException("--orders and --changes-per-second must be at least 1");
    }
    ConnectorCatalog catalog = ConnectorCatalog.fromClassPath();
    String sinkType = lake == null ? "jdbc" : "iceberg";
    if (!catalog.sources().containsKey("postgres") || !catalog.sinks().containsKey(sinkType)) {
      throw new DemoException("this build lacks the postgres source or the " + sinkType
          + " sink; run the distribution (./sluice demo)");
    }
    DemoPostgres.requireWritable(home);
    // The connector's notes about PostgreSQL's own catalog types say nothing to a demo's viewer.
    if (System.getProperty(QUIET_TYPE_REGISTRY) == null) {
      System.setProperty(QUIET_TYPE_REGISTRY, "error");
    }
    Path target = lake == null ? home.resolve("shop.db")
        : lake.isEmpty() ? home.resolve("lake") : Path.of(lake).toAbsolutePath().normalize();
    say(out, "starting PostgreSQL 17 (data in " + home.resolve("postgres") + ")");
    try (DemoPostgres pg = DemoPostgres.start(home.resolve("postgres"), home.resolve("postgres-bin"), port,
        home.resolve("postgres.log"))) {
      say(out, "PostgreSQL is up on 127.0.0.1:" + pg.port());
      prepareShop(pg, out);
      Path file = writePipelineFile(home, pg.port(), target);
      // The lake's checkpoint is in its tables' snapshot summaries, under the catalog.
      boolean resuming = lake == null
          ? Files.exists(home.resolve("checkpoints").resolve(PIPELINE + ".checkpoint.json"))
          : Files.exists(target.resolve("catalog.db"));
      say(out, resuming
          ? "resuming from the checkpoint in " + home.resolve("checkpoints") + ": nothing copied is copied again;"
              + " only the rest of an unfinished snapshot, if any, and the changes since"
          : "no checkpoint yet: a parallel snapshot of the three tables first, then streaming");
      say(out, "pipeline " + file + ": postgres shop.public.{customers,products,orders} -> "
          + (lake == null ? "SQLite " : "Iceberg tables in the warehouse ") + target);
      return syncAndProve(pg, file, target, home, out);
    } catch (IOException e) {
      throw new DemoException("could not stop the embedded PostgreSQL cleanly: " + e.getMessage(), e);
    }
  }

  private void prepareShop(DemoPostgres pg, PrintWriter out) {
    try {
      pg.ensureDatabase(Shop.DATABASE);
      try (Connection c = pg.connect(Shop.DATABASE)) {
        if (Shop.loaded(c)) {
          say(out, "the sample shop of an earlier run is there; keeping it");
          return;
        }
        say(out, "loading the sample shop: " + Shop.CUSTOMER_ROWS + " customers, " + Shop.PRODUCT_ROWS + " products, "
            + orders + " orders");
        long t0 = System.nanoTime();
        Shop.load(c, orders);
        say(out, "loaded in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      }
    } catch (SQLException e) {
      throw new DemoException("could not prepare the sample shop in the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** The demo's pipeline, an ordinary pipeline file: run it with {@code sluice run} too. */
  static String pipelineYaml(int pgPort, Path target, Path checkpoints) {
    return pipelineYaml(pgPort, "a SQLite file", PIPELINE, SLOT, """
          type: jdbc
          url: jdbc:sqlite:%s
        """.formatted(target), checkpoints, "1s", "");
  }

  /**
   * The lake's pipeline: Iceberg tables with the embedded catalog, one commit per table every 5 s,
   * each carrying the checkpoint (exactly once).
   */
  static String lakePipelineYaml(int pgPort, Path warehouse, Path checkpoints) {
    return pipelineYaml(pgPort, "Apache Iceberg tables", LAKE_PIPELINE, LAKE_SLOT, """
          type: iceberg
          warehouse: %s
          commit.interval: 5s
        """.formatted(warehouse), checkpoints, "5s", "  delivery: exactly-once\n");
  }

  private static String pipelineYaml(int pgPort, String what, String name, String slot, String sink, Path checkpoints,
      String interval, String sluiceMore) {
    return """
        # Written by `sluice demo`: the embedded PostgreSQL's sample shop into %s.
        source:
          type: postgres
          hostname: 127.0.0.1
          port: %d
          username: %s
          password: %s
          database-name: %s
          tables: public\\.(customers|products|orders)
          slot.name: %s

        sink:
        %s
        pipeline:
          name: %s
          parallelism: 4

        sluice:
          checkpoint.dir: %s
          checkpoint.interval: %s
        %s""".formatted(what, pgPort, DemoPostgres.USER, DemoPostgres.PASSWORD, Shop.DATABASE, slot, sink, name,
        checkpoints, interval, sluiceMore);
  }

  private Path writePipelineFile(Path home, int pgPort, Path target) {
    Path file = home.resolve(lake == null ? "pipeline.yaml" : "pipeline-lake.yaml");
    String yaml = lake == null ? pipelineYaml(pgPort, target, home.resolve("checkpoints"))
        : lakePipelineYaml(pgPort, target, home.resolve("checkpoints"));
    try {
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DemoException("could not write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  private int syncAndProve(DemoPostgres pg, Path file, Path target, Path home, PrintWriter out) {
    Supervisor supervisor;
    try {
      supervisor = ForegroundPipeline.supervisor(file, home);
    } catch (PipelineFileException | SluiceException e) {
      throw new DemoException("the demo's pipeline file " + file + " was refused: " + e.getMessage(), e);
    }
    ShopWriter writer = new ShopWriter(() -> {
      try {
        return pg.connect(Shop.DATABASE);
      } catch (SQLException e) {
        throw new DemoException("the live changes cannot connect: " + e.getMessage(), e);
      }
    }, changesPerSecond).start();
    Signals.onInterrupt(stopRequested::countDown);
    supervisor.start();
    say(out, "writing about " + changesPerSecond + " changes/s into the shop; "
        + (duration == null ? "Ctrl-C stops and prints the proof" : "stopping after " + duration.toSeconds() + " s"));
    follow(supervisor, out);

    try {
      writer.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.failure() != null) {
      say(out, "the live changes stopped early: " + writer.failure().getMessage());
    }
    say(out, "changes stopped after " + writer.changes() + " live changes; waiting for the pipeline to catch up");
    boolean caughtUp = awaitCatchUp(pg, supervisor);
    sample(supervisor);
    supervisor.stop();
    boolean stopped = await(supervisor);
    say(out, "pipeline " + (stopped ? "stopped, checkpoint saved" : "did not stop within 60 s")
        + (caughtUp ? "" : "; it had not caught up within " + catchUpTimeout.toSeconds() + " s"));
    supervisor.failure().ifPresent(e -> say(out, "pipeline failed: " + e.getMessage()));
    say(out, "snapshot rows read this run: " + snapshotRows);

    boolean equal = Proof.print(pg, copy(target), out);
    if (lake == null) {
      say(out, "the copy is in " + target + "; look at it with any SQLite tool, for example:");
      say(out, "  sqlite3 " + target + " 'SELECT status, count(*) FROM orders GROUP BY status'");
    } else {
      say(out, "the copy is in the Iceberg warehouse " + target + " (catalog " + IcebergCopy.CATALOG_NAME
          + ": the JDBC catalog in " + target.resolve("catalog.db") + "); query it with Spark, Trino, DuckDB or"
          + " Iceberg's Java API, see the README");
    }
    say(out, "run the demo again to resume from its checkpoint; delete " + home + " to start over");
    return equal && supervisor.failure().isEmpty() ? 0 : 1;
  }

  /** Prints the progress line until a stop is asked for. */
  private void follow(Supervisor supervisor, PrintWriter out) {
    Function<PipelineStatus, String> progress = ForegroundPipeline.progressLine();
    boolean terminal = System.console() != null;
    long every = terminal ? 1000 : 5000;
    long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        long wait = Math.min(every, Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        if (stopRequested.await(wait, TimeUnit.MILLISECONDS) || supervisor.await(0, TimeUnit.MILLISECONDS)
            || System.nanoTime() >= deadline) {
          break;
        }
        PipelineStatus status = sample(supervisor);
        if (status != null) {
          String line = progress.apply(status);
          out.print(terminal ? "\r\033[K" + line : line + "\n");
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    PipelineStatus last = sample(supervisor);
    if (last != null) {
      out.println((terminal ? "\r\033[K" : "") + progress.apply(last));
    }
  }

  /** The pipeline's status now, its snapshot rows noted. */
  private PipelineStatus sample(Supervisor supervisor) {
    PipelineStatus s = supervisor.current().map(p -> p.status()).orElse(null);
    if (s != null) {
      snapshotRows = Math.max(snapshotRows, s.tables().stream().mapToLong(TableStatus::rowsRead).sum());
    }
    return s;
  }

  /** Until the replication slot confirms the WAL position of the moment the changes stopped. */
  private boolean awaitCatchUp(DemoPostgres pg, Supervisor supervisor) {
    long deadline = System.nanoTime() + catchUpTimeout.toNanos();
    try (Connection c = pg.connect(Shop.DATABASE)) {
      String lsn = DemoPostgres.currentLsn(c);
      while (System.nanoTime() < deadline) {
        sample(supervisor);
        if (DemoPostgres.confirmed(c, lake == null ? SLOT : LAKE_SLOT, lsn)) {
          return true;
        }
        if (supervisor.await(500, TimeUnit.MILLISECONDS)) {
          return false; // the pipeline ended (failed): it will not catch up
        }
      }
      return false;
    } catch (SQLException e) {
      throw new DemoException("could not read the replication slot's position: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean await(Supervisor supervisor) {
    try {
      return supervisor.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void say(PrintWriter out, String line) {
    out.println("sluice demo: " + line);
    out.flush();
  }

  /** The copy the pipeline wrote, to read back for the proof. */
  private Copy copy(Path target) {
    if (lake != null) {
      return new IcebergCopy(target);
    }
    try {
      return new Copy.Sqlite(target);
    } catch (SQLException e) {
      throw new DemoException("could not open the SQLite file " + target + ": " + e.getMessage(), e);
    }
  }

  /** Durations as pipeline files write them: 500ms, 30s, 5min, 2h. */
  public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return dev.sluice.core.option.Option.duration("duration", "").parse().apply(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
