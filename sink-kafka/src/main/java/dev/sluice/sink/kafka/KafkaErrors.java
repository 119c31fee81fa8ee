package dev.sluice.sink.kafka;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.SluiceException.DataException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Translates what the Kafka client throws into Sluice's exception types, with a message that says
 * what failed and how to fix it, and keeps the first error of an asynchronous send until the
 * pipeline thread picks it up. The runtime retries {@link ConnectionException} only: a broker out of
 * reach is worth waiting for; a refused record, a missing permission or a fenced producer is not.
 */
final class KafkaErrors {
  private final SinkSettings settings;
  private final AtomicReference<SluiceException> first = new AtomicReference<>();

  KafkaErrors(SinkSettings settings) {
    this.settings = settings;
  }

  /** Records a send's failure (from the producer's I/O thread); only the first one is kept. */
  void failed(Exception e, String what) {
    failed(e, what, null);
  }

  /** As {@link #failed(Exception, String)}, naming the permission the operation needs. */
  void failed(Exception e, String what, String needs) {
    first.compareAndSet(null, translate(e, what, needs));
  }

  /** Throws the first recorded failure, if any; the sink is unusable after it. */
  void throwIfFailed() {
    SluiceException e = first.get();
    if (e != null) {
      throw e;
    }
  }

  boolean hasFailed() {
    return first.get() != null;
  }

  /**
   * @param what the operation, naming table, key and topic where there is one, e.g. "sending the
   *     change of key 42 of shop.orders to topic shop.orders"
   */
  SluiceException translate(Throwable e, String what) {
    return translate(e, what, null);
  }

  /**
   * @param needs the permission the operation needs, named in the message when the brokers refuse
   *     it for lack of authorization, e.g. "WRITE on topic 'shop.orders'"; {@code null} when it is
   *     not one permission
   */
  SluiceException translate(Throwable e, String what, String needs) {
    if (e instanceof SluiceException s) {
      return s;
    }
    String pipeline = "pipeline " + settings.pipelineId() + ": ";
    if (e instanceof RecordTooLargeException) {
      return new DataException(pipeline + what + " failed: the record is larger than the producer's"
          + " max.request.size or the broker's message.max.bytes (" + e.getMessage() + "); raise"
          + " properties.max.request.size and the topic's max.message.bytes (topic.config.max.message.bytes"
          + " for topics the sink creates), or leave the large column out with a transform", e);
    }
    if (e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException) {
      return new ConfigurationException(pipeline + what + " failed: another instance of this pipeline started"
          + " with the same transactional.id (" + settings.transactionalId() + ") and fenced this one, which"
          + " stops so the two never both write; run each pipeline id in one place only", e);
    }
    if (e instanceof TransactionalIdAuthorizationException) {
      return new ConfigurationException(pipeline + what + " failed: not authorized to use transactional.id "
          + settings.transactionalId() + "; grant WRITE and DESCRIBE on that transactional id to the sink's"
          + " principal, or use sink.delivery-guarantee=at-least-once", e);
    }
    if (e instanceof ClusterAuthorizationException) {
      return new ConfigurationException(pipeline + what + " failed: not authorized on the cluster ("
          + e.getMessage() + "); grant the sink's principal IDEMPOTENT_WRITE on the cluster (the idempotent"
          + " producer needs it, or WRITE on some topic) and, when topic.create=auto, CREATE on the cluster"
          + " or on its topics", e);
    }
    if (e instanceof AuthorizationException) {
      return new ConfigurationException(pipeline + what + " failed: not authorized (" + e.getMessage() + "); "
          + (needs == null ? "" : "the sink's principal lacks " + needs + ". ")
          + "Grant the sink's principal WRITE and DESCRIBE on its topics (CREATE on them or on the cluster"
          + " when topic.create=auto); in exactly-once mode also READ and DESCRIBE_CONFIGS on checkpoint.topic"
          + " and WRITE and DESCRIBE on transactional id " + settings.transactionalId(), e);
    }
    if (e instanceof AuthenticationException) {
      return new ConfigurationException(pipeline + what + " failed: the brokers refused the credentials ("
          + e.getMessage() + "); check properties.security.protocol, properties.sasl.* and properties.ssl.*", e);
    }
    if (e instanceof RetriableException) {
      return new ConnectionException(pipeline + what + " failed: " + e.getMessage() + "; are the brokers at '"
          + settings.clientProperties().get("bootstrap.servers") + "' up and reachable? (waited up to"
          + " connect.timeout=" + settings.connectTimeout().toSeconds() + "s, delivery.timeout.ms for sends)", e);
    }
    return new DataException(pipeline + what + " failed: Kafka refused it: " + e, e);
  }
}
