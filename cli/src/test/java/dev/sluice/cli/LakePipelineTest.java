package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class LakePipelineTest {
  private static final Path WAREHOUSE = Path.of("/data/lake");

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> read(LakePipeline p) {
    return (Map<String, Map<String, Object>>) new Yaml().load(p.yaml());
  }

  @Test
  void aMySqlDatabaseBecomesEveryTableOfItIntoTheWarehouseExactlyOnceWithoutThePassword() {
    SourceUrl url = SourceUrl.parse("jdbc:mysql://app:hunter2@10.0.0.5:3306/shop-2024?useSSL=false");
    LakePipeline p = new LakePipeline(url, WAREHOUSE, "SLUICE_SOURCE_PASSWORD", null, "60s", 4);
    Map<String, Map<String, Object>> y = read(p);
    assertThat(p.yaml()).doesNotContain("hunter2");
    assertThat(y.get("source")).containsEntry("type", "mysql").containsEntry("hostname", "10.0.0.5")
        .containsEntry("port", 3306).containsEntry("username", "app")
        .containsEntry("password", "${SLUICE_SOURCE_PASSWORD}").containsEntry("tables", "shop\\-2024\\..*")
        .containsEntry("server-id", String.valueOf(p.serverId())).containsEntry("jdbc.properties.useSSL", "false");
    assertThat(p.serverId()).isBetween(5500, 6499);
    assertThat(y.get("sink")).containsEntry("type", "iceberg").containsEntry("warehouse", "/data/lake")
        .containsEntry("commit.interval", "60s");
    assertThat(y.get("pipeline")).containsEntry("name", "lake-shop-2024");
    assertThat(y.get("sluice")).containsEntry("delivery", "exactly-once")
        .containsEntry("checkpoint.dir", "/data/lake-checkpoints");
    assertThat(p.file()).isEqualTo(Path.of("/data/lake-shop-2024.yaml"));
    assertThat("shop-2024.orders").matches((String) y.get("source").get("tables"));
    assertThat("shop-2024x.orders").doesNotMatch((String) y.get("source").get("tables"));
  }

  @Test
  void aPostgresDatabaseGetsItsDatabaseNameAndASlotOfItsOwn() {
    SourceUrl url = SourceUrl.parse("jdbc:postgresql://pg:5433/App.DB?user=ops");
    LakePipeline p = new LakePipeline(url, WAREHOUSE, "PGPASSWORD", "public\\.orders", "5s", 2);
    Map<String, Map<String, Object>> y = read(p);
    assertThat(y.get("source")).containsEntry("type", "postgres").containsEntry("database-name", "App.DB")
        .containsEntry("tables", "public\\.orders").containsEntry("slot.name", "sluice_lake_app_db")
        .containsEntry("password", "${PGPASSWORD}").doesNotContainKey("server-id");
    assertThat(y.get("sluice")).containsEntry("checkpoint.interval", "5s");
  }

  @Test
  void theSameArgumentsWriteTheSameFile() {
    SourceUrl url = SourceUrl.parse("jdbc:mysql://h/shop?user=u");
    assertThat(new LakePipeline(url, WAREHOUSE, "P", null, "60s", 4).yaml())
        .isEqualTo(new LakePipeline(url, WAREHOUSE, "P", null, "60s", 4).yaml());
  }

  @Test
  void aPasswordVariableAFileCannotTakeIsRefused() {
    SourceUrl url = SourceUrl.parse("jdbc:mysql://h/shop?user=u");
    assertThatThrownBy(() -> new LakePipeline(url, WAREHOUSE, "my-var", null, "60s", 4))
        .hasMessageContaining("'my-var' is not an environment variable name");
  }

  @Test
  void quotesAnyTextAsAYamlScalar() {
    String nasty = "a\"b\\c: #d\n";
    assertThat((Object) new Yaml().load(LakePipeline.quote(nasty))).isEqualTo(nasty);
  }
}
