package dev.sluice.cli;

import dev.sluice.core.SluiceException;
import dev.sluice.core.runtime.Supervisor;
import dev.sluice.pipeline.ConnectorCatalog;
import dev.sluice.pipeline.PipelineDef;
import dev.sluice.pipeline.PipelineFile;
import dev.sluice.pipeline.PipelineFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice lake <jdbc-url> [<warehouse-dir>]}: a whole database into Apache Iceberg in one
 * command. It writes an ordinary pipeline file beside the warehouse ({@link LakePipeline}), checks it
 * and connects to both ends as {@code sluice validate} does, then runs it as {@code sluice run} does.
 */
@Command(name = "lake", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Copy every table of a MySQL, MariaDB or PostgreSQL database into Apache Iceberg tables in a "
        + "local warehouse (embedded SQLite catalog), then keep them in sync from the change log.",
        "Writes the pipeline file beside the warehouse (<warehouse>-<database>.yaml, to edit and `sluice run` later), "
            + "checks it as `sluice validate` does and runs it as `sluice run` does: Ctrl-C stops cleanly, "
            + "the same command resumes."})
final class Lake implements Callable<Integer> {
  static final String DEFAULT_PASSWORD_VARIABLE = "SLUICE_SOURCE_PASSWORD";

  @Spec CommandLine.Model.CommandSpec spec;
  @Parameters(index = "0", paramLabel = "SOURCE-JDBC-URL",
      description = "jdbc:mysql://host:3306/db, jdbc:mariadb://host:3306/db or jdbc:postgresql://host:5432/db; "
          + "user and password may be in it (user:password@host, or ?user=...&password=...); other parameters "
          + "go to the JDBC driver")
  String url;
  @Parameters(index = "1", arity = "0..1", paramLabel = "WAREHOUSE-DIR", defaultValue = "lake",
      description = "the Iceberg warehouse directory (default: ${DEFAULT-VALUE})")
  Path warehouse;
  @Option(names = "--user", paramLabel = "USER", description = "the source user, when the URL names none")
  String user;
  @Option(names = "--password-env", paramLabel = "VAR", defaultValue = DEFAULT_PASSWORD_VARIABLE,
      description = "environment variable holding the password, when the URL holds none; the pipeline file takes "
          + "the password from it (default: ${DEFAULT-VALUE}; then MYSQL_PWD or PGPASSWORD)")
  String passwordVariable;
  @Option(names = "--tables", paramLabel = "PATTERNS",
      description = "the tables to copy, as the source's tables option (default: every table of the database)")
  String tables;
  @Option(names = "--commit-interval", defaultValue = "60s", paramLabel = "DURATION",
      converter = dev.sluice.cli.demo.Demo.DurationConverter.class,
      description = "time between Iceberg commits, each one per table carrying the checkpoint (default: ${DEFAULT-VALUE})")
  java.time.Duration commitInterval;
  @Option(names = "--parallelism", defaultValue = "4", paramLabel = "N",
      description = "snapshot chunk readers (default: ${DEFAULT-VALUE})")
  int parallelism;
  @Option(names = "--no-run", description = "write and check the pipeline file, then stop without running it")
  boolean noRun;
  /** The running pipeline's supervisor; tests stop it as a signal would. */
  volatile Supervisor running;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ConnectorCatalog catalog = ConnectorCatalog.fromClassPath();
    LakePipeline plan;
    Map<String, String> env;
    PipelineDef def;
    try {
      SourceUrl source = SourceUrl.parse(url);
      if (parallelism < 1) {
        throw new IllegalArgumentException("--parallelism must be at least 1");
      }
      env = new HashMap<>(System.getenv());
      source = withCredentials(source, env);
      if (!catalog.sinks().containsKey("iceberg") || !catalog.sources().containsKey(source.sourceType())) {
        throw new IllegalArgumentException("this build has no iceberg sink or no " + source.sourceType()
            + " source; run the distribution (./sluice lake ...)");
      }
      plan = new LakePipeline(source, warehouse.toAbsolutePath().normalize(), passwordVariable, tables,
          commitInterval.toMillis() % 1000 == 0 ? commitInterval.toSeconds() + "s" : commitInterval.toMillis() + "ms",
          parallelism);
      say(out, source.sourceType() + " database " + source.database() + " at " + source.host() + ":" + source.port()
          + " as " + source.user() + " -> Iceberg tables in " + plan.warehouse());
      writeFile(plan, out);
      def = PipelineFile.parse(plan.file().toString(), Files.readString(plan.file()), env, catalog);
    } catch (IllegalArgumentException | PipelineFileException | SluiceException | IOException e) {
      return refuse(e.getMessage());
    }
    if (!Sluice.connect(def, catalog, spec)) {
      return refuse("fix the above, then run the same command again");
    }
    if (noRun) {
      say(out, "pipeline file " + plan.file() + " checked; run it with `sluice run " + plan.file() + "`");
      return 0;
    }
    PipelineBuilder builder;
    try {
      builder = new PipelineBuilder(def, catalog, Path.of(""));
      builder.startupMode();
    } catch (PipelineFileException | SluiceException e) {
      return refuse(e.getMessage());
    }
    say(out, "running pipeline " + builder.id() + " (a snapshot of every table, then the change log); Ctrl-C stops "
        + "it cleanly and the same command resumes");
    return Sluice.runInForeground(spec, builder, s -> running = s);
  }

  /**
   * The URL's user unless {@code --user} names one; the password from the URL, else the variable of
   * {@code --password-env}, else the source's own client variable. A password from the URL reaches
   * the file through the {@code --password-env} variable, set for this run only.
   */
  private SourceUrl withCredentials(SourceUrl source, Map<String, String> env) {
    String who = user != null ? user : source.user();
    if (who == null) {
      throw new IllegalArgumentException("no user to connect as: put it in the URL (jdbc:" + (source.isPostgres()
          ? "postgresql" : source.sourceType()) + "://user@host/" + source.database() + " or ?user=...) or give --user");
    }
    String password = source.password();
    if (password != null) {
      env.put(passwordVariable, password);
    } else if (env.get(passwordVariable) == null) {
      String clientVariable = source.isPostgres() ? "PGPASSWORD" : "MYSQL_PWD";
      if (env.get(clientVariable) != null && passwordVariable.equals(DEFAULT_PASSWORD_VARIABLE)) {
        passwordVariable = clientVariable;
      } else {
        env.put(passwordVariable, ""); // no password anywhere: connect without one
      }
    }
    return new SourceUrl(source.sourceType(), source.host(), source.port(), source.database(), who, password,
        source.driverProperties());
  }

  /**
   * Writes the pipeline file, or keeps the one an earlier run wrote; a file that differs (edited, or
   * written for other arguments) is never overwritten.
   */
  private static void writeFile(LakePipeline plan, PrintWriter out) throws IOException {
    Path file = plan.file();
    String text = plan.yaml();
    try {
      Files.createDirectories(plan.warehouse());
    } catch (IOException e) {
      throw new IOException("cannot create the warehouse directory " + plan.warehouse() + ": " + e.getMessage(), e);
    }
    if (Files.exists(file)) {
      if (!Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
        throw new IllegalArgumentException(file + " exists and differs from the file this command writes (edited, "
            + "or written for other arguments): run it with `sluice run " + file + "`, or delete it to have it "
            + "written again");
      }
      say(out, "pipeline file " + file + " (written by an earlier run; its checkpoint decides where this run starts)");
      return;
    }
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot write the pipeline file " + file + ": " + e.getMessage(), e);
    }
    say(out, "wrote the pipeline file " + file);
  }

  private int refuse(String message) {
    spec.commandLine().getOut().flush();
    PrintWriter err = spec.commandLine().getErr();
    err.println("sluice lake: " + message);
    err.flush();
    return 2;
  }

  private static void say(PrintWriter out, String line) {
    out.println("sluice lake: " + line);
    out.flush();
  }
}
