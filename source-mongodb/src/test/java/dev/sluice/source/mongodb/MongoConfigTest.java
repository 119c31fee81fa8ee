package dev.sluice.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.option.Options;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import dev.sluice.core.source.SourceFactory;
import org.junit.jupiter.api.Test;

/** Option combinations are checked in one place, with messages naming the option and the fix. */
class MongoConfigTest {

  private static MongoConfig config(String... kv) {
    Map<String, String> raw = new HashMap<>();
    raw.put("database", "shop");
    for (int i = 0; i < kv.length; i += 2) {
      raw.put(kv[i], kv[i + 1]);
    }
    return MongoConfig.from(Options.parse("pipeline.yaml: source", MongoOptions.ALL, raw));
  }

  @Test
  void theFactoryIsRegisteredAsMongodb() {
    assertThat(ServiceLoader.load(SourceFactory.class).stream().map(p -> p.get().type())).contains("mongodb");
  }

  @Test
  void defaultsAreInitialJsonRelaxed() {
    MongoConfig c = config("hosts", "db1:27017,db2:27017");
    assertThat(c.snapshot()).isTrue();
    assertThat(c.mapper()).hasToString("json/relaxed");
    assertThat(c.batchSize()).isEqualTo(1024);
    assertThat(c.captures("orders")).isTrue();
    assertThat(c.captures("system.profile")).isFalse();
  }

  @Test
  void collectionPatternsMatchWholeNames() {
    MongoConfig c = config("hosts", "h:1", "collection", "orders_\\d+, users");
    assertThat(c.captures("orders_2024")).isTrue();
    assertThat(c.captures("users")).isTrue();
    assertThat(c.captures("users_old")).isFalse();
  }

  @Test
  void needsExactlyOneWayToReachTheServer() {
    assertThatThrownBy(() -> config()).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("set exactly one of 'hosts'");
    assertThatThrownBy(() -> config("hosts", "h:1", "connection.string", "mongodb://h:1"))
        .hasMessageContaining("not both");
  }

  @Test
  void startupModesAndTheirOptions() {
    assertThatThrownBy(() -> config("hosts", "h:1", "scan.startup.mode", "timestamp"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("scan.startup.mode 'timestamp' needs scan.startup.timestamp-millis");
    assertThatThrownBy(() -> config("hosts", "h:1", "scan.startup.timestamp-millis", "1700000000000"))
        .hasMessageContaining("applies to scan.startup.mode: timestamp only");
    assertThatThrownBy(() -> config("hosts", "h:1", "scan.startup.mode", "timestamp",
        "scan.startup.timestamp-millis", "1700000000000000000")).hasMessageContaining("year 2106");
    MongoConfig timestamp = config("hosts", "h:1", "scan.startup.mode", "timestamp",
        "scan.startup.timestamp-millis", "1700000000123");
    assertThat(timestamp.snapshot()).isFalse();
    assertThat(timestamp.startAtMillis()).isEqualTo(1700000000123L);
    assertThat(config("hosts", "h:1", "scan.startup.mode", "latest-offset").snapshot()).isFalse();
    // snapshot-only reads like initial; the runtime stops when the copy is done
    assertThat(config("hosts", "h:1", "scan.startup.mode", "snapshot").snapshot()).isTrue();
  }

  @Test
  void flattenNeedsItsFields() {
    assertThatThrownBy(() -> config("hosts", "h:1", "document.mapping", "flatten"))
        .hasMessageContaining("document.fields");
    assertThatThrownBy(() -> config("hosts", "h:1", "document.fields", "a"))
        .hasMessageContaining("applies to document.mapping=flatten only");
    assertThat(config("hosts", "h:1", "document.mapping", "flatten", "document.fields", "a,b").mapper())
        .hasToString("flatten[a, b]/relaxed");
  }

  @Test
  void aBadPatternIsNamed() {
    assertThatThrownBy(() -> config("hosts", "h:1", "collection", "orders(")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("option 'collection': 'orders(' is not a regular expression");
  }

  @Test
  void secretsStayOutOfToString() {
    MongoConfig c = config("connection.string", "mongodb://bob:hunter2@db1:27017/?replicaSet=rs0",
        "username", "alice", "password", "s3cret");
    assertThat(c.toString()).contains("db1:27017").doesNotContain("hunter2").doesNotContain("s3cret");
    assertThatThrownBy(() -> config("hosts", "h:1", "password", "s3cret"))
        .hasMessageContaining("'username' is not").hasMessageNotContaining("s3cret");
  }
}
