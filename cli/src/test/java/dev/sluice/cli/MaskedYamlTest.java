package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MaskedYamlTest {
  @Test
  void secretKeysLoseTheirValuesAndEverythingElseStays() {
    String text = """
        source:
          type: mysql
          hostname: db.internal
          password: s3cr3t-one   # the replica's
          tables: shop\\..*
        sink:
          type: kafka
          properties.sasl.jaas.config: |
            org.apache.kafka.common.security.plain.PlainLoginModule required
            username="app" password="s3cr3t-two";
          properties.bootstrap.servers: broker:9092
        pipeline:
          name: shop
        """;
    String masked = MaskedYaml.mask(text, List.of());
    assertThat(masked).doesNotContain("s3cr3t-one").doesNotContain("s3cr3t-two").doesNotContain("PlainLoginModule")
        .contains("  password: ******\n")
        .contains("  properties.sasl.jaas.config: |\n    ******\n    ******\n")
        .contains("  hostname: db.internal\n").contains("  tables: shop\\..*\n")
        .contains("  properties.bootstrap.servers: broker:9092\n").contains("  name: shop\n");
    assertThat(masked.lines().count()).isEqualTo(text.lines().count());
  }

  @Test
  void aDeclaredSecretWithAnOrdinaryNameIsMaskedInItsSectionOnly() {
    String text = "source:\n  passphrase: open-sesame\nsink:\n  passphrase: not-a-secret-here\n";
    String masked = MaskedYaml.mask(text, (section, key) -> section.equals("source") && key.equals("passphrase"),
        List.of());
    assertThat(masked).isEqualTo("source:\n  passphrase: ******\nsink:\n  passphrase: not-a-secret-here\n");
  }

  @Test
  void knownSecretValuesAreMaskedAnywhereEvenInAFileThatDoesNotParse() {
    String text = "source: [\n  url: jdbc:mysql://app:hunter22@db/shop\n";
    assertThat(MaskedYaml.mask(text, List.of("hunter22"))).isEqualTo("source: [\n  url: jdbc:mysql://app:******@db/shop\n");
    assertThat(MaskedYaml.maskValues("login failed with hunter22", List.of("hunter22", "ab")))
        .isEqualTo("login failed with ******");
    assertThat(MaskedYaml.maskValues(null, List.of("hunter22"))).isNull();
  }
}
