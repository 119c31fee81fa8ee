package dev.sluice.core.option;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
  static final Option<String> HOST = Option.string("hostname", "server host").asRequired();
  static final Option<Integer> PORT = Option.integer("port", 1, "server port").withDefault("3306");
  static final Option<String> PASSWORD = Option.password("password", "login password");
  static final Option<Duration> TIMEOUT = Option.duration("connect.timeout", "connect timeout").withDefault("30s");
  static final Option<String> MODE = Option.oneOf("scan.startup.mode", List.of("initial", "latest-offset"), "start")
      .withDefault("initial");
  static final Option<String> DEBEZIUM = Option.prefix("debezium.", "passed to Debezium");
  static final List<Option<?>> ALL = List.of(HOST, PORT, PASSWORD, TIMEOUT, MODE, DEBEZIUM);

  @Test
  void parsesValuesAndFillsDefaults() {
    Options o = Options.parse("source", ALL, Map.of("hostname", "db", "scan.startup.mode", "LATEST-OFFSET",
        "debezium.snapshot.mode", "never"));
    assertThat(o.get(HOST)).isEqualTo("db");
    assertThat(o.get(PORT)).isEqualTo(3306);
    assertThat(o.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.get(MODE)).isEqualTo("latest-offset");
    assertThat(o.get(PASSWORD)).isNull();
    assertThat(o.withPrefix(DEBEZIUM)).isEqualTo(Map.of("snapshot.mode", "never"));
  }

  @Test
  void aMisspelledOptionIsRefusedWithTheNearestName() {
    assertThatThrownBy(() -> Options.parse("pipeline.yaml: source", ALL, Map.of("hostname", "db", "prot", "1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("pipeline.yaml: source: unknown option 'prot'; did you mean 'port'?");
  }

  @Test
  void everyFaultIsReportedAtOnceNamingItsOption() {
    assertThatThrownBy(() -> Options.parse("source", ALL, Map.of("port", "x", "connect.timeout", "soon")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("option 'port': expected a whole number, got 'x'")
        .hasMessageContaining("option 'connect.timeout': expected a duration")
        .hasMessageContaining("missing required option 'hostname'");
  }

  @Test
  void secretsAreMaskedWhenShown() {
    Options o = Options.parse("source", ALL, Map.of("hostname", "db", "password", "hunter2",
        "debezium.database.password", "also-secret"));
    assertThat(o.toString()).doesNotContain("hunter2").doesNotContain("also-secret").contains("hostname=db");
  }
}
