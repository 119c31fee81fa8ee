package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.checkpoint.FileCheckpointStore;
import dev.sluice.core.event.TableId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables added to one pipeline through the REST API, kept beside its checkpoint as
 * {@code <pipeline>.tables.json} so they survive a restart of the daemon without the user's file
 * being edited. Each becomes one more exact-name pattern of the source's {@code tables} option.
 */
final class AddedTables {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Path temp;
  private final String pipelineId;

  AddedTables(Path checkpointDir, String pipelineId) {
    this.file = checkpointDir.resolve(pipelineId + ".tables.json");
    this.temp = checkpointDir.resolve(pipelineId + ".tables.json.tmp");
    this.pipelineId = pipelineId;
  }

  Path file() {
    return file;
  }

  /** The added tables, in the order they were added; none when the file does not exist. */
  List<String> load() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      JsonNode root = JSON.readTree(Files.readAllBytes(file));
      List<String> out = new ArrayList<>();
      root.path("added").forEach(t -> out.add(t.asText()));
      return List.copyOf(out);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read the added tables of pipeline " + pipelineId + " from " + file
          + ": " + e.getMessage(), e);
    }
  }

  /** Saves the list atomically: a crash leaves the old list or the new one. */
  void save(List<String> tables) {
    ObjectNode root = JSON.createObjectNode();
    root.put("pipeline", pipelineId);
    tables.forEach(root.putArray("added")::add);
    try {
      FileCheckpointStore.replaceDurably(file, temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the added tables of pipeline " + pipelineId, e);
    }
  }

  /**
   * Checks a table name given to the API: {@code db.table}, or {@code schema.table} or
   * {@code db.schema.table} for a source with schemas; every part non-empty, no comma (the
   * {@code tables} option is a comma-separated list) and no space around a part.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static TableId parse(String name) {
    String[] parts = name.split("\\.", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException("'" + name + "' is not a table name; write db.table (schema.table or "
          + "db.schema.table for PostgreSQL)");
    }
    for (String p : parts) {
      if (p.isEmpty() || !p.strip().equals(p) || p.contains(",")) {
        throw new IllegalArgumentException("'" + name + "' is not a table name: each part of db.table must be "
            + "non-empty, without a comma and without leading or trailing spaces");
      }
    }
    return TableId.parse(name);
  }

  /**
   * The pattern selecting exactly this table: its parts with every character a regular expression
   * gives a meaning to escaped, joined by escaped dots. Having no unescaped dot, it has no Flink CDC
   * selector reading, so only the plain regular expression applies.
   */
  static String exactPattern(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!Character.isLetterOrDigit(c) && c != '_') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * Whether a captured table answers to a name given to the API: its full name, or for a table with a
   * schema, {@code schema.table} without the database.
   */
  static boolean answersTo(TableId table, String name) {
    return table.toString().equals(name)
        || table.schema() != null && (table.schema() + "." + table.table()).equals(name);
  }
}
