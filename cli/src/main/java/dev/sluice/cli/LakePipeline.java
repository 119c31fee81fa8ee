package dev.sluice.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The pipeline {@code sluice lake} writes: every table of the source database (or those {@code tables}
 * selects), a snapshot then the change log, into Iceberg tables in a warehouse directory with the
 * embedded SQLite catalog, exactly once. The password is never written: the file takes it from an
 * environment variable. Everything in it is derived from the arguments alone, so the same command
 * writes the same file again and a second run resumes the first.
 *
 * @param warehouse an absolute path
 * @param passwordVariable the environment variable the file takes the password from
 * @param tables the source's {@code tables} patterns; null for the whole database
 * @param commitInterval a duration as pipeline files write it ({@code 60s})
 */
record LakePipeline(SourceUrl source, Path warehouse, String passwordVariable, String tables, String commitInterval,
    int parallelism) {

  LakePipeline {
    Objects.requireNonNull(source, "source");
    if (!warehouse.isAbsolute() || warehouse.getFileName() == null) {
      throw new IllegalArgumentException("the warehouse must be an absolute path below the root: " + warehouse);
    }
    if (!passwordVariable.matches("[A-Z_][A-Z0-9_]*")) {
      throw new IllegalArgumentException("the password variable '" + passwordVariable
          + "' is not an environment variable name a pipeline file can take (upper-case letters, digits, _)");
    }
  }

  /** The pipeline's name, which also names its checkpoint: {@code lake-<database>}. */
  String name() {
    return "lake-" + source.database().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-");
  }

  /** Where the file goes: beside the warehouse, {@code <warehouse>-<database>.yaml}. */
  Path file() {
    return warehouse.resolveSibling(warehouse.getFileName() + "-" + name().substring("lake-".length()) + ".yaml");
  }

  /** The checkpoint directory beside the warehouse (the list of tables added through the REST API goes there). */
  Path checkpoints() {
    return warehouse.resolveSibling(warehouse.getFileName() + "-checkpoints");
  }

  /**
   * The MySQL binlog reader's server id: one number in 5500-6499 derived from the warehouse and the
   * database, so two lakes on one server are unlikely to share it, yet the same on every run.
   */
  int serverId() {
    return 5500 + Math.floorMod((warehouse + "|" + source.database()).hashCode(), 1000);
  }

  /** The PostgreSQL replication slot (and publication) name: {@code sluice_lake_<database>}. */
  String slot() {
    String s = "sluice_lake_" + source.database().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return s.length() > 63 ? s.substring(0, 63) : s;
  }

  /** The source's tables option: every table of the database unless {@code tables} says otherwise. */
  String tablesOption() {
    if (tables != null) {
      return tables;
    }
    // PostgreSQL patterns match schema.table within the one database; MySQL's match db.table.
    return source.isPostgres() ? ".*" : source.database().replaceAll("([^A-Za-z0-9_])", "\\\\$1") + "\\..*";
  }

  String yaml() {
    StringBuilder y = new StringBuilder();
    y.append("# Written by `sluice lake`: ").append(tables == null ? "every table" : "the tables " + tables)
        .append(" of the ").append(source.sourceType()).append(" database ").append(source.database())
        .append(",\n# a snapshot then the change log, into Iceberg tables in ").append(warehouse).append(".\n")
        .append("# Run it again (it resumes) with `sluice run ").append(file()).append("` and ")
        .append(passwordVariable).append(" set,\n# or edit it first: `sluice lake` will not overwrite a file that")
        .append(" differs from the one it would write.\n");
    y.append("source:\n");
    y.append("  type: ").append(source.sourceType()).append('\n');
    y.append("  hostname: ").append(quote(source.host())).append('\n');
    y.append("  port: ").append(source.port()).append('\n');
    y.append("  username: ").append(quote(source.user())).append('\n');
    y.append("  password: ${").append(passwordVariable).append("}\n");
    if (source.isPostgres()) {
      y.append("  database-name: ").append(quote(source.database())).append('\n');
    }
    y.append("  tables: ").append(quote(tablesOption())).append('\n');
    if (source.isPostgres()) {
      y.append("  slot.name: ").append(slot()).append('\n');
    } else {
      y.append("  server-id: \"").append(serverId()).append("\"\n");
    }
    for (Map.Entry<String, String> p : source.driverProperties().entrySet()) {
      y.append("  ").append(quote("jdbc.properties." + p.getKey())).append(": ").append(quote(p.getValue())).append('\n');
    }
    y.append("\nsink:\n");
    y.append("  type: iceberg\n");
    y.append("  warehouse: ").append(quote(warehouse.toString())).append('\n');
    y.append("  commit.interval: ").append(commitInterval).append('\n');
    y.append("\npipeline:\n");
    y.append("  name: ").append(name()).append('\n');
    y.append("  parallelism: ").append(parallelism).append('\n');
    y.append("\nsluice:\n");
    y.append("  checkpoint.dir: ").append(quote(checkpoints().toString())).append('\n');
    // The sink commits the checkpoint with the data, one Iceberg commit per table each interval.
    y.append("  checkpoint.interval: ").append(commitInterval).append('\n');
    y.append("  delivery: exactly-once\n");
    return y.toString();
  }

  /** A YAML double-quoted scalar. */
  static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> q.append("\\\\");
        case '"' -> q.append("\\\"");
        case '\n' -> q.append("\\n");
        case '\t' -> q.append("\\t");
        default -> {
          if (c < 0x20) {
            q.append(String.format("\\x%02x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }
}
