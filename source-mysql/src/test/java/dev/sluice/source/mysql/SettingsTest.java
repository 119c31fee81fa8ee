package dev.sluice.source.mysql;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.option.Options;
import dev.sluice.core.source.SourceFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Server settings and options that cannot work are refused with the setting and the fix named. */
class SettingsTest {

  private static Map<String, String> good() {
    Map<String, String> v = new HashMap<>();
    v.put("log_bin", "ON");
    v.put("binlog_format", "ROW");
    v.put("binlog_row_image", "FULL");
    v.put("gtid_mode", "ON");
    return v;
  }

  @Test
  void aWellConfiguredServerPasses() {
    assertThatCode(() -> Catalog.checkBinlogSettings(good(), Flavor.MYSQL)).doesNotThrowAnyException();
  }

  @Test
  void binlogOff() {
    Map<String, String> v = good();
    v.put("log_bin", "OFF");
    assertThatThrownBy(() -> Catalog.checkBinlogSettings(v, Flavor.MARIADB)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("log_bin is OFF").hasMessageContaining("log-bin");
  }

  @Test
  void binlogFormatNotRow() {
    Map<String, String> v = good();
    v.put("binlog_format", "MIXED");
    assertThatThrownBy(() -> Catalog.checkBinlogSettings(v, Flavor.MYSQL))
        .hasMessageContaining("binlog_format is MIXED, must be ROW").hasMessageContaining("SET GLOBAL binlog_format=ROW");
  }

  @Test
  void binlogRowImageNotFull() {
    Map<String, String> v = good();
    v.put("binlog_row_image", "MINIMAL");
    assertThatThrownBy(() -> Catalog.checkBinlogSettings(v, Flavor.MYSQL))
        .hasMessageContaining("binlog_row_image is MINIMAL, must be FULL");
  }

  @Test
  void mysqlWithoutGtids() {
    Map<String, String> v = good();
    v.put("gtid_mode", "OFF");
    assertThatThrownBy(() -> Catalog.checkBinlogSettings(v, Flavor.MYSQL)).hasMessageContaining("gtid_mode=ON");
    v.remove("gtid_mode");
    assertThatCode(() -> Catalog.checkBinlogSettings(v, Flavor.MARIADB)).doesNotThrowAnyException();
  }

  @Test
  void bothTypeNamesAreRegistered() {
    assertThatCode(() -> {
      boolean mysql = false;
      boolean mariadb = false;
      for (SourceFactory f : ServiceLoader.load(SourceFactory.class)) {
        mysql |= f.type().equals("mysql");
        mariadb |= f.type().equals("mariadb");
      }
      if (!mysql || !mariadb) {
        throw new AssertionError("mysql registered: " + mysql + ", mariadb registered: " + mariadb);
      }
    }).doesNotThrowAnyException();
  }

  @Test
  void optionsAreValidatedAndThePasswordIsNeverShown() {
    Map<String, String> raw = Map.of("hostname", "h", "username", "u", "password", "s3cret", "tables", "db\\..*",
        "server-id", "5400-5404", "debezium.heartbeat.interval.ms", "5");
    Options o = Options.parse("test", MySqlOptions.ALL, raw);
    MySqlConfig c = MySqlConfig.from(o);
    org.assertj.core.api.Assertions.assertThat(c.serverId()).isEqualTo(5400);
    org.assertj.core.api.Assertions.assertThat(c.debezium()).containsEntry("heartbeat.interval.ms", "5");
    org.assertj.core.api.Assertions.assertThat(c.captures("db", "t")).isTrue();
    org.assertj.core.api.Assertions.assertThat(o.toString() + c).doesNotContain("s3cret");
    Map<String, String> bad = new HashMap<>(raw);
    bad.put("server-id", "zero");
    assertThatThrownBy(() -> MySqlConfig.from(Options.parse("test", MySqlOptions.ALL, bad)))
        .hasMessageContaining("option 'server-id'");
    bad.put("server-id", "1");
    bad.put("tables", "db\\.(");
    assertThatThrownBy(() -> MySqlConfig.from(Options.parse("test", MySqlOptions.ALL, bad)))
        .hasMessageContaining("option 'tables'");
  }

  private static MySqlConfig withStart(Map<String, String> start) {
    Map<String, String> raw = new HashMap<>(Map.of("hostname", "h", "username", "u", "password", "p", "tables", "db\\..*"));
    raw.putAll(start);
    return MySqlConfig.from(Options.parse("test", MySqlOptions.ALL, raw));
  }

  @Test
  void startOptionsAreReadForTheirModeAndRefusedWithAnyOther() {
    StartAt at = withStart(Map.of("scan.startup.mode", "specific-offset", "scan.startup.specific-offset.file",
        "binlog.000002", "scan.startup.specific-offset.pos", "157", "scan.startup.specific-offset.skip-events", "2"))
        .startAt();
    org.assertj.core.api.Assertions.assertThat(at).isEqualTo(new StartAt("binlog.000002", 157L, null, 2, 0, null));
    org.assertj.core.api.Assertions.assertThat(withStart(Map.of("scan.startup.mode", "timestamp",
        "scan.startup.timestamp-millis", "1700000000123")).startAt().timestampMillis()).isEqualTo(1700000000123L);
    assertThatThrownBy(() -> withStart(Map.of("scan.startup.mode", "specific-offset",
        "scan.startup.specific-offset.file", "binlog.000002")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("scan.startup.specific-offset.pos")
        .hasMessageContaining("pos is missing");
    assertThatThrownBy(() -> withStart(Map.of("scan.startup.mode", "specific-offset")))
        .hasMessageContaining("scan.startup.specific-offset.gtid-set");
    assertThatThrownBy(() -> withStart(Map.of("scan.startup.mode", "specific-offset",
        "scan.startup.specific-offset.file", "binlog.000002", "scan.startup.specific-offset.pos", "2")))
        .hasMessageContaining("scan.startup.specific-offset.pos must be 4 or more");
    assertThatThrownBy(() -> withStart(Map.of("scan.startup.mode", "specific-offset",
        "scan.startup.specific-offset.gtid-set", "0-1-5", "scan.startup.specific-offset.skip-rows", "-1")))
        .hasMessageContaining("scan.startup.specific-offset.skip-rows must be 0 or more");
    assertThatThrownBy(() -> withStart(Map.of("scan.startup.mode", "timestamp")))
        .hasMessageContaining("needs scan.startup.timestamp-millis");
    assertThatThrownBy(() -> withStart(Map.of("scan.startup.mode", "timestamp", "scan.startup.timestamp-millis", "-5")))
        .hasMessageContaining("scan.startup.timestamp-millis must be");
    assertThatThrownBy(() -> withStart(Map.of("scan.startup.timestamp-millis", "1700000000000")))
        .hasMessageContaining("scan.startup.timestamp-millis applies to scan.startup.mode timestamp only");
    assertThatThrownBy(() -> withStart(Map.of("scan.startup.mode", "latest-offset",
        "scan.startup.specific-offset.gtid-set", "0-1-5")))
        .hasMessageContaining("scan.startup.specific-offset.gtid-set applies to scan.startup.mode specific-offset only");
  }
}
