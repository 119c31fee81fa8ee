package dev.sluice.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.containers.MariaDBContainer;
import org.testcontainers.containers.MongoDBContainer;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers fallback, configured like the servers of {@code scripts/test-env.sh}. Containers
 * are started on first use and left to Testcontainers' reaper when the JVM ends.
 */
final class DockerContainers implements ContainerFallback {

    static final String DATABASE = "sluice_test";
    static final String APP_USER = "sluice";
    static final String APP_PASSWORD = "sluice";
    static final String ADMIN_PASSWORD = "sluice-admin";

    private String dockerProblem;
    private boolean probed;

    @Override
    public synchronized String unavailableReason() {
        if (!probed) {
            probed = true;
            try {
                if (!DockerClientFactory.instance().isDockerAvailable()) {
                    dockerProblem = "no usable Docker engine found";
                }
            } catch (RuntimeException | LinkageError e) {
                dockerProblem = "no usable Docker engine found (" + e + ")";
            }
        }
        return dockerProblem;
    }

    @Override
    public JdbcEndpoint jdbc(Server server) {
        switch (server) {
            case MARIADB:
                return mariadb();
            case MYSQL:
                return mysql();
            case POSTGRES:
                return postgres();
            default:
                throw new IllegalArgumentException("not a JDBC server: " + server);
        }
    }

    private static JdbcEndpoint mariadb() {
        MariaDBContainer<?> container = new MariaDBContainer<>(DockerImageName.parse("mariadb:10.11"));
        container.withDatabaseName(DATABASE)
                .withUsername("root")
                .withPassword(ADMIN_PASSWORD)
                .withCommand("--server-id=1", "--log-bin=binlog", "--binlog-format=ROW",
                        "--binlog-row-image=FULL", "--binlog-row-metadata=FULL", "--gtid-strict-mode=ON");
        container.start();
        JdbcEndpoint endpoint = endpoint(container, "mariadb", 3306, "");
        execute(endpoint,
                "CREATE USER IF NOT EXISTS '" + APP_USER + "'@'%' IDENTIFIED BY '" + APP_PASSWORD + "'",
                mysqlGrant());
        return endpoint;
    }

    private static JdbcEndpoint mysql() {
        MySQLContainer<?> container = new MySQLContainer<>(DockerImageName.parse("mysql:8.0"));
        container.withDatabaseName(DATABASE)
                .withUsername("root")
                .withPassword(ADMIN_PASSWORD)
                .withCommand("--server-id=1", "--log-bin=binlog", "--binlog-format=ROW",
                        "--binlog-row-image=FULL", "--gtid-mode=ON", "--enforce-gtid-consistency=ON");
        container.start();
        JdbcEndpoint endpoint = endpoint(container, "mysql", 3306, "?allowPublicKeyRetrieval=true");
        execute(endpoint,
                "CREATE USER IF NOT EXISTS '" + APP_USER + "'@'%' IDENTIFIED BY '" + APP_PASSWORD + "'",
                mysqlGrant());
        return endpoint;
    }

    private static String mysqlGrant() {
        return "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '"
                + APP_USER + "'@'%'";
    }

    private static JdbcEndpoint postgres() {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse("postgres:15"));
        container.withDatabaseName(DATABASE)
                .withUsername("postgres")
                .withPassword(ADMIN_PASSWORD)
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=10",
                        "-c", "max_wal_senders=10", "-c", "fsync=off");
        container.start();
        JdbcEndpoint endpoint = endpoint(container, "postgresql", 5432, "");
        execute(endpoint, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + APP_USER + "')"
                + " THEN CREATE ROLE " + APP_USER + " WITH LOGIN REPLICATION PASSWORD '" + APP_PASSWORD + "';"
                + " END IF; END $$");
        return endpoint;
    }

    @Override
    public String kafkaBootstrap() {
        KafkaContainer container = new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.1"))
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        return container.getBootstrapServers();
    }

    @Override
    public String mongoUri() {
        // A single-node replica set, so that change streams work.
        MongoDBContainer container = new MongoDBContainer(DockerImageName.parse("mongo:7.0"));
        container.start();
        return container.getConnectionString();
    }

    private static JdbcEndpoint endpoint(JdbcDatabaseContainer<?> container, String scheme, int containerPort,
            String parameters) {
        String host = container.getHost();
        int port = container.getMappedPort(containerPort);
        String url = "jdbc:" + scheme + "://" + host + ":" + port + "/" + DATABASE + parameters;
        return new JdbcEndpoint(url, host, port, DATABASE, APP_USER, APP_PASSWORD,
                container.getUsername(), container.getPassword());
    }

    private static void execute(JdbcEndpoint endpoint, String... statements) {
        try (Connection connection = endpoint.connectAsAdmin(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("setting up users on " + endpoint + " failed", e);
        }
    }
}
