package dev.sluice.cli;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.checkpoint.TableProgress;
import dev.sluice.core.option.Option;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.source.Source;
import dev.sluice.core.runtime.Pipeline;
import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.core.runtime.Supervisor;
import dev.sluice.core.runtime.Supervisor.RetryPolicy;
import dev.sluice.pipeline.ConnectorCatalog;
import dev.sluice.pipeline.PipelineDef;
import dev.sluice.pipeline.PipelineFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One pipeline file under {@code sluice serve}: loads it, runs it under a {@link Supervisor} (so a
 * lost connection is retried, isolated from the other pipelines), and carries out the REST API's
 * actions. A file that does not validate is kept as a failed pipeline with its error.
 */
final class PipelineManager {
  enum Phase { RUNNING, PAUSED, FAILED, STOPPED }

  private final Path file;
  private final ConnectorCatalog catalog;
  private final RetryPolicy retry;
  private PipelineDef def;
  private String id;
  private Supervisor supervisor;
  private Phase phase = Phase.STOPPED;
  private String loadError;
  private AddedTables added;
  private List<String> addedTables = List.of();
  private final History history = new History();

  PipelineManager(Path file, ConnectorCatalog catalog, RetryPolicy retry) {
    this.file = file;
    this.catalog = catalog;
    this.retry = retry;
    this.id = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
  }

  synchronized String id() {
    return id;
  }

  synchronized void start() {
    try {
      def = PipelineFile.load(file);
      PipelineBuilder builder = new PipelineBuilder(def, catalog, file.toAbsolutePath().getParent());
      id = builder.id();
      added = new AddedTables(builder.checkpointDir(), id);
      addedTables = builder.addedTables();
      loadError = null;
      supervisor = new Supervisor(id, builder::build, retry).start();
      phase = Phase.RUNNING;
    } catch (RuntimeException e) {
      loadError = e.getMessage();
      phase = Phase.FAILED;
    }
  }

  /** Stops cleanly (drain, flush, checkpoint) and stays stopped until {@link #resume()}. */
  synchronized void pause() throws InterruptedException {
    stopSupervisor();
    phase = Phase.PAUSED;
  }

  synchronized void resume() {
    if (phase != Phase.RUNNING) {
      start();
    }
  }

  /** Reloads the file and starts again from the checkpoint. */
  synchronized void restart() throws InterruptedException {
    stopSupervisor();
    start();
  }

  /**
   * Reads one table again from the start, leaving the others as they are: stops, marks the table as
   * not snapshotted in the checkpoint, starts. The table resumes like a crashed snapshot, so rows
   * deleted meanwhile are deleted from the sink too (at-least-once).
   */
  synchronized void resnapshot(TableId table) throws InterruptedException {
    Optional<Pipeline> running = supervisor == null ? Optional.empty() : supervisor.current();
    if (running.isEmpty()) {
      throw new IllegalStateException("pipeline " + id + " is not running; resume it first");
    }
    CheckpointStore store = running.get().checkpointStore();
    stopSupervisor();
    Checkpoint cp = store.load().orElseThrow(() -> new IllegalStateException("pipeline " + id + " has no checkpoint yet"));
    if (!cp.tables().containsKey(table)) {
      start();
      throw new IllegalArgumentException("pipeline " + id + " does not capture table " + table + "; it captures "
          + cp.tables().keySet());
    }
    Map<TableId, TableProgress> tables = new LinkedHashMap<>(cp.tables());
    tables.put(table, TableProgress.NOT_STARTED);
    store.save(new Checkpoint(cp.pipelineId(), cp.position(), tables, cp.connectorState(), Instant.now()));
    start();
  }

  /**
   * Adds one table to the capture without editing the file: checks that the source has it (with the
   * pipeline stopped, as a PostgreSQL slot admits one reader), keeps it beside the checkpoint and
   * starts again, so the table is snapshotted while the others resume streaming where they were. A
   * paused pipeline stays paused and takes the table when resumed.
   *
   * @return the table's full name, as the source names it
   * @throws ApiException 400 for a malformed name, 409 when the table is captured already or the
   *     source cannot add tables, 422 when the source has no such table
   */
  synchronized String addTable(String name) throws InterruptedException {
    checkName(name);
    PipelineBuilder current = builder();
    if (!current.sourceHasTables()) {
      throw new ApiException(409, "pipeline " + id + ": source type '" + def.source().type()
          + "' selects what it captures without a 'tables' option; edit the file and restart instead");
    }
    for (TableId t : capturedTables(current)) {
      if (AddedTables.answersTo(t, name)) {
        throw new ApiException(409, "pipeline " + id + " already captures table " + t);
      }
    }
    boolean wasRunning = phase == Phase.RUNNING;
    stopSupervisor();
    String found;
    try (Source probe = current.probeSource(List.of(name))) {
      found = probe.tables().stream().map(TableSchema::id).filter(t -> AddedTables.answersTo(t, name))
          .map(TableId::toString).findFirst().orElse(null);
    } catch (RuntimeException e) {
      restartIf(wasRunning);
      throw new ApiException(409, "pipeline " + id + ": cannot list the source's tables to add " + name + ": "
          + MaskedYaml.maskValues(e.getMessage(), secrets()));
    }
    if (found == null) {
      restartIf(wasRunning);
      throw new ApiException(422, "pipeline " + id + ": the source has no table " + name + " that its user can read"
          + (def.source().options().raw("tables.exclude") != null ? " outside tables.exclude" : "")
          + "; check the name (db.table, or schema.table for PostgreSQL)");
    }
    List<String> more = new ArrayList<>(addedTables);
    more.add(found);
    added.save(more);
    restartIf(wasRunning);
    return found;
  }

  /**
   * Takes a table added through the API out of the capture: forgets it, drops it from the checkpoint
   * (so adding it again snapshots it anew rather than missing what changed meanwhile) and starts
   * again. Its rows already in the sink stay there.
   */
  synchronized String removeTable(String name) throws InterruptedException {
    checkName(name);
    PipelineBuilder current = builder();
    String found = addedTables.stream().filter(t -> t.equals(name) || AddedTables.answersTo(TableId.parse(t), name))
        .findFirst().orElseThrow(() -> new ApiException(404, "pipeline " + id + " has no added table " + name
            + "; added: " + addedTables + " (tables the file selects are removed by editing it)"));
    boolean wasRunning = phase == Phase.RUNNING;
    stopSupervisor();
    List<String> fewer = new ArrayList<>(addedTables);
    fewer.remove(found);
    added.save(fewer);
    CheckpointStore store = new FileCheckpointStore(current.checkpointDir(), id);
    store.load().ifPresent(cp -> {
      Map<TableId, TableProgress> tables = new LinkedHashMap<>(cp.tables());
      if (tables.remove(TableId.parse(found)) != null) {
        store.save(new Checkpoint(cp.pipelineId(), cp.position(), tables, cp.connectorState(), Instant.now()));
      }
    });
    addedTables = List.copyOf(fewer);
    restartIf(wasRunning);
    return found;
  }

  private static void checkName(String name) {
    try {
      AddedTables.parse(name);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
  }

  /** The builder of the loaded file with its added tables; refuses a pipeline whose file did not load. */
  private PipelineBuilder builder() {
    if (def == null || loadError != null) {
      throw new ApiException(409, "pipeline " + id + " did not load: " + loadError + "; fix the file and restart");
    }
    return new PipelineBuilder(def, catalog, file.toAbsolutePath().getParent(), addedTables);
  }

  /** What the pipeline captures now: the running tables, and those of its checkpoint. */
  private List<TableId> capturedTables(PipelineBuilder b) {
    List<TableId> out = new ArrayList<>();
    status().ifPresent(s -> s.tables().forEach(t -> out.add(t.table())));
    new FileCheckpointStore(b.checkpointDir(), id).load().ifPresent(cp -> out.addAll(cp.tables().keySet()));
    return out;
  }

  private void restartIf(boolean wasRunning) {
    if (wasRunning) {
      start();
    } else {
      // Not started: only the list describe() shows is read again.
      addedTables = added.load();
    }
  }

  synchronized void stop() throws InterruptedException {
    stopSupervisor();
    phase = Phase.STOPPED;
  }

  private void stopSupervisor() throws InterruptedException {
    if (supervisor != null) {
      supervisor.stop();
      supervisor.await(60, TimeUnit.SECONDS);
      supervisor = null;
    }
  }

  /** What the REST API and the metrics show; secrets never, since no option value is included. */
  synchronized Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", id);
    out.put("file", file.toString());
    Optional<Pipeline> p = supervisor == null ? Optional.empty() : supervisor.current();
    PipelineStatus s = p.map(Pipeline::status).orElse(null);
    String state = phase == Phase.RUNNING && s != null ? s.state().name().toLowerCase() : phase.name().toLowerCase();
    if (phase == Phase.RUNNING && supervisor.failure().isPresent()) {
      state = "failed";
    } else if (phase == Phase.RUNNING && s != null && s.state() == PipelineStatus.State.FAILED) {
      state = "retrying";
    }
    out.put("state", state);
    if (def != null) {
      out.put("source", def.source().type());
      out.put("sink", def.sink().type());
    }
    out.put("addedTables", addedTables);
    String error = loadError != null ? loadError
        : supervisor != null && supervisor.failure().isPresent() ? supervisor.failure().get().getMessage()
        : s != null ? s.error() : null;
    List<String> secrets = secrets();
    out.put("error", MaskedYaml.maskValues(error, secrets));
    out.put("rowsPerSecond", s == null ? 0.0 : Math.round(s.eventsPerSecond() * 10) / 10.0);
    if (s != null) {
      out.put("eventsWritten", s.eventsWritten());
      out.put("checkpoints", s.checkpoints());
      out.put("lastCheckpoint", s.lastCheckpoint() == null ? null : s.lastCheckpoint().toString());
      out.put("lagMillis", s.lagMillis());
      out.put("tables", s.tables().stream().map(t -> {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("table", t.table().toString());
        table.put("phase", t.phase().name().toLowerCase());
        table.put("chunksDone", t.chunksDone());
        table.put("chunksInHand", t.chunksInHand());
        table.put("planComplete", t.planComplete());
        table.put("chunksTotal", t.chunksTotal());
        table.put("chunksTotalEstimated", t.chunksTotalEstimated());
        table.put("rowsRead", t.rowsRead());
        table.put("estimatedRows", t.estimatedRows());
        table.put("lagMillis", s.tableLagMillis().get(t.table())); // null until the table has a change
        table.put("eventsPerSecond", s.tableEventsPerSecond().getOrDefault(t.table(), 0.0));
        // Why the sink stopped writing this table while the pipeline goes on (null: it writes it).
        table.put("sinkError", MaskedYaml.maskValues(s.sinkStoppedTables().get(t.table()), secrets));
        return table;
      }).toList());
    } else {
      out.put("tables", List.of());
    }
    return out;
  }

  /** The running pipeline's status, for metrics. */
  synchronized Optional<PipelineStatus> status() {
    return supervisor == null ? Optional.empty() : supervisor.current().map(Pipeline::status);
  }

  /** Records one point of the throughput and lag history; the daemon calls it every second. */
  void sample(long nowMillis) {
    Optional<PipelineStatus> s = status();
    history.record(nowMillis, s.map(PipelineStatus::eventsPerSecond).orElse(-1.0),
        s.map(PipelineStatus::lagMillis).orElse(-1L));
  }

  /** The last minutes of throughput and lag, oldest first. */
  List<Map<String, Object>> history() {
    return history.points();
  }

  /** The pipeline file as written, secrets masked. */
  synchronized String maskedFile() {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage());
    }
    PipelineDef d = def;
    if (d == null) {
      return MaskedYaml.mask(text, secrets());
    }
    return MaskedYaml.mask(text, (section, key) -> switch (section) {
      case "source" -> d.source().options().isSecret(key);
      case "sink" -> d.sink().options().isSecret(key);
      default -> d.pipeline().isSecret(key);
    }, secrets());
  }

  /** The values of the secret options the file gave (after environment substitution), to mask them anywhere. */
  synchronized List<String> secrets() {
    List<String> out = new ArrayList<>();
    if (def != null) {
      secretValues(def.source().options(), catalog.sources().containsKey(def.source().type())
          ? catalog.sources().get(def.source().type()).options() : List.of(), out);
      secretValues(def.sink().options(), catalog.sinks().containsKey(def.sink().type())
          ? catalog.sinks().get(def.sink().type()).options() : List.of(), out);
    }
    return out;
  }

  private static void secretValues(dev.sluice.core.option.Options given, List<Option<?>> declared, List<String> out) {
    for (Option<?> o : declared) {
      String v = o.secret() && !o.isPrefix() ? given.raw(o.name()) : null;
      if (v != null) {
        out.add(v);
      }
    }
  }
}
