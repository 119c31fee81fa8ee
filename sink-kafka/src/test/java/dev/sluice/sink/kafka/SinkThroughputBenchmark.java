package dev.sluice.sink.kafka;

import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.Column;
import dev.sluice.core.event.LogicalType;
import dev.sluice.core.event.Row;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.option.Options;
import dev.sluice.core.testing.MemoryPosition;
import dev.sluice.testsupport.TestServers;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Not a test: sink throughput against a raw producer loop sending the same bytes with the same
 * producer settings, in one run, on the test broker. The ratio is the cost of encoding and of the
 * sink's bookkeeping. Run with {@code java -cp <test classpath> dev.sluice.sink.kafka.SinkThroughputBenchmark [events]}.
 */
public final class SinkThroughputBenchmark {
  private SinkThroughputBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    String run = "sink-kafka-bench-" + Long.toHexString(System.nanoTime());
    TableSchema table = TableSchema.withPrimaryKey(TableId.of("bench", "orders"), List.of(
        Column.of("id", LogicalType.INT64, false), Column.of("customer", LogicalType.string(40), false),
        Column.of("amount", LogicalType.decimal(12, 2), false), Column.of("created", LogicalType.timestampTz(6), false),
        Column.of("note", LogicalType.STRING, true)), List.of("id"));
    List<ChangeEvent> events = new ArrayList<>(n);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < n; i++) {
      Row row = Row.of((long) i, "customer-" + (i % 1000), BigDecimal.valueOf(i, 2), t.plusMillis(i),
          "a note of some forty characters, give or take");
      events.add(new ChangeEvent(table, Op.INSERT, null, row, new MemoryPosition(i), t, null));
    }
    Map<String, String> raw = new HashMap<>();
    raw.put("properties.bootstrap.servers", TestServers.kafkaBootstrap());
    raw.put("topic.prefix", run);
    raw.put("properties.linger.ms", "5");
    raw.put("properties.compression.type", "lz4");
    SinkSettings settings = SinkSettings.from(Options.parse("bench", KafkaSinkOptions.ALL, raw), run);

    // Warm-up and the raw loop's input: the very bytes the sink sends.
    ChangeEncoder encoder = new ChangeEncoder(settings, Clock.systemUTC());
    List<byte[]> keys = new ArrayList<>(n);
    List<byte[]> values = new ArrayList<>(n);
    for (ChangeEvent e : events) {
      keys.add(encoder.key(e));
      values.add(encoder.value(e));
    }
    for (int round = 0; round < 5; round++) { // the first rounds warm the JIT up
      double sink = sinkRate(settings, events, 2048);
      double rawRate = rawRate(settings, run + ".raw", keys, values);
      double encode = encodeRate(encoder, events);
      System.out.printf("round %d: %d events; sink %.0f events/s; raw producer %.0f records/s; ratio %.2f;"
          + " encoding alone %.0f events/s%n", round, n, sink, rawRate, sink / rawRate, encode);
    }
    // The broker is shared: what the rounds wrote (a few hundred MB) goes.
    try (Admin admin = Admin.create(settings.adminProperties())) {
      Set<String> mine = admin.listTopics().names().get().stream().filter(name -> name.startsWith(run + "."))
          .collect(Collectors.toSet());
      admin.deleteTopics(mine).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      System.out.println("could not delete the bench topics " + run + ".*: " + e.getCause());
    }
  }

  /** Key and value JSON only, nothing sent: the part of the sink's cost that the raw loop skips. */
  private static double encodeRate(ChangeEncoder encoder, List<ChangeEvent> events) {
    long bytes = 0;
    long t0 = System.nanoTime();
    for (ChangeEvent e : events) {
      bytes += encoder.key(e).length + encoder.value(e).length;
    }
    double rate = events.size() / ((System.nanoTime() - t0) / 1e9);
    return bytes > 0 ? rate : 0;
  }

  private static double sinkRate(SinkSettings settings, List<ChangeEvent> events, int batch) {
    try (KafkaSink sink = new KafkaSink(settings)) {
      sink.write(events.subList(0, 1));
      sink.flush();
      long t0 = System.nanoTime();
      for (int i = 0; i < events.size(); i += batch) {
        sink.write(events.subList(i, Math.min(events.size(), i + batch)));
      }
      sink.flush();
      return events.size() / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static double rawRate(SinkSettings settings, String topic, List<byte[]> keys, List<byte[]> values) {
    try (KafkaSink creator = new KafkaSink(settings);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings.producerProperties())) {
      creator.topics().ensureTableTopic(topic, TableId.of("bench", "raw"));
      producer.send(new ProducerRecord<>(topic, keys.get(0), values.get(0)));
      producer.flush();
      long t0 = System.nanoTime();
      for (int i = 0; i < keys.size(); i++) {
        producer.send(new ProducerRecord<>(topic, keys.get(i), values.get(i)), (m, e) -> {
          if (e != null) {
            throw new IllegalStateException(e);
          }
        });
      }
      producer.flush();
      return keys.size() / ((System.nanoTime() - t0) / 1e9);
    }
  }
}
