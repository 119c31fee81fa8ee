package dev.sluice.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.SluiceException.DataException;
import java.util.Set;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaErrorsTest {
  private final KafkaErrors errors = new KafkaErrors(Settings.of("orders", "sink.delivery-guarantee", "exactly-once",
      "properties.sasl.jaas.config", "secret-jaas"));

  private SluiceException translate(Exception e) {
    return errors.translate(e, "sending the change of key 7 of table shop.orders to topic shop.orders");
  }

  @Test
  void authorizationFailuresSayWhichPermissionIsMissingAndAreNotRetried() {
    SluiceException topic = translate(new TopicAuthorizationException(Set.of("shop.orders")));
    assertThat(topic).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("pipeline orders").hasMessageContaining("shop.orders").hasMessageContaining("WRITE");
    assertThat(topic.retriable()).isFalse();
    assertThat(errors.translate(new TopicAuthorizationException(Set.of("shop.orders")), "creating topic shop.orders",
        "CREATE on topic 'shop.orders' (or on the cluster)")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("lacks CREATE on topic 'shop.orders'");
    assertThat(errors.translate(new TopicAuthorizationException(Set.of("sluice-checkpoints")),
        "reading checkpoints from topic sluice-checkpoints", "READ on topic 'sluice-checkpoints'"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("lacks READ on topic 'sluice-checkpoints'")
        .as("then every ACL the sink needs")
        .hasMessageContaining("READ and DESCRIBE_CONFIGS on checkpoint.topic")
        .hasMessageContaining("WRITE and DESCRIBE on transactional id sluice-orders");
    assertThat(translate(new ClusterAuthorizationException("no CREATE"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("CREATE on the cluster");
    assertThat(translate(new TransactionalIdAuthorizationException("denied")))
        .hasMessageContaining("transactional.id sluice-orders");
    assertThat(translate(new SaslAuthenticationException("bad password")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("properties.sasl")
        .hasMessageNotContaining("secret-jaas");
  }

  @Test
  void aTooLargeRecordNamesKeyTableAndTheSettingsToRaise() {
    assertThat(translate(new RecordTooLargeException("The message is 2000000 bytes")))
        .isInstanceOf(DataException.class).hasMessageContaining("key 7 of table shop.orders")
        .hasMessageContaining("max.request.size").hasMessageContaining("max.message.bytes");
  }

  @Test
  void aFencedProducerStopsWithTheTransactionalId() {
    assertThat(translate(new ProducerFencedException("fenced"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("fenced").hasMessageContaining("sluice-orders");
  }

  @Test
  void brokersOutOfReachAreRetriable() {
    assertThat(translate(new TimeoutException("Expiring 3 record(s)"))).isInstanceOf(ConnectionException.class)
        .hasMessageContaining("127.0.0.1:1");
    assertThat(translate(new NetworkException("disconnected")).retriable()).isTrue();
  }

  @Test
  void onlyTheFirstAsynchronousFailureIsKeptAndRethrown() {
    errors.failed(new RecordTooLargeException("first"), "sending key 1");
    errors.failed(new TimeoutException("second"), "sending key 2");
    assertThatThrownBy(errors::throwIfFailed).isInstanceOf(DataException.class).hasMessageContaining("key 1");
    assertThatThrownBy(errors::throwIfFailed).as("stays failed").hasMessageContaining("key 1");
  }
}
