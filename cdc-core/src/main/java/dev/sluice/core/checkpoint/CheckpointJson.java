package dev.sluice.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.event.Key;
import dev.sluice.core.event.TableId;
import dev.sluice.core.source.KeyRange;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a {@link Checkpoint}: one JSON document, written field by field so the format is
 * visible here and not left to reflection. Any store (file, JDBC row, Kafka record) can use it.
 */
public final class CheckpointJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CheckpointJson() {}

  public static byte[] write(Checkpoint cp) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", Checkpoint.FORMAT_VERSION);
    root.put("pipeline", cp.pipelineId());
    root.put("savedAt", cp.savedAt().toString());
    root.put("position", cp.position());
    ArrayNode tables = root.putArray("tables");
    cp.tables().forEach((id, p) -> {
      ObjectNode t = tables.addObject();
      t.put("catalog", id.catalog());
      t.put("schema", id.schema());
      t.put("table", id.table());
      t.put("phase", p.phase().name());
      t.set("cursor", key(p.cursor()));
      t.put("planComplete", p.planComplete());
      ArrayNode finished = t.putArray("finished");
      for (KeyRange r : p.finished()) {
        finished.addArray().add(key(r.lo())).add(key(r.hi()));
      }
    });
    ObjectNode state = root.putObject("connectorState");
    cp.connectorState().forEach(state::put);
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize checkpoint", e);
    }
  }

  /**
   * Reads a checkpoint, refusing one of another pipeline or of a newer format.
   *
   * @param where names the storage in error messages (a file path, a table)
   */
  public static Checkpoint read(byte[] bytes, String expectedPipeline, String where) {
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new ConfigurationException("checkpoint " + where + " is not readable JSON (" + e.getMessage()
          + "); restore it from a backup or delete it to snapshot again", e);
    }
    int format = root.path("format").asInt(-1);
    if (format < 1) {
      throw new ConfigurationException("checkpoint " + where + " has no format version; it was not written by Sluice");
    }
    if (format > Checkpoint.FORMAT_VERSION) {
      throw new ConfigurationException("checkpoint " + where + " has format " + format
          + ", written by a newer Sluice; this version reads format " + Checkpoint.FORMAT_VERSION
          + " and older. Run the newer version, or delete the checkpoint to snapshot again");
    }
    String pipeline = root.path("pipeline").asText();
    if (!pipeline.equals(expectedPipeline)) {
      throw new ConfigurationException("checkpoint " + where + " belongs to pipeline '" + pipeline
          + "', not '" + expectedPipeline + "'; give each pipeline its own checkpoint location");
    }
    Map<TableId, TableProgress> tables = new LinkedHashMap<>();
    for (JsonNode t : root.path("tables")) {
      TableId id = new TableId(text(t.get("catalog")), text(t.get("schema")), t.get("table").asText());
      List<KeyRange> finished = new ArrayList<>();
      for (JsonNode r : t.path("finished")) {
        finished.add(new KeyRange(key(r.get(0)), key(r.get(1))));
      }
      tables.put(id, new TableProgress(TableProgress.Phase.valueOf(t.get("phase").asText()),
          key(t.get("cursor")), t.path("planComplete").asBoolean(), finished));
    }
    Map<String, String> state = new LinkedHashMap<>();
    root.path("connectorState").fields().forEachRemaining(e -> state.put(e.getKey(), e.getValue().asText()));
    return new Checkpoint(pipeline, root.get("position").asText(), tables, state,
        Instant.parse(root.get("savedAt").asText()));
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static JsonNode key(Key key) {
    if (key == null) {
      return MAPPER.nullNode();
    }
    ArrayNode a = MAPPER.createArrayNode();
    KeyCodec.encode(key).forEach(a::add);
    return a;
  }

  private static Key key(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    n.forEach(p -> parts.add(p.asText()));
    return KeyCodec.decode(parts);
  }
}
