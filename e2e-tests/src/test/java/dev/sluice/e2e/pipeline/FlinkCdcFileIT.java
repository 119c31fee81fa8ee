package dev.sluice.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline file in the form Flink CDC 3 documents for MySQL to Kafka, comments and all, with only
 * the connection values (host, port, user, password, bootstrap servers), the database name and the
 * server-id range filled in for this machine: Flink's {@code tables: app_db.\.*} selector, its
 * {@code route} rules to single-name topics, no {@code sluice} block. {@code sluice validate}
 * accepts it and {@code sluice run} copies the three tables and then streams a change.
 */
class FlinkCdcFileIT {
  @TempDir Path work;

  @Test
  void aFlinkCdcMySqlToKafkaFileRunsAsWritten() throws Exception {
    long seed = System.nanoTime();
    String suffix = Long.toHexString(seed).substring(0, 8);
    String db = "e2e_flink_" + suffix;
    JdbcEndpoint mysql = TestServers.mysql();
    try (Connection c = mysql.connectAsAdmin(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
      s.execute("CREATE TABLE " + db + ".orders (id INT NOT NULL, price DECIMAL(10,2) NOT NULL, PRIMARY KEY (id))");
      s.execute("INSERT INTO " + db + ".orders VALUES (1, 4.00), (2, 100.00)");
      s.execute("CREATE TABLE " + db + ".shipments (id INT NOT NULL, city VARCHAR(255) NOT NULL, PRIMARY KEY (id))");
      s.execute("INSERT INTO " + db + ".shipments VALUES (1, 'beijing'), (2, 'xian')");
      s.execute("CREATE TABLE " + db + ".products (id INT NOT NULL, product VARCHAR(255) NOT NULL, PRIMARY KEY (id))");
      s.execute("INSERT INTO " + db + ".products VALUES (1, 'Beer'), (2, 'Cap'), (3, 'Peanut')");
    }
    int serverId = 7000 + (int) (seed & 0x7ff) * 5;
    Path file = work.resolve("mysql-to-kafka.yaml");
    Files.writeString(file, """
        ################################################################################
        # Description: sync every table of a MySQL database to Kafka
        ################################################################################
        source:
          type: mysql
          hostname: HOST
          port: PORT
          username: USER
          password: PASSWORD
          tables: APP_DB.\\.*
          server-id: SERVER_IDS
          server-time-zone: UTC

        sink:
          type: kafka
          name: Kafka Sink
          properties.bootstrap.servers: PLAINTEXT://BOOTSTRAP

        route:
          - source-table: APP_DB.orders
            sink-table: kafka_ods_orders_SUFFIX
          - source-table: APP_DB.shipments
            sink-table: kafka_ods_shipments_SUFFIX
          - source-table: APP_DB.products
            sink-table: kafka_ods_products_SUFFIX

        pipeline:
          name: MySQL to Kafka Pipeline
          parallelism: 1
        """.replace("HOST", mysql.host()).replace("PORT", String.valueOf(mysql.port()))
        .replace("USER", mysql.user()).replace("PASSWORD", mysql.password()).replace("APP_DB", db)
        .replace("SERVER_IDS", serverId + "-" + (serverId + 4)).replace("BOOTSTRAP", TestServers.kafkaBootstrap())
        .replace("SUFFIX", suffix));

    try (SluiceProcess validate = SluiceProcess.start(work, Map.of(), "validate", file.toString())) {
      assertThat(validate.waitFor(60)).as("validate output:%n%s", validate.output()).isZero();
    }
    try (SluiceProcess run = SluiceProcess.start(work, Map.of(), "run", file.toString())) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(column("kafka_ods_products_" + suffix, "product"))
              .as("output:%n%s", run.output()).containsExactly(Map.entry(1L, "Beer"), Map.entry(2L, "Cap"),
                  Map.entry(3L, "Peanut")));
      assertThat(column("kafka_ods_orders_" + suffix, "price")).containsOnlyKeys(1L, 2L);
      assertThat(column("kafka_ods_shipments_" + suffix, "city"))
          .containsExactly(Map.entry(1L, "beijing"), Map.entry(2L, "xian"));

      try (Connection c = mysql.connectAsAdmin(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO " + db + ".shipments VALUES (3, 'hangzhou')");
        s.execute("UPDATE " + db + ".shipments SET city = 'shanghai' WHERE id = 1");
        s.execute("DELETE FROM " + db + ".products WHERE id = 2");
      }
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(column("kafka_ods_shipments_" + suffix, "city"))
              .as("output:%n%s", run.output())
              .containsExactly(Map.entry(1L, "shanghai"), Map.entry(2L, "xian"), Map.entry(3L, "hangzhou")));
      assertThat(column("kafka_ods_products_" + suffix, "product")).containsOnlyKeys(1L, 3L);
      assertThat(run.terminate()).as("output:%n%s", run.output()).isZero();
    }
  }

  /** Each key's last value of one column in a topic. */
  private static Map<Long, String> column(String topic, String name) throws Exception {
    Map<Long, String> out = new TreeMap<>();
    for (Map.Entry<Long, JsonNode> e : TopicState.lastValues(topic).entrySet()) {
      out.put(e.getKey(), e.getValue().get(name).asText());
    }
    return out;
  }
}
