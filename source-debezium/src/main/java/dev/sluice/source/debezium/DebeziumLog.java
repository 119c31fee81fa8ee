package dev.sluice.source.debezium;

import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.event.Event;
import dev.sluice.core.event.Position;
import dev.sluice.core.source.ChangeLog;
import dev.sluice.core.source.LogBatch;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChangeLog} over the Debezium embedded engine: the one Debezium adapter every Debezium
 * based source uses. Debezium's thread hands records through a bounded queue (backpressure: it
 * blocks when the pipeline lags); {@link #poll} converts them with the connector's
 * {@link RecordMapper}. Offsets and schema history live in the Sluice checkpoint
 * ({@link #state()}), and Debezium hears that an offset is done only in {@link #committed()}, after
 * the sink made it durable — a PostgreSQL slot, for one, must not advance any earlier.
 */
public final class DebeziumLog implements ChangeLog {
  private static final Logger LOG = LoggerFactory.getLogger(DebeziumLog.class);
  private static final int MAX_BATCH = 2048;
  /** The engine name offsets are stored under unless the connector properties give another. */
  public static final String ENGINE_NAME = "sluice";

  private static final String METRIC_TAG = "sluicelog";

  private final String name;
  private final String engineName;
  private final RecordMapper mapper;
  private final EngineState engineState;
  private final BlockingQueue<Item> queue;
  private final ReaderSilence silence;
  private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
  private final Thread thread;
  private final JsonConverter keyConverter = new JsonConverter();
  private final JsonConverter valueConverter = new JsonConverter();
  /** The latest record returned by {@link #poll} per source partition (a handful, never more). */
  private final Map<Map<String, ?>, SourceRecord> returned = new LinkedHashMap<>();

  private volatile Throwable failure;
  private volatile boolean ended;
  private volatile boolean closing;
  private Position reached;
  private Item lastReturned;

  private record Item(RecordChangeEvent<SourceRecord> event,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) {
    SourceRecord record() {
      return event.record();
    }
  }

  /**
   * Starts the engine at once.
   *
   * @param name names this log's thread and log lines
   * @param connectorProperties the Debezium connector's configuration; this class adds the engine's own.
   *     Its {@code name} (default {@value #ENGINE_NAME}) keys the stored offsets, so it must stay the same
   *     across restarts of a pipeline
   * @param stored the connector state of the checkpoint resumed from (empty on a fresh start)
   * @param start the position the log opens after; reported as reached until a record moves it
   * @param capacity bound of the record queue between Debezium's thread and {@link #poll}
   */
  public DebeziumLog(String name, Map<String, String> connectorProperties, Map<String, String> stored,
      RecordMapper mapper, Position start, int capacity) {
    this(name, connectorProperties, stored, mapper, start, capacity, null);
  }

  /**
   * Starts the engine at once; as above, and {@code silenceLimit} (if not {@code null}) is how long
   * the engine may deliver nothing while {@link #poll} finds the queue empty, once it has delivered a
   * first record, before {@link #poll} fails with a {@link ConnectionException}. For connectors whose
   * server heartbeats an idle connection much more often (the records then keep coming), so that a
   * connection lost without an error (a half-open socket) is noticed.
   */
  public DebeziumLog(String name, Map<String, String> connectorProperties, Map<String, String> stored,
      RecordMapper mapper, Position start, int capacity, java.time.Duration silenceLimit) {
    this.name = name;
    this.silence = new ReaderSilence(silenceLimit);
    this.engineName = connectorProperties.getOrDefault("name", ENGINE_NAME);
    this.mapper = mapper;
    this.reached = start;
    this.queue = new ArrayBlockingQueue<>(capacity);
    String handle = name + "-" + UUID.randomUUID();
    this.engineState = EngineState.open(handle, stored);
    keyConverter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
    valueConverter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
    Properties props = new Properties();
    props.putAll(connectorProperties);
    props.setProperty("name", engineName);
    props.setProperty("offset.storage", CheckpointOffsetStore.class.getName());
    props.setProperty("offset.flush.interval.ms", "0");
    props.setProperty("schema.history.internal", CheckpointSchemaHistory.class.getName());
    props.setProperty(EngineState.HANDLE, handle);
    props.setProperty(CheckpointSchemaHistory.HANDLE, handle);
    // Debezium names its JMX beans by connector and server name, which stay the same across
    // restarts (they key the offsets); a tag per log keeps a new engine from waiting on the beans
    // of an old one, or of another pipeline in the same JVM.
    props.putIfAbsent("custom.metric.tags", METRIC_TAG + "=" + name);
    this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
        .using(props)
        .notifying(this::enqueue)
        .using((success, message, error) -> {
          if (!success || error != null) {
            failure = error != null ? error : new IllegalStateException(message);
          }
          ended = true;
        })
        .build();
    this.thread = new Thread(engine, "sluice-" + name + "-debezium");
    thread.setDaemon(true);
    thread.start();
    LOG.info("log={} Debezium engine started", name);
  }

  /**
   * The connector state of a log that has not run yet: one source partition's starting offset, as
   * Debezium would have stored it, and the schema history at that offset (Debezium history records
   * as JSON documents). Lets a source choose where Debezium starts and what schema it starts with.
   */
  public static Map<String, String> initialState(Map<String, ?> partition, Map<String, ?> offset,
      List<String> history) {
    String name = ENGINE_NAME;
    JsonConverter key = new JsonConverter();
    key.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
    JsonConverter value = new JsonConverter();
    value.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
    EngineState empty = EngineState.detached();
    history.forEach(empty::addHistory);
    return empty.toState(Map.of(ByteBuffer.wrap(key.fromConnectData(name, null, Arrays.asList(name, partition))),
        ByteBuffer.wrap(value.fromConnectData(name, null, offset))));
  }

  /** The schema-history records (Debezium's JSON documents, in order) a stored Debezium state holds. */
  public static List<String> storedHistory(Map<String, String> stored) {
    EngineState s = EngineState.read(stored);
    return s.history();
  }

  /**
   * The offset a stored Debezium state resumes from (its one source partition's), as Debezium wrote
   * it; empty when the state holds none.
   */
  public static Map<String, Object> storedOffset(Map<String, String> stored) {
    return EngineState.read(stored).offset();
  }

  /** A stored Debezium state with these schema-history records after the ones it holds. */
  public static Map<String, String> withHistory(Map<String, String> stored, List<String> more) {
    EngineState s = EngineState.read(stored);
    more.forEach(s::addHistory);
    return s.toState(s.initialOffsets());
  }

  /** Whether the checkpoint this log resumed from held Debezium state (offsets and history). */
  public static boolean hasEngineState(Map<String, String> stored) {
    return stored.containsKey(EngineState.OFFSETS_KEY) && stored.containsKey(EngineState.HISTORY_KEY);
  }

  private void enqueue(List<RecordChangeEvent<SourceRecord>> records,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
    for (RecordChangeEvent<SourceRecord> r : records) {
      Item item = new Item(r, committer);
      // Blocks while the pipeline lags (backpressure), but gives up once the log is closing, so
      // that the engine can stop.
      while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
        if (closing) {
          return;
        }
      }
      silence.heard(System.nanoTime()); // after the offer: time blocked on a full queue is not silence
    }
  }

  @Override
  public LogBatch poll(long timeout, TimeUnit unit) throws InterruptedException {
    Item first = queue.poll(timeout, unit);
    if (first == null) {
      checkEngine();
      silence.check(System.nanoTime(), name);
      return new LogBatch(List.of(), reached);
    }
    List<Item> items = new ArrayList<>();
    items.add(first);
    queue.drainTo(items, MAX_BATCH - 1);
    List<Event> events = new ArrayList<>();
    for (Item item : items) {
      SourceRecord r = item.record();
      events.addAll(mapper.events(r));
      Position p = mapper.position(r);
      if (p != null) {
        reached = p;
      }
      if (mapper.storable(r)) {
        if (r.sourcePartition() != null && r.sourceOffset() != null) {
          returned.put(r.sourcePartition(), r);
        }
        lastReturned = item;
      }
    }
    return new LogBatch(events, reached);
  }

  private void checkEngine() {
    Throwable f = failure;
    if (f != null) {
      SluiceException e = mapper.failure("Debezium engine of log " + name + " failed: " + f.getMessage(), f);
      throw e;
    }
    if (ended && !closing) {
      throw new ConnectionException("Debezium engine of log " + name + " stopped unexpectedly", null);
    }
  }

  @Override
  public Map<String, String> state() {
    Map<ByteBuffer, ByteBuffer> offsets = new HashMap<>(engineState.initialOffsets());
    returned.forEach((partition, r) -> offsets.put(
        ByteBuffer.wrap(keyConverter.fromConnectData(engineName, null, Arrays.asList(engineName, partition))),
        ByteBuffer.wrap(valueConverter.fromConnectData(engineName, null, r.sourceOffset()))));
    return engineState.toState(offsets);
  }

  @Override
  public void committed() {
    Item last = lastReturned;
    if (last == null) {
      return;
    }
    try {
      // The engine wants back the very object it handed out.
      last.committer().markProcessed(last.event());
      last.committer().markBatchFinished();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing = true;
    queue.clear();
    closeEngine();
    queue.clear();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    engineState.release();
    unregisterMetrics();
    LOG.info("log={} closed", name);
  }

  /**
   * Stops the engine. Debezium refuses to stop while its tasks are still starting (a pipeline stopped
   * right after it started), so that is retried until they have started, for up to 30 seconds.
   */
  private void closeEngine() {
    // A killed pipeline interrupts the thread closing the log; the engine must stop all the same.
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try {
      while (true) {
        try {
          engine.close();
          return;
        } catch (IOException e) {
          LOG.warn("log={} closing the Debezium engine: {}", name, e.toString());
          return;
        } catch (IllegalStateException e) {
          if (!String.valueOf(e.getMessage()).contains("starting") || System.nanoTime() > deadline) {
            LOG.warn("log={} closing the Debezium engine: {}", name, e.toString());
            return;
          }
          try {
            Thread.sleep(50);
          } catch (InterruptedException ie) {
            interrupted = true;
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Debezium leaves its beans behind when it is stopped while starting; they hold memory only. */
  private void unregisterMetrics() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      for (ObjectName bean : server.queryNames(new ObjectName("debezium*:" + METRIC_TAG + "=" + name + ",*"), null)) {
        try {
          server.unregisterMBean(bean);
        } catch (JMException e) {
          LOG.debug("log={} could not unregister {}: {}", name, bean, e.toString());
        }
      }
    } catch (MalformedObjectNameException e) {
      LOG.debug("log={} has a name JMX cannot query: {}", name, e.toString());
    }
  }
}
