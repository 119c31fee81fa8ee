package dev.sluice.source.debezium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException.ConfigurationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Debezium's offsets and schema history for one open log, kept here rather than in files or topics
 * so that they travel inside the Sluice checkpoint. Debezium instantiates its offset store and
 * schema history by class name; they find their state through {@link #lookup} by the handle the
 * engine configuration carries.
 *
 * <p>Offsets are stored as Kafka Connect writes them (JSON key and value); history records as
 * Debezium's JSON documents. Both are held as text: the history grows by one record per DDL on a
 * captured table (plus the tables' definitions at the first start), never with data.
 */
final class EngineState {
  static final String HANDLE = "sluice.engine.handle";
  static final String OFFSETS_KEY = "debezium.offsets";
  static final String HISTORY_KEY = "debezium.history";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, EngineState> OPEN = new ConcurrentHashMap<>();

  private final String handle;
  private final Map<ByteBuffer, ByteBuffer> initialOffsets;
  private final List<String> history;

  private EngineState(String handle, Map<ByteBuffer, ByteBuffer> offsets, List<String> history) {
    this.handle = handle;
    this.initialOffsets = offsets;
    this.history = history;
  }

  /** Reads the state a checkpoint stored (empty on a fresh start) and registers it under {@code handle}. */
  static EngineState open(String handle, Map<String, String> stored) {
    EngineState s = read(handle, stored);
    OPEN.put(handle, s);
    return s;
  }

  /** Reads a stored state without registering it, to inspect or extend it. */
  static EngineState read(Map<String, String> stored) {
    return read("detached", stored);
  }

  private static EngineState read(String handle, Map<String, String> stored) {
    Map<ByteBuffer, ByteBuffer> offsets = new HashMap<>();
    List<String> history = new ArrayList<>();
    try {
      String o = stored.get(OFFSETS_KEY);
      if (o != null) {
        JSON.readTree(o).fields().forEachRemaining(e -> offsets.put(bytes(e.getKey()), bytes(e.getValue().asText())));
      }
      String h = stored.get(HISTORY_KEY);
      if (h != null) {
        for (JsonNode n : JSON.readTree(h)) {
          history.add(n.asText());
        }
      }
    } catch (IOException e) {
      throw new ConfigurationException("the checkpoint's Debezium state is not readable (" + e.getMessage()
          + "); delete the checkpoint to snapshot again", e);
    }
    return new EngineState(handle, offsets, history);
  }

  /** A state registered nowhere, for building a stored form. */
  static EngineState detached() {
    return new EngineState("detached", new HashMap<>(), new ArrayList<>());
  }

  static EngineState lookup(String handle) {
    EngineState s = handle == null ? null : OPEN.get(handle);
    if (s == null) {
      throw new IllegalStateException("no open Sluice log for engine handle " + handle);
    }
    return s;
  }

  void release() {
    OPEN.remove(handle);
  }

  Map<ByteBuffer, ByteBuffer> initialOffsets() {
    return Map.copyOf(initialOffsets);
  }

  /** The stored offset of the (one) source partition, as a map; empty when there is none. */
  Map<String, Object> offset() {
    for (ByteBuffer v : initialOffsets.values()) {
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.readValue(text(v), Map.class);
        return m;
      } catch (IOException e) {
        throw new ConfigurationException("the checkpoint's Debezium offset is not readable (" + e.getMessage()
            + "); delete the checkpoint to snapshot again", e);
      }
    }
    return Map.of();
  }

  boolean hasOffsets() {
    return !initialOffsets.isEmpty();
  }

  boolean hasHistory() {
    synchronized (history) {
      return !history.isEmpty();
    }
  }

  void addHistory(String record) {
    synchronized (history) {
      history.add(record);
    }
  }

  List<String> history() {
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  /** The stored form: {@code offsets} as Connect would write them, and the whole history. */
  Map<String, String> toState(Map<ByteBuffer, ByteBuffer> offsets) {
    ObjectNode o = JSON.createObjectNode();
    offsets.forEach((k, v) -> o.put(text(k), text(v)));
    ArrayNode h = JSON.createArrayNode();
    history().forEach(h::add);
    return Map.of(OFFSETS_KEY, o.toString(), HISTORY_KEY, h.toString());
  }

  static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  static String text(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] a = new byte[d.remaining()];
    d.get(a);
    return new String(a, StandardCharsets.UTF_8);
  }
}
