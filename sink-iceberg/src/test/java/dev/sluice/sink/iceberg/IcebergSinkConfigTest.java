package dev.sluice.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.TableId;
import dev.sluice.core.option.Options;
import dev.sluice.core.sink.SchemaChangePolicy;
import dev.sluice.core.sink.SinkFactory;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class IcebergSinkConfigTest {

  private static IcebergSinkConfig parse(Map<String, String> raw) {
    return IcebergSinkConfig.from(Options.parse("pipeline.yaml: sink", IcebergSinkConfig.OPTIONS, raw));
  }

  @Test
  void defaultsAreTheEmbeddedCatalogExactlyOnceAndAMinuteBetweenCommits() {
    IcebergSinkConfig c = parse(Map.of("warehouse", "/data/lake"));
    assertThat(c.catalogType()).isEqualTo("jdbc");
    assertThat(c.catalogUri()).isEqualTo("jdbc:sqlite:/data/lake/catalog.db");
    assertThat(c.catalogName()).isEqualTo("sluice");
    assertThat(c.commitInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.exactlyOnce()).isTrue();
    assertThat(c.schemaChanges()).isEqualTo(SchemaChangePolicy.LENIENT);
    assertThat(c.targetFileSize()).isEqualTo(128L << 20);
    assertThat(c.appendWithoutKey()).isFalse();
    assertThat(c.expireSnapshotsOlderThan()).isNull();
    assertThat(c.compactInterval()).isNull();
    assertThat(c.localWarehouse()).isTrue();
  }

  @Test
  void partitionRulesSelectTablesAndParseTransforms() {
    IcebergSinkConfig c = parse(Map.of("warehouse", "file:///lake", "partition.by",
        "shop.orders: days(created_at), bucket(16, id); shop\\..*: region"));
    assertThat(c.partitionFields(TableId.of("shop", "orders"), "shop.orders"))
        .containsExactly("days(created_at)", "bucket(16, id)");
    assertThat(c.partitionFields(TableId.of("shop", "customers"), "shop.customers")).containsExactly("region");
    assertThat(c.partitionFields(TableId.of("other", "t"), "other.t")).isEmpty();
  }

  @Test
  void badValuesAreRefusedByName() {
    assertThatThrownBy(() -> parse(Map.of("warehouse", "/x", "partition.by", "shop.orders: weeks(ts)")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("partition.by").hasMessageContaining("weeks(ts)");
    assertThatThrownBy(() -> parse(Map.of("warehouse", "/x", "file.target-size", "huge")))
        .hasMessageContaining("file.target-size").hasMessageContaining("128mb");
    assertThatThrownBy(() -> parse(Map.of("warehouse", "/x", "catalog.type", "rest")))
        .hasMessageContaining("catalog.uri");
    assertThatThrownBy(() -> parse(Map.of("warehouse", "/x", "commit.interval", "0s")))
        .hasMessageContaining("commit.interval");
    assertThatThrownBy(() -> parse(Map.of())).hasMessageContaining("warehouse");
    assertThatThrownBy(() -> parse(Map.of("warehouse", "/x", "table.without-key", "drop")))
        .hasMessageContaining("table.without-key");
  }

  @Test
  void sizesAcceptUnits() {
    assertThat(IcebergSinkConfig.parseSize("512kb")).isEqualTo(512L * 1024);
    assertThat(IcebergSinkConfig.parseSize("1GB")).isEqualTo(1L << 30);
    assertThat(IcebergSinkConfig.parseSize("1000")).isEqualTo(1000);
  }

  @Test
  void catalogPropertiesStayOutOfTheConfigsText() {
    IcebergSinkConfig c = parse(Map.of("warehouse", "s3://bucket/lake", "catalog.type", "rest", "catalog.uri",
        "http://catalog:8181", "catalog.properties.s3.secret-access-key", "hunter2"));
    assertThat(c.catalogProperties()).containsEntry("s3.secret-access-key", "hunter2");
    assertThat(c.toString()).doesNotContain("hunter2");
    assertThat(c.localWarehouse()).isFalse();
  }

  @Test
  void theFactoryIsRegisteredAsIceberg() {
    assertThat(ServiceLoader.load(SinkFactory.class).stream().map(p -> p.get().type())).contains("iceberg");
  }
}
