package dev.sluice.sink.kafka;

import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointJson;
import dev.sluice.core.checkpoint.CheckpointStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;

/**
 * The exactly-once checkpoint store: checkpoints live as records on a compacted topic, keyed by the
 * pipeline id, each written in the same transaction as the data it covers ({@link #save} commits
 * that transaction). {@link #load} reads the topic to its end with {@code read_committed}, after the
 * sink's producer has fenced any older instance (which aborts that instance's open transaction, so
 * the end is reachable and nothing uncommitted is seen). The last record of this pipeline wins.
 */
final class KafkaCheckpointStore implements CheckpointStore {
  private static final Duration POLL = Duration.ofMillis(200);

  private final SinkSettings settings;
  private final KafkaSink sink;
  private final KafkaErrors errors;

  KafkaCheckpointStore(SinkSettings settings, KafkaSink sink, KafkaErrors errors) {
    this.settings = settings;
    this.sink = sink;
    this.errors = errors;
  }

  @Override
  public Optional<Checkpoint> load() {
    String topic = settings.checkpointTopic();
    sink.topics().ensureSingle(topic, true, "checkpoints");
    sink.topics().requireRead(topic, "checkpoints");
    byte[] key = sink.checkpointKey();
    byte[] latest = null;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings.consumerProperties())) {
      List<TopicPartition> parts = consumer.partitionsFor(topic, settings.connectTimeout()).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      // With read_committed these are the last stable offsets: the end of what is committed.
      Map<TopicPartition, Long> end = consumer.endOffsets(parts, settings.connectTimeout());
      long lastProgress = System.nanoTime();
      while (!reachedEnd(consumer, end)) {
        boolean progress = false;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          progress = true;
          if (Arrays.equals(r.key(), key)) {
            latest = r.value(); // a tombstone (null) deletes the checkpoint
          }
        }
        if (progress) {
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > settings.connectTimeout().toNanos()) {
          throw new ConnectionException("pipeline " + settings.pipelineId() + ": reading checkpoints from topic "
              + topic + " made no progress for connect.timeout=" + settings.connectTimeout().toSeconds()
              + "s; are the brokers reachable?", null);
        }
      }
    } catch (InterruptException e) {
      throw e;
    } catch (KafkaException e) {
      // DESCRIBE was needed (and granted) to find the topic above; what a refusal here lacks is READ
      // (for instance taken away since requireRead).
      throw errors.translate(e, "reading checkpoints from topic " + topic, "READ on topic '" + topic + "'");
    }
    return latest == null ? Optional.empty()
        : Optional.of(CheckpointJson.read(latest, settings.pipelineId(), "in Kafka topic " + topic));
  }

  private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void save(Checkpoint checkpoint) {
    sink.commit(checkpoint);
  }
}
