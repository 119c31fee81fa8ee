package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.event.TableId;
import dev.sluice.core.option.Option;
import dev.sluice.core.option.Options;
import dev.sluice.core.sink.Sink;
import dev.sluice.core.sink.SinkFactory;
import dev.sluice.core.source.Source;
import dev.sluice.core.source.SourceFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineFileTest {
  static final Option<String> HOST = Option.string("hostname", "database host").asRequired();
  static final Option<Integer> PORT = Option.integer("port", 1, "database port").withDefault("3306");
  static final Option<String> PASSWORD = Option.password("password", "login password");
  static final Option<String> TABLES = Option.string("tables", "tables to capture");

  static final ConnectorCatalog CATALOG = new ConnectorCatalog(Map.of("mysql", new SourceFactory() {
    public String type() {
      return "mysql";
    }

    public String description() {
      return "test";
    }

    public List<Option<?>> options() {
      return List.of(HOST, PORT, Option.string("username", "login"), PASSWORD, TABLES,
          Option.string("server-id", "replica id"), Option.string("server-time-zone", "zone"),
          Option.prefix("debezium.", "passed to Debezium"));
    }

    public Source create(Options options) {
      throw new UnsupportedOperationException();
    }
  }), Map.of("kafka", new SinkFactory() {
    public String type() {
      return "kafka";
    }

    public String description() {
      return "test";
    }

    public List<Option<?>> options() {
      return List.of(Option.string("properties.bootstrap.servers", "brokers").asRequired(),
          Option.string("topic", "one topic"), Option.prefix("properties.", "producer settings"));
    }

    public Sink create(Options options, String pipelineId) {
      throw new UnsupportedOperationException();
    }
  }));

  private static PipelineDef parse(String yaml) {
    return PipelineFile.parse("p.yaml", yaml, Map.of("DB_PASSWORD", "hunter2"), CATALOG);
  }

  private static String errorOf(String yaml) {
    try {
      parse(yaml);
    } catch (PipelineFileException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the file to be refused");
  }

  /** A file in Flink CDC 3's documented MySQL-to-Kafka shape, unchanged. */
  static final String FLINK_CDC_EXAMPLE = """
      source:
        type: mysql
        name: MySQL Source
        hostname: 127.0.0.1
        port: 3306
        username: admin
        password: ${DB_PASSWORD}
        tables: app_db.\\.*
        server-id: 5401-5404
        server-time-zone: UTC

      sink:
        type: kafka
        name: Kafka Sink
        properties.bootstrap.servers: PLAINTEXT://localhost:9092

      route:
        - source-table: app_db.orders
          sink-table: ods_db.ods_orders
          description: sync orders table to orders

      pipeline:
        name: MySQL to Kafka Pipeline
        parallelism: 2
      """;

  @Test
  void acceptsAFlinkCdcPipelineFileAsWritten() {
    PipelineDef p = parse(FLINK_CDC_EXAMPLE);
    assertThat(p.name()).isEqualTo("MySQL to Kafka Pipeline");
    assertThat(p.source().type()).isEqualTo("mysql");
    assertThat(p.source().options().get(PORT)).isEqualTo(3306);
    assertThat(p.source().options().get(PASSWORD)).isEqualTo("hunter2");
    assertThat(p.source().options().get(TABLES)).isEqualTo("app_db.\\.*");
    assertThat(p.pipeline().get(PipelineOptions.PARALLELISM)).isEqualTo(2);
    assertThat(p.sluice().get(PipelineOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.routes()).hasSize(1);
    assertThat(p.routes().get(0).target(TableId.of("app_db", "orders"))).isEqualTo(TableId.of("ods_db", "ods_orders"));
  }

  @Test
  void routesTakeFlinkCdcSelectors() {
    PipelineDef p = parse(FLINK_CDC_EXAMPLE.replace("source-table: app_db.orders", "source-table: app_db.\\.*")
        .replace("sink-table: ods_db.ods_orders", "sink-table: ods_db.ods_<>\n    replace-symbol: <>"));
    assertThat(p.routes().get(0).matches(TableId.of("app_db", "products"))).isTrue();
    assertThat(p.routes().get(0).matches(TableId.of("shop", "products"))).isFalse();
    assertThat(p.routes().get(0).target(TableId.of("app_db", "products"))).isEqualTo(TableId.of("ods_db", "ods_products"));
  }

  @Test
  void secretsNeverShowWhenThePipelineIsPrinted() {
    assertThat(parse(FLINK_CDC_EXAMPLE).toString()).doesNotContain("hunter2").contains("password=******");
  }

  @Test
  void aMisspelledOptionNamesLineColumnPathAndTheNearestOption() {
    String yaml = FLINK_CDC_EXAMPLE.replace("  hostname: 127.0.0.1", "  hostnmae: 127.0.0.1");
    assertThat(errorOf(yaml)).contains("p.yaml:4:3: source: unknown option 'hostnmae'; did you mean 'hostname'?")
        .contains("p.yaml:2:3: source: missing required option 'hostname' (database host)");
  }

  @Test
  void aValueOfTheWrongTypeSaysWhatWasExpected() {
    assertThat(errorOf(FLINK_CDC_EXAMPLE.replace("port: 3306", "port: three")))
        .isEqualTo("p.yaml:5:9: source.port: expected a whole number, got 'three'");
  }

  @Test
  void aYamlSyntaxErrorReportsItsLine() {
    assertThat(errorOf("source:\n  type: mysql\n  hostname: [unclosed\nsink:\n  type: kafka\n"))
        .startsWith("p.yaml:4:").contains("YAML syntax error");
  }

  @Test
  void anUnknownConnectorTypeListsTheNearestKnownOne() {
    assertThat(errorOf(FLINK_CDC_EXAMPLE.replace("type: mysql", "type: mysq")))
        .isEqualTo("p.yaml:2:9: source.type: unknown type 'mysq'; did you mean 'mysql'?");
  }

  @Test
  void anUnsetEnvironmentVariableIsAnErrorUnlessItHasADefault() {
    assertThat(errorOf(FLINK_CDC_EXAMPLE.replace("${DB_PASSWORD}", "${NOPE}")))
        .contains("p.yaml:7:13: source.password: environment variable NOPE is not set");
    PipelineDef p = parse(FLINK_CDC_EXAMPLE.replace("${DB_PASSWORD}", "${NOPE:-fallback}"));
    assertThat(p.source().options().get(PASSWORD)).isEqualTo("fallback");
    // Lower-case placeholders are the connectors' own (topic and table name patterns).
    PipelineDef q = parse(FLINK_CDC_EXAMPLE.replace("  server-time-zone: UTC", "  server-time-zone: ${table}"));
    assertThat(q.source().options().raw("server-time-zone")).isEqualTo("${table}");
  }

  @Test
  void everyFaultIsReportedInOneGo() {
    String yaml = FLINK_CDC_EXAMPLE.replace("pipeline:", "pipline:").replace("port: 3306", "port: -1")
        .replace("sink-table: ods_db.ods_orders", "sink-tabel: ods_db.ods_orders");
    assertThat(errorOf(yaml).split("\n")).containsExactlyInAnyOrder(
        "p.yaml:5:9: source.port: expected at least 1, got -1",
        "p.yaml:19:5: route[0]: unknown option 'sink-tabel'; did you mean 'sink-table'?",
        "p.yaml:18:5: route[0]: missing 'sink-table'",
        "p.yaml:22:1: unknown block 'pipline'; did you mean 'pipeline'?");
  }

  @Test
  void missingBlocksAndBadTransformExpressionsAreNamed() {
    assertThat(errorOf("source:\n  type: mysql\n  hostname: h\n")).contains("missing the sink block");
    assertThat(errorOf(FLINK_CDC_EXAMPLE + "transform:\n  - source-table: a.b\n    filter: qty >> 2\n"))
        .contains("p.yaml:27:18: transform[0].filter: expected a column, a value or '(' at '>'");
    assertThat(errorOf(FLINK_CDC_EXAMPLE + "transform:\n  - source-table: a.b\n    projection: id, qty * 2\n"))
        .contains("transform[0].projection: an expression needs a name: add AS <name>");
    assertThat(errorOf("")).contains("the file is empty");
  }

  @Test
  void transformRulesAreRead() {
    PipelineDef p = parse(FLINK_CDC_EXAMPLE + """
        transform:
          - source-table: app_db.orders
            projection: id, UPPER(name) AS name, qty * 2 AS double_qty
            filter: qty > 10 AND name IS NOT NULL
            description: big orders only
        """);
    assertThat(p.transforms()).hasSize(1);
    assertThat(p.transforms().get(0).filter()).isEqualTo("qty > 10 AND name IS NOT NULL");
  }

  @Test
  void aBadRouteRegexAndADuplicateKeyAreRefused() {
    assertThat(errorOf(FLINK_CDC_EXAMPLE.replace("source-table: app_db.orders", "source-table: app_db.(orders")))
        .contains("route[0].source-table: 'app_db.(orders' is not a regular expression");
    assertThat(errorOf(FLINK_CDC_EXAMPLE.replace("  port: 3306", "  port: 3306\n  port: 3307")))
        .contains("'port' is given twice");
  }

  @Test
  void nestedMappingsAreDottedOptionsAndListsAreCommaSeparated() {
    PipelineDef p = parse(FLINK_CDC_EXAMPLE.replace("  tables: app_db.\\.*", """
          tables:
            - app_db.orders
            - app_db.items
          debezium:
            snapshot.mode: no_data
        """.stripTrailing()));
    assertThat(p.source().options().get(TABLES)).isEqualTo("app_db.orders,app_db.items");
    assertThat(p.source().options().withPrefix(Option.prefix("debezium.", "x")))
        .isEqualTo(Map.of("snapshot.mode", "no_data"));
  }
}
