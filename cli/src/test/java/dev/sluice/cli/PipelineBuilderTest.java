package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.runtime.Delivery;
import dev.sluice.core.runtime.StartupMode;
import dev.sluice.pipeline.ConnectorCatalog;
import dev.sluice.pipeline.PipelineFile;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineBuilderTest {

  @ParameterizedTest
  @CsvSource({"initial, INITIAL", "latest-offset, LATEST_OFFSET", "snapshot, SNAPSHOT_ONLY",
      "earliest-offset, SOURCE_OFFSET", "specific-offset, SOURCE_OFFSET", "timestamp, SOURCE_OFFSET",
      "committed-offset, SOURCE_OFFSET"})
  void theSourcesStartupModeChoosesTheEnginesMode(String option, StartupMode engine) {
    String file = """
        source:
          type: memory
          database: db
          scan.startup.mode: %s
        sink:
          type: memory
          sink: s
        pipeline:
          name: modes
        """.formatted(option);
    ConnectorCatalog catalog = ConnectorCatalog.fromClassPath();
    PipelineBuilder builder = new PipelineBuilder(PipelineFile.parse("modes.yaml", file, Map.of(), catalog), catalog,
        Path.of(""));
    assertThat(builder.startupMode()).isEqualTo(engine);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "memory  | ''                                    | ''                         | AT_LEAST_ONCE",
      "memory  | ''                                    | 'delivery: exactly-once'   | EXACTLY_ONCE",
      "iceberg | ''                                    | ''                         | EXACTLY_ONCE",
      "iceberg | ''                                    | 'delivery: at-least-once'  | AT_LEAST_ONCE",
      "iceberg | 'sink.delivery-guarantee: at-least-once' | ''                      | AT_LEAST_ONCE",
      "iceberg | 'sink.delivery-guarantee: at-least-once' | 'delivery: exactly-once' | EXACTLY_ONCE"})
  void theDeliveryIsWhatTheFileSaysElseTheSinksDefault(String sink, String sinkLine, String sluiceLine,
      Delivery expected) {
    String file = """
        source:
          type: memory
          database: db
        sink:
          type: %s
          %s
          %s
        pipeline:
          name: guarantees
        sluice:
          %s
        """.formatted(sink, sink.equals("memory") ? "sink: s" : "warehouse: lake", sinkLine, sluiceLine.isEmpty() ? "checkpoint.dir: checkpoints" : sluiceLine);
    ConnectorCatalog catalog = ConnectorCatalog.fromClassPath();
    PipelineBuilder builder = new PipelineBuilder(PipelineFile.parse("guarantees.yaml", file, Map.of(), catalog),
        catalog, Path.of(""));
    assertThat(builder.delivery()).isEqualTo(expected);
  }
}
