package dev.sluice.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.option.Options;
import dev.sluice.core.source.SourceFactory;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private static Map<String, String> base() {
    Map<String, String> o = new HashMap<>();
    o.put("hostname", "db.example");
    o.put("username", "cdc");
    o.put("password", "s3cret-pw");
    o.put("database-name", "Shop-DB");
    o.put("tables", "public\\.orders,sales\\..*");
    return o;
  }

  private static PostgresConfig config(Map<String, String> o) {
    return PostgresConfig.from(Options.parse("test", PostgresOptions.ALL, o));
  }

  @Test
  void defaultsAndPatterns() {
    PostgresConfig c = config(base());
    assertThat(c.port()).isEqualTo(5432);
    assertThat(c.slot()).isEqualTo("sluice_shop_db");
    assertThat(c.publication()).isEqualTo("sluice_shop_db");
    assertThat(c.captures("public", "orders")).isTrue();
    assertThat(c.captures("public", "orders2")).isFalse();
    assertThat(c.captures("sales", "x")).isTrue();
    assertThat(c.toString()).doesNotContain("s3cret-pw");
  }

  @Test
  void unsupportedSettingsAreRefusedWithTheFix() {
    Map<String, String> o = base();
    o.put("scan.startup.mode", "earliest-offset");
    assertThatThrownBy(() -> config(o)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("scan.startup.mode").hasMessageContaining("initial");
    Map<String, String> p = base();
    p.put("decoding.plugin.name", "decoderbufs");
    assertThatThrownBy(() -> config(p)).hasMessageContaining("decoding.plugin.name");
    Map<String, String> s = base();
    s.put("slot.name", "Bad-Name");
    assertThatThrownBy(() -> config(s)).isInstanceOf(ConfigurationException.class).hasMessageContaining("slot.name");
  }

  @Test
  void registeredAsPostgres() {
    assertThat(ServiceLoader.load(SourceFactory.class).stream().map(ServiceLoader.Provider::get)
        .filter(f -> f.type().equals("postgres")).findFirst()).isPresent();
  }

  @Test
  void oneConversionForTextAndLog() {
    assertThat(PgValues.fromText("12.50", PgType.NUMERIC, "t.c")).isEqualTo(new BigDecimal("12.50"));
    assertThat(PgValues.fromLog("12.50", PgType.NUMERIC, null, 0, "t.c")).isEqualTo(new BigDecimal("12.50"));
    assertThatThrownBy(() -> PgValues.fromLog("NaN", PgType.NUMERIC, null, 0, "t.c")).hasMessageContaining("t.c")
        .hasMessageContaining("NaN");
    assertThat(PgValues.fromText("2024-02-29 12:34:56.5", PgType.TIMESTAMP, "t.c"))
        .isEqualTo(PgValues.fromLog(1709210096500L, PgType.TIMESTAMP, null, 3, "t.c"))
        .isEqualTo(LocalDateTime.parse("2024-02-29T12:34:56.5"));
    assertThat(PgValues.fromLog(1709210096500001L, PgType.TIMESTAMP, null, 6, "t.c"))
        .isEqualTo(LocalDateTime.parse("2024-02-29T12:34:56.500001"));
    assertThatThrownBy(() -> PgValues.fromText("infinity", PgType.TIMESTAMP, "t.c")).hasMessageContaining("t.c");
  }
}
