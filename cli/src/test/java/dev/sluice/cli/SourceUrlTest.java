package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceUrlTest {

  @Test
  void readsAMySqlUrlWithItsCredentialsInTheQueryAndKeepsTheOtherParametersForTheDriver() {
    SourceUrl u = SourceUrl.parse("jdbc:mysql://db.example:3310/shop?user=app&password=p%40ss&useSSL=false");
    assertThat(u).isEqualTo(new SourceUrl("mysql", "db.example", 3310, "shop", "app", "p@ss", Map.of("useSSL", "false")));
  }

  @Test
  void readsUserInfoAndFillsTheDefaultPortOfEachDatabase() {
    SourceUrl pg = SourceUrl.parse("jdbc:postgresql://ops:s%3Acret@127.0.0.1/app_db?sslmode=disable");
    assertThat(pg.sourceType()).isEqualTo("postgres");
    assertThat(pg.port()).isEqualTo(5432);
    assertThat(pg.user()).isEqualTo("ops");
    assertThat(pg.password()).isEqualTo("s:cret");
    assertThat(pg.driverProperties()).containsExactly(Map.entry("sslmode", "disable"));

    SourceUrl maria = SourceUrl.parse("mariadb://root@localhost/inventory");
    assertThat(maria.sourceType()).isEqualTo("mariadb");
    assertThat(maria.port()).isEqualTo(3306);
    assertThat(maria.password()).isNull();
  }

  @Test
  void neverShowsThePassword() {
    SourceUrl u = SourceUrl.parse("jdbc:mysql://app:topsecret@h:1/d");
    assertThat(u.toString()).isEqualTo("jdbc:mysql://app:***@h:1/d").doesNotContain("topsecret");
  }

  @Test
  void refusesAnUnsupportedDatabaseByName() {
    assertThatThrownBy(() -> SourceUrl.parse("jdbc:sqlserver://h:1433/d"))
        .hasMessageContaining("unsupported database 'sqlserver'").hasMessageContaining("mysql, mariadb and postgresql");
  }

  @Test
  void refusesAUrlWithoutHostOrDatabaseOrScheme() {
    assertThatThrownBy(() -> SourceUrl.parse("jdbc:mysql://h:3306")).hasMessageContaining("names no database");
    assertThatThrownBy(() -> SourceUrl.parse("jdbc:mysql://h:3306/a/b")).hasMessageContaining("names no database");
    assertThatThrownBy(() -> SourceUrl.parse("jdbc:mysql:///shop")).hasMessageContaining("names no host");
    assertThatThrownBy(() -> SourceUrl.parse("shop")).hasMessageContaining("not a database URL");
  }

  @Test
  void aMalformedUrlIsRefusedWithoutQuotingThePassword() {
    assertThatThrownBy(() -> SourceUrl.parse("jdbc:mysql://u:bad pass@h/d"))
        .hasMessageContaining("malformed").hasMessageNotContaining("bad pass");
    assertThatThrownBy(() -> SourceUrl.parse("jdbc:mysql://h/d?password=a%zzsecret"))
        .hasMessageContaining("malformed").hasMessageNotContaining("secret");
  }
}
