package dev.sluice.cli;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.checkpoint.TableProgress;
import dev.sluice.core.option.Option;
import dev.sluice.core.event.TableId;
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
    String error = loadError != null ? loadError
        : supervisor != null && supervisor.failure().isPresent() ? supervisor.failure().get().getMessage()
        : s != null ? s.error() : null;
    out.put("error", MaskedYaml.maskValues(error, secrets()));
    out.put("rowsPerSecond", Math.round(history.rowsPerSecond() * 10) / 10.0);
    if (s != null) {
      out.put("eventsWritten", s.eventsWritten());
      out.put("checkpoints", s.checkpoints());
      out.put("lastCheckpoint", s.lastCheckpoint() == null ? null : s.lastCheckpoint().toString());
      out.put("lagMillis", s.lagMillis());
      out.put("tables", s.tables().stream().map(t -> Map.of("table", t.table().toString(),
          "phase", t.phase().name().toLowerCase(), "chunksDone", t.chunksDone(), "chunksInHand", t.chunksInHand(),
          "planComplete", t.planComplete(), "rowsRead", t.rowsRead(), "estimatedRows", t.estimatedRows())).toList());
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
    history.record(nowMillis, s.map(PipelineStatus::eventsWritten).orElse(-1L),
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
