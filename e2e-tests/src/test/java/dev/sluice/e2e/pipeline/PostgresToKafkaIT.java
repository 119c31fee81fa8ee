package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/postgres-to-kafka.yaml through the real sluice command against PostgreSQL 15 and Kafka,
 * with writes all along: SIGKILL during the snapshot, restart, SIGTERM while streaming, restart;
 * then the topic's last value per key equals the table. The slot and publication are dropped after.
 */
class PostgresToKafkaIT {
  @TempDir Path work;

  @Test
  void snapshotAndLogicalReplicationSurviveACrashAndACleanStop() throws Exception {
    long seed = System.nanoTime();
    String schema = "e2e_pgk_" + Long.toHexString(seed).substring(0, 8);
    String slot = "sluice_" + schema;
    JdbcEndpoint pg = TestServers.postgres();
    Path example = Path.of("..", "examples", "postgres-to-kafka.yaml").toAbsolutePath().normalize();
    Map<String, String> env = Map.of("PG_HOST", pg.host(), "PG_PORT", String.valueOf(pg.port()),
        "PG_USER", pg.adminUser(), "PG_PASSWORD", pg.adminPassword(), "PG_DATABASE", pg.database(),
        "PG_TABLES", schema + "\\..*", "PG_SLOT", slot, "KAFKA_BOOTSTRAP", TestServers.kafkaBootstrap());
    String topic = pg.database() + "." + schema + ".orders";
    try (MySqlWorkload w = new MySqlWorkload(pg, schema, seed, "SCHEMA")) {
      w.create(30_000);
      w.startWriting();
      try (SluiceProcess first = SluiceProcess.start(work, env, "run", example.toString())) {
        TimeUnit.MILLISECONDS.sleep(2500);
        first.kill(); // inside the snapshot
      }
      try (SluiceProcess second = SluiceProcess.start(work, env, "run", example.toString())) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(
            () -> assertThat(TopicState.read(topic).size()).as("output:%n%s", second.output()).isGreaterThan(25_000));
        TimeUnit.SECONDS.sleep(1);
        assertThat(second.terminate()).as("output:%n%s", second.output()).isZero();
      }
      try (SluiceProcess third = SluiceProcess.start(work, env, "run", example.toString())) {
        TimeUnit.SECONDS.sleep(1);
        w.stopWriting();
        Map<Long, String> expected = w.rows();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(
            () -> assertThat(TopicState.read(topic)).as("seed %s; output:%n%s", seed, third.output()).isEqualTo(expected));
        assertThat(third.terminate()).as("output:%n%s", third.output()).isZero();
      }
    } finally {
      try (Connection c = pg.connectAsAdmin(); Statement s = c.createStatement()) {
        s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot
            + "' AND NOT active");
        s.execute("DO $$ DECLARE p text; BEGIN FOR p IN SELECT pubname FROM pg_publication WHERE pubname LIKE '%"
            + schema + "%' OR pubname LIKE '%" + slot + "%' LOOP EXECUTE 'DROP PUBLICATION ' || quote_ident(p); "
            + "END LOOP; END $$");
      }
    }
  }
}
