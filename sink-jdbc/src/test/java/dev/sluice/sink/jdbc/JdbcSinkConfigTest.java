package dev.sluice.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.option.Options;
import dev.sluice.core.sink.MetadataColumn;
import dev.sluice.core.sink.SchemaChangePolicy;
import dev.sluice.core.sink.SinkFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class JdbcSinkConfigTest {
  private static Options parse(Map<String, String> raw) {
    return Options.parse("pipeline.yaml: sink", JdbcSinkConfig.OPTIONS, raw);
  }

  @Test
  void theFactoryIsFoundAsTypeJdbc() {
    assertThat(ServiceLoader.load(SinkFactory.class).stream().map(p -> p.get().type())).contains("jdbc");
  }

  @Test
  void defaultsAreLenientHardDeletesAndTheNamedCheckpointTable() {
    JdbcSinkConfig c = JdbcSinkConfig.from(parse(Map.of("url", "jdbc:postgresql://h/db")));
    assertThat(c.schemaChanges()).isEqualTo(SchemaChangePolicy.LENIENT);
    assertThat(c.softDelete()).isFalse();
    assertThat(c.tableNamePattern()).isEqualTo("${table}");
    assertThat(c.metadataColumns()).isEmpty();
    assertThat(c.batchSize()).isEqualTo(1000);
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.checkpointTable()).isEqualTo("sluice_checkpoints");
  }

  @Test
  void valuesAndPassThroughPropertiesAreRead() {
    JdbcSinkConfig c = JdbcSinkConfig.from(parse(Map.of("url", "jdbc:mysql://h/db", "schema.change.behavior", "TRY_EVOLVE",
        "delete.mode", "soft", "metadata.columns", "op, source_ts", "jdbc.properties.sslMode", "REQUIRED")));
    assertThat(c.schemaChanges()).isEqualTo(SchemaChangePolicy.TRY_EVOLVE);
    assertThat(c.softDelete()).isTrue();
    assertThat(c.metadataColumns()).containsExactly(MetadataColumn.OP, MetadataColumn.SOURCE_TS);
    assertThat(c.jdbcProperties()).containsEntry("sslMode", "REQUIRED");
  }

  @Test
  void badValuesAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> parse(Map.of("url", "jdbc:postgresql://h/db", "schema.change.behavior", "sometimes")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("schema.change.behavior")
        .hasMessageContaining("try_evolve");
    assertThatThrownBy(() -> parse(Map.of("url", "jdbc:postgresql://h/db", "metadata.columns", "op,when")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("metadata.columns").hasMessageContaining("when");
    assertThatThrownBy(() -> parse(Map.of("usr", "x"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("missing required option 'url'");
  }

  @Test
  void anUnknownUrlSchemeIsRefused() {
    assertThatThrownBy(() -> new JdbcSink(JdbcSinkConfig.from(parse(Map.of("url", "jdbc:oracle:thin:@h:1521/x?password=p"))), "p"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("jdbc:oracle").hasMessageNotContaining("password=p");
  }

  @Test
  void thePasswordIsNeverShown() {
    Options o = parse(Map.of("url", "jdbc:postgresql://h/db?password=inurl", "password", "hunter2"));
    assertThat(o.toString()).doesNotContain("hunter2");
    assertThat(JdbcSinkConfig.from(o).toString()).doesNotContain("hunter2").doesNotContain("inurl");
    assertThat(JdbcSinkConfig.OPTIONS).filteredOn(opt -> opt.name().equals("password")).allMatch(opt -> opt.secret());
    assertThat(List.copyOf(JdbcSinkConfig.OPTIONS)).extracting(opt -> opt.name()).doesNotHaveDuplicates();
  }
}
