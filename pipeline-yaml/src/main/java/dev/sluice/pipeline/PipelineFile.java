package dev.sluice.pipeline;

import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.sluice.core.event.TablePattern;
import dev.sluice.pipeline.transform.TransformRule;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a pipeline file in Flink CDC 3's format ({@code source}, {@code sink}, {@code route},
 * {@code transform}, {@code pipeline}) plus Sluice's {@code sluice} block, and validates all of it,
 * collecting every fault with its line and column before failing. SnakeYAML's node tree is used
 * rather than a data binding because it keeps the position of every key and value.
 */
public final class PipelineFile {
  private static final List<String> TOP_LEVEL = List.of("source", "sink", "route", "transform", "pipeline", "sluice");
  private static final List<String> ROUTE_KEYS = List.of("source-table", "sink-table", "replace-symbol", "description");
  private static final List<String> TRANSFORM_KEYS =
      List.of("source-table", "projection", "filter", "primary-keys", "description");

  private final String file;
  private final Map<String, String> env;
  private final ConnectorCatalog catalog;
  private final List<Problem> problems = new ArrayList<>();

  private PipelineFile(String file, Map<String, String> env, ConnectorCatalog catalog) {
    this.file = file;
    this.env = env;
    this.catalog = catalog;
  }

  /** Reads and validates a pipeline file with the process environment and the connectors on the class path. */
  public static PipelineDef load(Path path) {
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new PipelineFileException(List.of(new Problem(path.toString(), 1, 1, "", "cannot read the file: " + e)));
    }
    return parse(path.toString(), text, System.getenv(), ConnectorCatalog.fromClassPath());
  }

  /** Validates pipeline text; {@code file} names it in error messages. */
  public static PipelineDef parse(String file, String text, Map<String, String> env, ConnectorCatalog catalog) {
    return new PipelineFile(file, env, catalog).parse(text);
  }

  private PipelineDef parse(String text) {
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      problems.add(new Problem(file, m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, "",
          "YAML syntax error: " + e.getProblem()));
      throw new PipelineFileException(problems);
    }
    if (!(root instanceof MappingNode top)) {
      problem(root, "", root == null ? "the file is empty; a pipeline needs at least a source and a sink"
          : "expected a mapping with source, sink, route, pipeline and sluice blocks");
      throw new PipelineFileException(problems);
    }
    Map<String, NodeTuple> blocks = entries(top, "");
    blocks.forEach((key, t) -> {
      if (!TOP_LEVEL.contains(key)) {
        unknown(t.getKeyNode(), "", key, TOP_LEVEL);
      }
    });
    ConnectorDef source = connector(blocks.get("source"), "source", top, true);
    ConnectorDef sink = connector(blocks.get("sink"), "sink", top, false);
    List<Route> routes = routes(blocks.get("route"));
    List<TransformRule> transforms = transforms(blocks.get("transform"));
    Options pipeline = options(blocks.get("pipeline"), "pipeline", PipelineOptions.PIPELINE);
    Options sluice = options(blocks.get("sluice"), "sluice", PipelineOptions.SLUICE);
    if (!problems.isEmpty()) {
      throw new PipelineFileException(problems);
    }
    String name = pipeline.get(PipelineOptions.NAME);
    if (name == null) {
      name = Path.of(file).getFileName().toString().replaceFirst("\\.ya?ml$", "");
    }
    return new PipelineDef(file, name, source, sink, routes, transforms, pipeline, sluice);
  }

  private ConnectorDef connector(NodeTuple block, String path, MappingNode top, boolean isSource) {
    if (block == null) {
      problem(top, "", "missing the " + path + " block (with a type: " + String.join(", ", isSource
          ? catalog.sources().keySet() : catalog.sinks().keySet()) + ")");
      return null;
    }
    if (!(block.getValueNode() instanceof MappingNode body)) {
      problem(block.getValueNode(), path, "expected a mapping of options with a type");
      return null;
    }
    Map<String, NodeTuple> raw = entries(body, path);
    NodeTuple typeEntry = raw.remove("type");
    NodeTuple nameEntry = raw.remove("name");
    if (typeEntry == null) {
      problem(body, path, "missing 'type'");
      return null;
    }
    String type = scalar(typeEntry.getValueNode(), path + ".type");
    List<Option<?>> declared = isSource
        ? (catalog.sources().containsKey(type) ? catalog.sources().get(type).options() : null)
        : (catalog.sinks().containsKey(type) ? catalog.sinks().get(type).options() : null);
    if (declared == null) {
      unknown(typeEntry.getValueNode(), path + ".type", type,
          List.copyOf(isSource ? catalog.sources().keySet() : catalog.sinks().keySet()));
      return null;
    }
    Options options = validate(body, path, raw, declared);
    String name = nameEntry == null ? null : scalar(nameEntry.getValueNode(), path + ".name");
    return options == null ? null : new ConnectorDef(type, name, options);
  }

  private Options options(NodeTuple block, String path, List<Option<?>> declared) {
    if (block == null) {
      return Options.parse(path, declared, Map.of());
    }
    if (!(block.getValueNode() instanceof MappingNode body)) {
      problem(block.getValueNode(), path, "expected a mapping of options");
      return null;
    }
    return validate(body, path, entries(body, path), declared);
  }

  /** Checks each option where it is written, then lets {@link Options} fill defaults. */
  private Options validate(Node block, String path, Map<String, NodeTuple> entries, List<Option<?>> declared) {
    int before = problems.size();
    Map<String, String> raw = new LinkedHashMap<>();
    List<String> names = declared.stream().map(Option::name).toList();
    entries.forEach((key, t) -> {
      Option<?> d = Options.declarationOf(declared, key);
      if (d == null) {
        unknown(t.getKeyNode(), path, key, names);
        return;
      }
      String value = value(t.getValueNode(), path + "." + key);
      if (value == null) {
        return;
      }
      if (!d.isPrefix()) {
        try {
          d.parse().apply(value);
        } catch (IllegalArgumentException e) {
          problem(t.getValueNode(), path + "." + key, e.getMessage());
          return;
        }
      }
      raw.put(key, value);
    });
    for (Option<?> d : declared) {
      if (d.required() && !raw.containsKey(d.name()) && !entries.containsKey(d.name())) {
        problem(block, path, "missing required option '" + d.name() + "' (" + d.description() + ")");
      }
    }
    return problems.size() == before ? Options.parse(file + ": " + path, declared, raw) : null;
  }

  private List<Route> routes(NodeTuple block) {
    List<Route> routes = new ArrayList<>();
    if (block == null) {
      return routes;
    }
    if (!(block.getValueNode() instanceof SequenceNode list)) {
      problem(block.getValueNode(), "route", "expected a list of rules, each with source-table and sink-table");
      return routes;
    }
    for (int i = 0; i < list.getValue().size(); i++) {
      String path = "route[" + i + "]";
      Node item = list.getValue().get(i);
      if (!(item instanceof MappingNode rule)) {
        problem(item, path, "expected a mapping with source-table and sink-table");
        continue;
      }
      Map<String, NodeTuple> keys = entries(rule, path);
      keys.forEach((k, t) -> {
        if (!ROUTE_KEYS.contains(k)) {
          unknown(t.getKeyNode(), path, k, ROUTE_KEYS);
        }
      });
      String sourceTable = required(keys, rule, path, "source-table");
      String sinkTable = required(keys, rule, path, "sink-table");
      String replace = keys.containsKey("replace-symbol") ? value(keys.get("replace-symbol").getValueNode(), path) : null;
      String description = keys.containsKey("description") ? value(keys.get("description").getValueNode(), path) : null;
      if (sourceTable == null || sinkTable == null) {
        continue;
      }
      try {
        routes.add(new Route(TablePattern.compile(sourceTable), sinkTable, replace, description));
      } catch (IllegalArgumentException e) {
        problem(keys.get("source-table").getValueNode(), path + ".source-table", e.getMessage());
      }
    }
    return routes;
  }

  private List<TransformRule> transforms(NodeTuple block) {
    List<TransformRule> rules = new ArrayList<>();
    if (block == null) {
      return rules;
    }
    if (!(block.getValueNode() instanceof SequenceNode list)) {
      problem(block.getValueNode(), "transform", "expected a list of rules, each with source-table");
      return rules;
    }
    for (int i = 0; i < list.getValue().size(); i++) {
      String path = "transform[" + i + "]";
      Node item = list.getValue().get(i);
      if (!(item instanceof MappingNode rule)) {
        problem(item, path, "expected a mapping with source-table, projection, filter");
        continue;
      }
      Map<String, NodeTuple> keys = entries(rule, path);
      keys.forEach((k, t) -> {
        if (!TRANSFORM_KEYS.contains(k)) {
          unknown(t.getKeyNode(), path, k, TRANSFORM_KEYS);
        }
      });
      String sourceTable = required(keys, rule, path, "source-table");
      String projection = expression(keys.get("projection"), path + ".projection", false);
      String filter = expression(keys.get("filter"), path + ".filter", true);
      String keyList = keys.containsKey("primary-keys") ? value(keys.get("primary-keys").getValueNode(), path) : null;
      String description = keys.containsKey("description") ? value(keys.get("description").getValueNode(), path) : null;
      if (sourceTable == null) {
        continue;
      }
      try {
        rules.add(new TransformRule(TablePattern.compile(sourceTable), projection, filter, keyList == null ? List.of()
            : List.of(keyList.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList(), description));
      } catch (IllegalArgumentException e) {
        problem(keys.get("source-table").getValueNode(), path + ".source-table", e.getMessage());
      }
    }
    return rules;
  }

  /** A projection or filter, its syntax checked where it is written. */
  private String expression(NodeTuple t, String path, boolean isFilter) {
    if (t == null) {
      return null;
    }
    String text = value(t.getValueNode(), path);
    if (text == null) {
      return null;
    }
    String error = TransformRule.syntaxError(text, isFilter);
    if (error != null) {
      int at = error.lastIndexOf('@');
      Mark m = t.getValueNode().getStartMark();
      problems.add(new Problem(file, m.getLine() + 1, m.getColumn() + 1 + Integer.parseInt(error.substring(at + 1)),
          path, error.substring(0, at)));
      return null;
    }
    return text;
  }

  private String required(Map<String, NodeTuple> keys, Node at, String path, String key) {
    NodeTuple t = keys.get(key);
    if (t == null) {
      problem(at, path, "missing '" + key + "'");
      return null;
    }
    return value(t.getValueNode(), path + "." + key);
  }

  /**
   * The entries of a mapping by key, nested mappings flattened to dotted keys
   * ({@code debezium: {snapshot.mode: x}} is {@code debezium.snapshot.mode}); a key given twice is a fault.
   */
  private Map<String, NodeTuple> entries(MappingNode node, String path) {
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    flatten(node, "", path, out);
    return out;
  }

  private void flatten(MappingNode node, String prefix, String path, Map<String, NodeTuple> out) {
    for (NodeTuple t : node.getValue()) {
      String key = scalar(t.getKeyNode(), path);
      if (key == null) {
        continue;
      }
      String full = prefix + key;
      if (t.getValueNode() instanceof MappingNode nested && !path.isEmpty()) {
        flatten(nested, full + ".", path, out);
      } else if (out.put(full, t) != null) {
        problem(t.getKeyNode(), path, "'" + full + "' is given twice");
      }
    }
  }

  /** A scalar, or a list of scalars joined with commas, with environment variables substituted. */
  private String value(Node node, String path) {
    if (node instanceof SequenceNode list) {
      List<String> items = new ArrayList<>();
      for (Node item : list.getValue()) {
        String v = scalar(item, path);
        if (v == null) {
          return null;
        }
        items.add(v);
      }
      return String.join(",", items);
    }
    return scalar(node, path);
  }

  private String scalar(Node node, String path) {
    if (!(node instanceof ScalarNode s)) {
      problem(node, path, "expected a single value");
      return null;
    }
    try {
      return EnvSubstitution.apply(s.getValue(), env);
    } catch (IllegalArgumentException e) {
      problem(node, path, e.getMessage());
      return null;
    }
  }

  private void unknown(Node at, String path, String key, List<String> known) {
    String hint = Options.closest(known, key);
    problem(at, path, "unknown " + (path.endsWith(".type") ? "type" : path.isEmpty() ? "block" : "option") + " '"
        + key + "'" + (hint != null ? "; did you mean '" + hint + "'?" : "; expected one of " + String.join(", ", known)));
  }

  private void problem(Node at, String path, String message) {
    Mark m = at == null ? null : at.getStartMark();
    problems.add(new Problem(file, m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, path, message));
  }
}
