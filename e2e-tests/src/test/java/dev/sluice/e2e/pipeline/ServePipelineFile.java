package dev.sluice.e2e.pipeline;

import dev.sluice.testsupport.JdbcEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A MySQL-to-PostgreSQL pipeline file for {@code sluice serve}, as the serve tests write them: the
 * source logs in with the given user and password (a wrong one makes a failing pipeline), the sink
 * writes into {@code schema} as the PostgreSQL admin, and extra lines go at the end of the
 * {@code pipeline} and {@code sluice} sections.
 */
final class ServePipelineFile {
  private final JdbcEndpoint mysql;
  private final String user;
  private final String password;
  private final String tables;
  private final int serverId;
  private final JdbcEndpoint pg;
  private final String schema;
  private final Path checkpoints;
  private final List<String> pipelineLines = new ArrayList<>();
  private final List<String> sluiceLines = new ArrayList<>();
  private String checkpointInterval = "1s";

  ServePipelineFile(JdbcEndpoint mysql, String user, String password, String tables, int serverId, JdbcEndpoint pg,
      String schema, Path checkpoints) {
    this.mysql = mysql;
    this.user = user;
    this.password = password;
    this.tables = tables;
    this.serverId = serverId;
    this.pg = pg;
    this.schema = schema;
    this.checkpoints = checkpoints;
  }

  /** Adds {@code key: value} lines to the {@code pipeline} section. */
  ServePipelineFile pipeline(String... lines) {
    pipelineLines.addAll(List.of(lines));
    return this;
  }

  /** Adds {@code key: value} lines to the {@code sluice} section. */
  ServePipelineFile sluice(String... lines) {
    sluiceLines.addAll(List.of(lines));
    return this;
  }

  /** The {@code sluice} section's checkpoint interval (1s unless set). */
  ServePipelineFile checkpointInterval(String interval) {
    checkpointInterval = interval;
    return this;
  }

  /** Writes {@code <dir>/<name>.yaml}, the pipeline named {@code name}; returns the file. */
  Path write(Path dir, String name) throws IOException {
    return Files.writeString(dir.resolve(name + ".yaml"), """
        source:
          type: mysql
          hostname: %s
          port: %d
          username: %s
          password: %s
          tables: %s
          server-id: %d
          connect.timeout: 5s
        sink:
          type: jdbc
          url: %s
          username: %s
          password: %s
          target.schema: %s
        pipeline:
          name: %s
        %ssluice:
          checkpoint.dir: %s
          checkpoint.interval: %s
        %s""".formatted(mysql.host(), mysql.port(), user, password, tables, serverId, pg.jdbcUrl(), pg.adminUser(),
        pg.adminPassword(), schema, name, indented(pipelineLines), checkpoints, checkpointInterval,
        indented(sluiceLines)));
  }

  private static String indented(List<String> lines) {
    StringBuilder b = new StringBuilder();
    for (String line : lines) {
      b.append("  ").append(line).append('\n');
    }
    return b.toString();
  }
}
