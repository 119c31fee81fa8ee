package dev.sluice.sink.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * Test fixture: a real producer that, once armed, stops inside its next {@code commitTransaction}
 * before passing it on, that is after the sink has sent the checkpoint record and flushed the
 * transaction, and tells the test it is there; the test kills the pipeline in that window. The
 * pause ends after {@code pauseMillis} (then the real commit starts, and a kill may land during
 * it) or when the thread is interrupted (the commit never starts).
 */
final class PausingProducer implements Producer<byte[], byte[]> {
  /** What the test holds: arm it, then wait for a producer to reach the window. */
  static final class Gate {
    private final AtomicBoolean armed = new AtomicBoolean();
    private final SynchronousQueue<Boolean> reached = new SynchronousQueue<>();
    private volatile long pauseMillis;

    void arm(long pauseMillis) {
      this.pauseMillis = pauseMillis;
      armed.set(true);
    }

    /** True once an armed producer is in the window, false (and disarmed) after {@code timeout}. */
    boolean awaitReached(Duration timeout) throws InterruptedException {
      Boolean r = reached.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (r == null) {
        armed.set(false);
        // It may have been reached just now: take that hand-off rather than leaving it waiting.
        return reached.poll() != null;
      }
      return true;
    }

    private void pass() {
      if (!armed.compareAndSet(true, false)) {
        return;
      }
      try {
        if (reached.offer(true, 1, TimeUnit.SECONDS)) {
          TimeUnit.MILLISECONDS.sleep(pauseMillis);
        }
      } catch (InterruptedException e) {
        throw new InterruptException(e); // killed in the window: the commit never starts
      }
    }
  }

  private final Producer<byte[], byte[]> real;
  private final Gate gate;

  PausingProducer(Producer<byte[], byte[]> real, Gate gate) {
    this.real = real;
    this.gate = gate;
  }

  @Override
  public void commitTransaction() {
    gate.pass();
    real.commitTransaction();
  }

  @Override
  public void initTransactions() {
    real.initTransactions();
  }

  @Override
  public void beginTransaction() {
    real.beginTransaction();
  }

  @Override
  public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
    real.sendOffsetsToTransaction(offsets, group);
  }

  @Override
  public void abortTransaction() {
    real.abortTransaction();
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    real.registerMetricForSubscription(metric);
  }

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    real.unregisterMetricFromSubscription(metric);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
    return real.send(record);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
    return real.send(record, callback);
  }

  @Override
  public void flush() {
    real.flush();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return real.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return real.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return real.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    real.close();
  }

  @Override
  public void close(Duration timeout) {
    real.close(timeout);
  }
}
