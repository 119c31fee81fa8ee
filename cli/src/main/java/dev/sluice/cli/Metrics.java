package dev.sluice.cli;

import dev.sluice.core.runtime.PipelineStatus;
import dev.sluice.core.snapshot.TableStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's Prometheus metrics, read from each pipeline's status at scrape time: events written
 * and per second, checkpoints, lag, and per table its phase and the snapshot's chunks and rows. No
 * option values, so no secrets.
 */
final class Metrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, MultiGauge> chunksDone = new ConcurrentHashMap<>();
  private final Map<String, MultiGauge> chunksTotal = new ConcurrentHashMap<>();
  private final Map<String, MultiGauge> chunksTotalEstimated = new ConcurrentHashMap<>();
  private final Map<String, MultiGauge> phase = new ConcurrentHashMap<>();
  private final Map<String, MultiGauge> rowsRead = new ConcurrentHashMap<>();
  private final Map<String, MultiGauge> tableLag = new ConcurrentHashMap<>();
  private final Map<String, MultiGauge> tableRate = new ConcurrentHashMap<>();

  void register(PipelineManager m) {
    String id = m.id();
    Tags tags = Tags.of("pipeline", id);
    FunctionCounter.builder("sluice.events.written", m, x -> value(x, PipelineStatus::eventsWritten))
        .description("change events written to the sink").tags(tags).register(registry);
    Gauge.builder("sluice.events.per.second", m, x -> x.status().map(PipelineStatus::eventsPerSecond).orElse(0.0))
        .description("change events written to the sink per second, over the last five to six seconds")
        .tags(tags).register(registry);
    FunctionCounter.builder("sluice.checkpoints", m, x -> value(x, PipelineStatus::checkpoints))
        .description("checkpoints saved").tags(tags).register(registry);
    Gauge.builder("sluice.lag", m, x -> value(x, PipelineStatus::lagMillis) / 1000.0).baseUnit("seconds")
        .description("how far behind the source: now minus the commit time of the last change read, 0 when caught up")
        .tags(tags).register(registry);
    Gauge.builder("sluice.sink.stopped.tables", m, x -> x.status().map(s -> s.sinkStoppedTables().size()).orElse(0))
        .description("tables the sink stopped writing (a schema change it could not take); see the status for why")
        .tags(tags).register(registry);
    Gauge.builder("sluice.pipeline.failed", m, x -> "failed".equals(x.describe().get("state")) ? 1 : 0)
        .description("1 when the pipeline stopped for good on an error").tags(tags).register(registry);
    chunksDone.put(id, MultiGauge.builder("sluice.snapshot.chunks.done").description("snapshot chunks finished")
        .register(registry));
    chunksTotal.put(id, MultiGauge.builder("sluice.snapshot.chunks.all")
        .description("snapshot chunks in all: exact once planning is complete, else estimated (-1: unknown yet)")
        .register(registry));
    chunksTotalEstimated.put(id, MultiGauge.builder("sluice.snapshot.chunks.all.estimated")
        .description("1 while sluice_snapshot_chunks_all is an estimate (planning not complete)").register(registry));
    phase.put(id, MultiGauge.builder("sluice.table.phase")
        .description("1 for the table's phase (planning, snapshot, streaming), 0 for the others").register(registry));
    rowsRead.put(id, MultiGauge.builder("sluice.snapshot.rows.read").description("rows read by snapshot chunks")
        .register(registry));
    tableLag.put(id, MultiGauge.builder("sluice.table.lag").baseUnit("seconds")
        .description("commit-to-read latency of the table's last change, 0 when the pipeline is caught up")
        .register(registry));
    tableRate.put(id, MultiGauge.builder("sluice.table.events.per.second")
        .description("the table's events sent to the sink per second, over the last five to six seconds")
        .register(registry));
  }

  private static double value(PipelineManager m, java.util.function.ToLongFunction<PipelineStatus> f) {
    Optional<PipelineStatus> s = m.status();
    return s.map(f::applyAsLong).orElse(0L);
  }

  /** The Prometheus text exposition, per-table gauges refreshed first. */
  String scrape(List<PipelineManager> managers) {
    for (PipelineManager m : managers) {
      List<MultiGauge.Row<?>> done = new ArrayList<>();
      List<MultiGauge.Row<?>> total = new ArrayList<>();
      List<MultiGauge.Row<?>> estimated = new ArrayList<>();
      List<MultiGauge.Row<?>> phases = new ArrayList<>();
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      List<MultiGauge.Row<?>> lags = new ArrayList<>();
      List<MultiGauge.Row<?>> rates = new ArrayList<>();
      m.status().ifPresent(s -> {
        for (TableStatus t : s.tables()) {
          Tags tags = Tags.of("pipeline", s.pipeline(), "table", t.table().toString());
          done.add(MultiGauge.Row.of(tags, t.chunksDone()));
          total.add(MultiGauge.Row.of(tags, t.chunksTotal()));
          estimated.add(MultiGauge.Row.of(tags, t.chunksTotalEstimated() ? 1 : 0));
          for (TableStatus.Phase p : TableStatus.Phase.values()) {
            phases.add(MultiGauge.Row.of(tags.and("phase", p.name().toLowerCase()), t.phase() == p ? 1 : 0));
          }
          rows.add(MultiGauge.Row.of(tags, t.rowsRead()));
        }
        s.tableLagMillis().forEach((table, lag) -> lags.add(MultiGauge.Row.of(
            Tags.of("pipeline", s.pipeline(), "table", table.toString()), lag / 1000.0)));
        s.tableEventsPerSecond().forEach((table, rate) -> rates.add(MultiGauge.Row.of(
            Tags.of("pipeline", s.pipeline(), "table", table.toString()), rate)));
      });
      Optional.ofNullable(chunksDone.get(m.id())).ifPresent(g -> g.register(done, true));
      Optional.ofNullable(chunksTotal.get(m.id())).ifPresent(g -> g.register(total, true));
      Optional.ofNullable(chunksTotalEstimated.get(m.id())).ifPresent(g -> g.register(estimated, true));
      Optional.ofNullable(phase.get(m.id())).ifPresent(g -> g.register(phases, true));
      Optional.ofNullable(rowsRead.get(m.id())).ifPresent(g -> g.register(rows, true));
      Optional.ofNullable(tableLag.get(m.id())).ifPresent(g -> g.register(lags, true));
      Optional.ofNullable(tableRate.get(m.id())).ifPresent(g -> g.register(rates, true));
    }
    return registry.scrape();
  }
}
