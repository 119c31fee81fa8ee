package dev.sluice.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.option.Options;
import dev.sluice.core.sink.SinkFactory;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class KafkaSinkFactoryTest {

  @Test
  void isFoundThroughTheServiceLoaderAsKafka() {
    assertThat(ServiceLoader.load(SinkFactory.class).stream().map(p -> p.get().type())).contains("kafka");
  }

  @Test
  void bootstrapServersAreRequiredAndTyposGetAHint() {
    assertThatThrownBy(() -> Options.parse("pipeline.yaml: sink", KafkaSinkOptions.ALL, Map.of("topic", "t")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("properties.bootstrap.servers");
    assertThatThrownBy(() -> Options.parse("pipeline.yaml: sink", KafkaSinkOptions.ALL,
        Map.of("properties.bootstrap.servers", "b:9092", "value.fromat", "json")))
        .hasMessageContaining("did you mean 'value.format'");
  }

  @Test
  void deliverySettingsCannotBeWeakenedThroughProperties() {
    for (String key : new String[] {"properties.acks", "properties.enable.idempotence", "properties.transactional.id"}) {
      assertThatThrownBy(() -> Settings.of("p", key, "1"))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining(key);
    }
  }

  @Test
  void producerIsIdempotentWithAcksAllAndTransactionalOnlyForExactlyOnce() {
    SinkSettings atLeastOnce = Settings.of("orders", "properties.linger.ms", "20", "connect.timeout", "5s");
    assertThat(atLeastOnce.producerProperties()).containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true).containsEntry("linger.ms", "20")
        .containsEntry("max.block.ms", 5000L).doesNotContainKey("transactional.id");
    assertThat(atLeastOnce.adminProperties()).doesNotContainKey("linger.ms")
        .containsEntry("bootstrap.servers", "127.0.0.1:1");
    SinkSettings exactlyOnce = Settings.of("orders", "sink.delivery-guarantee", "exactly-once");
    assertThat(exactlyOnce.producerProperties()).containsEntry("transactional.id", "sluice-orders");
    assertThat(new KafkaSink(exactlyOnce).atomicCheckpoints()).isPresent();
    assertThat(new KafkaSink(atLeastOnce).atomicCheckpoints()).isEmpty();
  }

  @Test
  void secretsInClientPropertiesNeverShowInToString() {
    SinkSettings s = Settings.of("p", "properties.sasl.jaas.config", "password=\"hunter2\"");
    assertThat(s.toString()).doesNotContain("hunter2");
    assertThat(new KafkaSink(s).toString()).doesNotContain("hunter2");
  }
}
