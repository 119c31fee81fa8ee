package dev.sluice.sink.kafka;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointJson;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.sink.Sink;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes change events to Kafka: one record per change, keyed by the row's key so every change of a
 * row goes to one partition in order, valued in Debezium's JSON envelope or flat JSON.
 *
 * <p>At-least-once (default): an idempotent producer with {@code acks=all}; {@link #flush()} returns
 * only when every record sent before it is acknowledged, and throws if any send failed, so nothing is
 * ever dropped silently. Exactly-once ({@code sink.delivery-guarantee=exactly-once}): a transactional
 * producer whose {@code transactional.id} derives from the pipeline id; the data since the last
 * checkpoint and the checkpoint itself (a record on {@code checkpoint.topic}) commit in one
 * transaction, and {@link #atomicCheckpoints()} reads the checkpoint back from there. Starting a new
 * instance fences the old one and aborts its open transaction.
 *
 * <p>Schema changes go to the schema-change topic after every record before them is acknowledged, and
 * before any record after them is sent. Connections open on first use, on the pipeline's thread.
 */
public final class KafkaSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

  private final SinkSettings settings;
  private final KafkaErrors errors;
  private final TopicNames names;
  private final ChangeEncoder changes;
  private final SchemaChangeEncoder schemaChanges;
  private final KafkaCheckpointStore checkpoints;
  private final Map<TableId, List<Header>> headers = new HashMap<>();
  private final Function<Map<String, Object>, Producer<byte[], byte[]>> producers;
  private Topics topics;
  private Producer<byte[], byte[]> producer;
  private boolean inTransaction;

  public KafkaSink(SinkSettings settings) {
    this(settings, Clock.systemUTC());
  }

  KafkaSink(SinkSettings settings, Clock clock) {
    this(settings, clock, KafkaProducer::new);
  }

  /** @param producers makes the producer from its settings (tests wrap the real one to pause it) */
  KafkaSink(SinkSettings settings, Clock clock, Function<Map<String, Object>, Producer<byte[], byte[]>> producers) {
    this.settings = settings;
    this.producers = producers;
    this.errors = new KafkaErrors(settings);
    this.names = new TopicNames(settings);
    this.changes = new ChangeEncoder(settings, clock);
    this.schemaChanges = new SchemaChangeEncoder(settings, clock);
    this.checkpoints = new KafkaCheckpointStore(settings, this, errors);
  }

  /** Connects on first use: checks the brokers answer, then starts (and, transactional, fences) the producer. */
  void open() {
    if (producer != null) {
      return;
    }
    try {
      topics = new Topics(settings, errors, Admin.create(settings.adminProperties()));
      topics.checkReachable();
      producer = producers.apply(settings.producerProperties());
      if (settings.exactlyOnce()) {
        producer.initTransactions();
        LOG.info("pipeline={} transactional producer {} ready", settings.pipelineId(), settings.transactionalId());
      }
    } catch (InterruptException e) {
      throw e;
    } catch (KafkaException e) {
      closeQuietly();
      throw e instanceof ConfigException || e.getCause() instanceof ConfigException
          ? new ConfigurationException("pipeline " + settings.pipelineId() + ": Kafka client settings refused: "
              + e.getMessage() + "; check properties.bootstrap.servers and the properties.* options", e)
          : errors.translate(e, "starting the Kafka producer");
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  Topics topics() {
    open();
    return topics;
  }

  @Override
  public void write(List<ChangeEvent> events) {
    open();
    errors.throwIfFailed();
    begin();
    for (ChangeEvent e : events) {
      if (changesKey(e)) {
        // As Debezium does: the old key is deleted and the new one created, so a consumer (or log
        // compaction) keyed by the row's key does not keep the row under its old key forever.
        send(new ChangeEvent(e.schema(), Op.DELETE, e.before(), null, e.position(), e.sourceTime(),
            e.transactionId()));
        send(new ChangeEvent(e.schema(), Op.INSERT, null, e.after(), e.position(), e.sourceTime(),
            e.transactionId()));
      } else {
        send(e);
      }
    }
  }

  private static boolean changesKey(ChangeEvent e) {
    return e.op() == Op.UPDATE && e.before() != null && e.schema().hasKey()
        && !e.schema().keyOf(e.before()).equals(e.schema().keyOf(e.after()));
  }

  private void send(ChangeEvent e) {
    String topic = names.topicOf(e.table());
    int partitions = topics.ensureTableTopic(topic, e.table());
    byte[] key = changes.key(e);
    Integer partition = key != null ? null
        : settings.keylessRowHash() ? Math.floorMod(ChangeEncoder.rowHash(e), partitions) : 0;
    // The messages are built only on failure: this is the per-record hot path.
    send(new ProducerRecord<>(topic, partition, key, changes.value(e), headersOf(e.table())),
        () -> "sending the change of " + describe(e) + " to topic " + topic);
    if (settings.tombstones() && e.op() == Op.DELETE && key != null) {
      send(new ProducerRecord<>(topic, null, key, null, headersOf(e.table())),
          () -> "sending the tombstone of " + describe(e) + " to topic " + topic);
    }
  }

  private static String describe(ChangeEvent e) {
    return e.schema().hasKey() ? "key " + e.key() + " of table " + e.table() : "a row of table " + e.table();
  }

  @Override
  public void apply(SchemaChangeEvent change) {
    open();
    begin();
    flushAndCheck(); // everything before the change is acknowledged before the change is sent
    String topic = settings.schemaChangeTopic();
    topics.ensureSingle(topic, false, "schema changes");
    send(new ProducerRecord<>(topic, null, schemaChanges.key(change), schemaChanges.value(change)),
        () -> "sending the schema change " + change.kind() + " of table " + change.table() + " to topic " + topic);
    if (change.kind() == SchemaChangeEvent.Kind.TRUNCATE_TABLE) {
      sendTruncate(change);
    }
    flushAndCheck(); // and acknowledged itself before anything after it is sent
    LOG.info("pipeline={} table={} schema change {} published to {}", settings.pipelineId(), change.table(),
        change.kind(), topic);
  }

  /**
   * Debezium's truncate record ({@code op: "t"}, no key) on the table's topic, once in every
   * partition: each partition's consumer sees it in order with the keys it holds.
   */
  private void sendTruncate(SchemaChangeEvent change) {
    String topic = names.topicOf(change.table());
    int partitions = topics.ensureTableTopic(topic, change.table());
    byte[] value = changes.truncate(change);
    for (int p = 0; p < partitions; p++) {
      send(new ProducerRecord<>(topic, p, (byte[]) null, value, headersOf(change.table())),
          () -> "sending the truncate of table " + change.table() + " to topic " + topic);
    }
  }

  @Override
  public void flush() {
    open();
    flushAndCheck();
  }

  private void flushAndCheck() {
    errors.throwIfFailed();
    producer.flush();
    errors.throwIfFailed();
  }

  @Override
  public Optional<CheckpointStore> atomicCheckpoints() {
    return settings.exactlyOnce() ? Optional.of(checkpoints) : Optional.empty();
  }

  /** Exactly-once: sends the checkpoint into the open transaction and commits it with the data. */
  void commit(Checkpoint cp) {
    open();
    begin();
    String topic = settings.checkpointTopic();
    topics.ensureSingle(topic, true, "checkpoints");
    send(new ProducerRecord<>(topic, null, checkpointKey(), CheckpointJson.write(cp)),
        () -> "writing the checkpoint at " + cp.position() + " to topic " + topic);
    try {
      flushAndCheck();
      producer.commitTransaction();
      inTransaction = false;
    } catch (InterruptException e) {
      throw e;
    } catch (KafkaException e) {
      abortQuietly(e);
      throw errors.translate(e, "committing the transaction of the checkpoint at " + cp.position());
    } catch (RuntimeException e) {
      abortQuietly(e);
      throw e;
    }
  }

  byte[] checkpointKey() {
    return settings.pipelineId().getBytes(StandardCharsets.UTF_8);
  }

  private void begin() {
    if (settings.exactlyOnce() && !inTransaction) {
      try {
        producer.beginTransaction();
      } catch (InterruptException e) {
        throw e;
      } catch (KafkaException e) {
        throw errors.translate(e, "beginning a transaction");
      }
      inTransaction = true;
    }
  }

  /**
   * Sends one record; throws the first send error as soon as it is known. The check after each
   * send matters: the producer reports most errors through the callback even when it fails the
   * send at once (no metadata within max.block.ms, the buffer full), so without it a batch sent to
   * a broker that is gone would wait max.block.ms once per record.
   */
  private void send(ProducerRecord<byte[], byte[]> record, Supplier<String> what) {
    try {
      producer.send(record, (meta, e) -> {
        if (e != null) {
          errors.failed(e, what.get(), "WRITE on topic '" + record.topic() + "'");
        }
      });
      errors.throwIfFailed();
    } catch (InterruptException e) {
      throw e;
    } catch (KafkaException e) {
      // Thrown at once rather than through the callback: a closed or failed producer, a transaction
      // already aborted by an earlier error.
      errors.failed(e, what.get(), "WRITE on topic '" + record.topic() + "'");
      errors.throwIfFailed();
    }
  }

  private List<Header> headersOf(TableId table) {
    if (!settings.tableIdHeaders()) {
      return null;
    }
    return headers.computeIfAbsent(table, t -> {
      List<Header> h = new ArrayList<>(3);
      if (t.catalog() != null) {
        h.add(new RecordHeader("namespace", t.catalog().getBytes(StandardCharsets.UTF_8)));
      }
      if (t.schema() != null) {
        h.add(new RecordHeader("schemaName", t.schema().getBytes(StandardCharsets.UTF_8)));
      }
      h.add(new RecordHeader("tableName", t.table().getBytes(StandardCharsets.UTF_8)));
      return List.copyOf(h);
    });
  }

  private void abortQuietly(RuntimeException cause) {
    if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException
        || cause.getCause() instanceof ProducerFencedException) {
      return; // a fenced producer can no longer abort; the newer instance already did
    }
    try {
      producer.abortTransaction();
      inTransaction = false;
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * Closes the clients. At-least-once, records still in flight get up to connect.timeout to be
   * acknowledged; exactly-once, nothing uncommitted is worth waiting for: the open transaction is
   * dropped at once (the broker aborts it, or the next instance does when it fences this one).
   */
  @Override
  public void close() {
    if (producer != null) {
      producer.close(settings.exactlyOnce() ? Duration.ZERO : settings.connectTimeout());
      producer = null;
    }
    if (topics != null) {
      topics.close();
      topics = null;
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      LOG.debug("pipeline={} error closing Kafka clients after a failed start: {}", settings.pipelineId(), e.toString());
    }
  }

  @Override
  public String toString() {
    return "KafkaSink[" + settings + "]";
  }
}
