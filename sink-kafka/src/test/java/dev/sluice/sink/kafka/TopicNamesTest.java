package dev.sluice.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.TableId;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

  private static String topic(TableId t, String... options) {
    return new TopicNames(Settings.of("p", options)).topicOf(t);
  }

  @Test
  void defaultPatternDropsTheMissingSchemaWithItsDot() {
    assertThat(topic(TableId.of("shop", "orders"))).isEqualTo("shop.orders");
    assertThat(topic(new TableId("shop", "public", "orders"))).isEqualTo("shop.public.orders");
    assertThat(topic(new TableId(null, null, "orders"))).isEqualTo("orders");
  }

  @Test
  void prefixPatternAndFixedTopic() {
    assertThat(topic(TableId.of("shop", "orders"), "topic.prefix", "prod")).isEqualTo("prod.shop.orders");
    assertThat(topic(TableId.of("shop", "orders"), "topic.pattern", "cdc-${table}")).isEqualTo("cdc-orders");
    assertThat(topic(TableId.of("shop", "orders"), "topic", "everything")).isEqualTo("everything");
  }

  @Test
  void illegalCharactersBecomeUnderscores() {
    assertThat(topic(TableId.of("my db", "Ördérs$"))).isEqualTo("my_db._rd_rs_");
  }

  @Test
  void aPatternWithoutTableOrAnIllegalFixedTopicIsRefused() {
    assertThatThrownBy(() -> Settings.of("p", "topic.pattern", "${db}"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("topic.pattern").hasMessageContaining("${table}");
    assertThatThrownBy(() -> Settings.of("p", "topic", "a b"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'topic'");
  }
}
