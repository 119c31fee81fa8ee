package dev.sluice.cli;

import dev.sluice.core.SluiceException;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.option.Option;
import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.StartupMode;
import dev.sluice.core.runtime.Supervisor;
import dev.sluice.core.snapshot.Reconciler;
import dev.sluice.pipeline.ConnectorCatalog;
import dev.sluice.pipeline.PipelineDef;
import dev.sluice.pipeline.PipelineFile;
import dev.sluice.pipeline.PipelineFileException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code sluice} command. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "sluice 0.1.0",
    description = "Change-data-capture pipelines: snapshot a database in parallel, then follow its change log.",
    subcommands = {Sluice.Run.class, Sluice.Serve.class, Sluice.Validate.class, Sluice.Describe.class,
        dev.sluice.cli.demo.Demo.class, Lake.class})
public final class Sluice implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Sluice's own log lines at INFO; the libraries under it (Debezium, Kafka clients) only when
    // something is wrong. Either can be changed with the same system properties on the command line.
    setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    setDefault("org.slf4j.simpleLogger.log.dev.sluice", "info");
    setDefault("org.slf4j.simpleLogger.showDateTime", "true");
    setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    // The binlog client logs through java.util.logging; the same rule for it.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    System.exit(execute(args));
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  static int execute(String... args) {
    return new CommandLine(new Sluice()).execute(args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  /** Prints a configuration problem as the user should see it: no stack, exit code 2. */
  static int refuse(CommandLine.Model.CommandSpec spec, RuntimeException e) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(e.getMessage());
    err.flush();
    return 2;
  }

  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run one pipeline in the foreground until Ctrl-C or SIGTERM.")
  static final class Run implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "PIPELINE.yaml") Path file;
    /** The running pipeline's supervisor; tests stop it as a signal would. */
    volatile Supervisor running;

    @Override
    public Integer call() throws Exception {
      PipelineBuilder builder;
      try {
        PipelineDef def = PipelineFile.load(file);
        builder = new PipelineBuilder(def, ConnectorCatalog.fromClassPath(), Path.of(""));
        builder.startupMode(); // refuse a bad file before anything starts
      } catch (PipelineFileException | SluiceException e) {
        return refuse(spec, e);
      }
      return runInForeground(spec, builder, s -> running = s);
    }
  }

  /**
   * Runs a pipeline until it ends, Ctrl-C or SIGTERM, printing its progress line; the shutdown hook
   * stops it cleanly (checkpoint saved). Returns the exit code: 0 after a clean stop, 1 after a failure.
   */
  static int runInForeground(CommandLine.Model.CommandSpec spec, PipelineBuilder builder,
      java.util.function.Consumer<Supervisor> started) throws InterruptedException {
    // Under a supervisor like every served pipeline: a lost connection (or a replication slot still
    // held by the process a crash left behind) is retried with backoff, from the last checkpoint.
    Supervisor supervisor = new Supervisor(builder.id(), builder::build, Supervisor.RetryPolicy.DEFAULT);
    // Ctrl-C and SIGTERM stop the pipeline while the JVM is still whole; the hook covers other ends.
    java.util.concurrent.atomic.AtomicBoolean stopAsked = new java.util.concurrent.atomic.AtomicBoolean();
    Signals.onInterrupt(() -> {
      stopAsked.set(true);
      supervisor.stop();
    });
    Thread hook = new Thread(() -> {
      supervisor.stop();
      boolean ended = false;
      try {
        ended = supervisor.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // A JVM ended by a signal exits 143 whatever its hooks did; a clean stop on SIGTERM is a
      // success, so say so.
      System.err.println("sluice: " + (ended ? "stopped cleanly, checkpoint saved" : "did not stop within 60 s"));
      System.err.flush();
      Runtime.getRuntime().halt(ended && supervisor.failure().isEmpty() ? 0 : 1);
    }, "sluice-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    started.accept(supervisor.start());
    ProgressLine progress = new ProgressLine();
    boolean terminal = System.console() != null;
    PrintWriter err = spec.commandLine().getErr();
    long every = terminal ? 1 : 10;
    while (!supervisor.await(every, TimeUnit.SECONDS)) {
      supervisor.current().ifPresent(p -> {
        String line = progress.render(p.status());
        err.print(terminal ? "\r\033[K" + line : line + "\n");
        err.flush();
      });
    }
    supervisor.current().ifPresent(p -> err.println((terminal ? "\r\033[K" : "") + progress.render(p.status())));
    supervisor.failure().ifPresent(e -> err.println("sluice: " + e.getMessage()));
    if (stopAsked.get() && supervisor.failure().isEmpty()) {
      err.println("sluice: stopped cleanly, checkpoint saved");
    }
    err.flush();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it stopped the pipeline
    }
    return supervisor.failure().isPresent() ? 1 : 0;
  }

  @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run every pipeline file of a directory as a daemon with a REST API.")
  static final class Serve implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Option(names = "--pipelines", required = true, paramLabel = "DIR",
        description = "directory of pipeline files (*.yaml)") Path dir;
    @CommandLine.Option(names = "--port", defaultValue = "8484", description = "REST API port (0: any free port)") int port;
    @CommandLine.Option(names = "--bind", defaultValue = "127.0.0.1", description = "REST API address") String host;
    @CommandLine.Option(names = "--token-env", defaultValue = "SLUICE_API_TOKEN",
        description = "environment variable holding the API's bearer token (unset: no token)") String tokenEnv;
    /** The running daemon; tests close it as a signal would. */
    volatile Daemon daemon;

    @Override
    public Integer call() throws Exception {
      try {
        daemon = new Daemon(dir, host, port, System.getenv(tokenEnv), Supervisor.RetryPolicy.DEFAULT);
      } catch (IllegalArgumentException e) {
        return refuse(spec, e);
      }
      Daemon d = daemon;
      // Ctrl-C and SIGTERM close the daemon while the JVM is still whole (see Signals); the hook
      // covers the other ways a JVM ends.
      Signals.onInterrupt(d::close);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        d.close();
        Runtime.getRuntime().halt(0); // a clean stop on SIGTERM is a success (see run)
      }, "sluice-shutdown"));
      spec.commandLine().getOut().println("sluice serve: " + d.managers().size() + " pipeline(s), REST API on "
          + host + ":" + d.port());
      spec.commandLine().getOut().flush();
      d.awaitClosed();
      return 0;
    }
  }

  @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a pipeline file, then connect to its source and sink.")
  static final class Validate implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "PIPELINE.yaml") Path file;

    @Override
    public Integer call() {
      PipelineDef def;
      try {
        def = PipelineFile.load(file);
      } catch (PipelineFileException | SluiceException e) {
        return refuse(spec, e);
      }
      return connect(def, ConnectorCatalog.fromClassPath(), spec) ? 0 : 2;
    }
  }

  /**
   * Connects to a checked file's source and sink, saying for each whether it is fit or what is wrong;
   * returns whether both are.
   */
  static boolean connect(PipelineDef def, ConnectorCatalog catalog, CommandLine.Model.CommandSpec spec) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String file = def.file();
    int problems = 0;
    // Both ends are checked even when one fails, so one run shows everything to fix.
    try (var source = catalog.sources().get(def.source().type()).create(def.source().options())) {
      out.println(file + ": source " + def.source().type() + " reachable, settings and privileges fit for CDC, "
          + source.tables().size() + " table(s) captured");
      problems += keylessTables(def, catalog, source.tables(), out, err);
    } catch (RuntimeException e) {
      err.println(file + ": source: " + e.getMessage());
      problems++;
    }
    try (var sink = catalog.sinks().get(def.sink().type()).create(def.sink().options(), def.name())) {
      out.println(file + ": sink " + def.sink().type() + " reachable");
    } catch (Exception e) {
      err.println(file + ": sink: " + e.getMessage());
      problems++;
    }
    out.flush();
    err.flush();
    return problems == 0;
  }

  /**
   * Says of each captured table without a key what a start would do with it (refuse it in
   * exactly-once delivery, read it whole in at-least-once), when the start snapshots; returns the
   * number refused.
   */
  private static int keylessTables(PipelineDef def, ConnectorCatalog catalog, List<TableSchema> tables, PrintWriter out,
      PrintWriter err) {
    PipelineBuilder builder = new PipelineBuilder(def, catalog, Path.of("."), List.of());
    StartupMode mode = builder.startupMode();
    if (mode != StartupMode.INITIAL && mode != StartupMode.SNAPSHOT_ONLY) {
      return 0; // no snapshot, so nothing is read by key
    }
    boolean atLeastOnce = builder.delivery() == Delivery.AT_LEAST_ONCE;
    int refused = 0;
    for (TableSchema table : tables) {
      var keyless = Reconciler.keylessTable(table, atLeastOnce);
      if (keyless.isPresent() && keyless.get().refused()) {
        err.println(def.file() + ": source: " + keyless.get().message());
        refused++;
      } else if (keyless.isPresent()) {
        out.println(def.file() + ": warning: " + keyless.get().message());
      }
    }
    return refused;
  }

  @Command(name = "describe", mixinStandardHelpOptions = true, description = "List the options of a source or sink type.")
  static final class Describe implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "TYPE") String type;

    @Override
    public Integer call() {
      ConnectorCatalog catalog = ConnectorCatalog.fromClassPath();
      PrintWriter out = spec.commandLine().getOut();
      boolean found = false;
      if (catalog.sources().containsKey(type)) {
        print(out, "source " + type + ": " + catalog.sources().get(type).description(), catalog.sources().get(type).options());
        found = true;
      }
      if (catalog.sinks().containsKey(type)) {
        print(out, "sink " + type + ": " + catalog.sinks().get(type).description(), catalog.sinks().get(type).options());
        found = true;
      }
      if (!found) {
        spec.commandLine().getErr().println("unknown connector type '" + type + "'; sources: "
            + catalog.sources().keySet() + ", sinks: " + catalog.sinks().keySet());
        return 2;
      }
      out.flush();
      return 0;
    }

    private static void print(PrintWriter out, String title, List<Option<?>> options) {
      out.println(title);
      for (Option<?> o : options) {
        out.printf("  %-45s %-10s %s%s%s%n", o.name() + (o.isPrefix() ? "*" : ""), o.type(),
            o.required() ? "(required) " : "", o.defaultValue() == null ? "" : "[default " + o.defaultValue() + "] ",
            o.description());
      }
    }
  }
}
