package dev.sluice.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TablePatternTest {

  @Test
  void regexOverTheDottedName() {
    TablePattern p = TablePattern.compile("app_db\\.orders_.*");
    assertThat(p.matches("app_db", "orders_2024")).isTrue();
    assertThat(p.matches("app_db", "customers")).isFalse();
    assertThat(p.matches("other", "orders_2024")).isFalse();
  }

  @Test
  void flinkSelectorEveryTableOfADatabase() {
    TablePattern p = TablePattern.compile("app_db.\\.*");
    assertThat(p.matches("app_db", "orders")).isTrue();
    assertThat(p.matches("app_db", "products")).isTrue();
    assertThat(p.matches("app_db2", "orders")).as("each part matches whole").isFalse();
    assertThat(p.matches("shop", "orders")).isFalse();
  }

  @Test
  void flinkSelectorWithRegexesInEachPart() {
    TablePattern p = TablePattern.compile("db_[0-9]+.user_\\.*");
    assertThat(p.matches("db_1", "user_a")).isTrue();
    assertThat(p.matches("db_x", "user_a")).isFalse();
    assertThat(p.matches("db_12", "orders")).isFalse();
  }

  @Test
  void plainNameMeansTheSameInBothReadings() {
    TablePattern p = TablePattern.compile("shop.orders");
    assertThat(p.matches("shop", "orders")).isTrue();
    assertThat(p.matches("shop", "orders2")).isFalse();
  }

  @Test
  void threePartSelectorsAndTableIds() {
    TablePattern p = TablePattern.compile("adb.\\.*.\\.*");
    assertThat(p.matches(new TableId("adb", "public", "orders"))).isTrue();
    assertThat(p.matches(new TableId("bdb", "public", "orders"))).isFalse();
    assertThat(p.matches("public", "orders")).as("a three-part selector never selects a two-part name").isFalse();
    assertThat(TablePattern.compile("shop\\..*").matches(TableId.of("shop", "orders"))).isTrue();
  }

  @Test
  void neitherReadingCompilesIsAClearError() {
    assertThatThrownBy(() -> TablePattern.compile("shop.orders[")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'shop.orders['").hasMessageContaining("not a regular expression")
        .hasMessageContaining("Flink CDC selector");
    assertThatThrownBy(() -> TablePattern.compile("  ")).hasMessageContaining("empty");
  }

  @Test
  void aSelectorPartThatIsNotARegexLeavesTheRegexReading() {
    // "shop\..*" has no selector reading ("shop." and "*"), only the regex one.
    TablePattern p = TablePattern.compile("shop\\..*");
    assertThat(p.matches("shop", "anything")).isTrue();
    assertThat(p.matches("shopx", "anything")).isFalse();
  }
}
