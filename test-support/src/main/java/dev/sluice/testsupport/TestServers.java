package dev.sluice.testsupport;

/**
 * Endpoints of the real servers integration tests run against.
 *
 * <p>Each server is looked up once per JVM, in this order:
 * <ol>
 *   <li>environment variables ({@code SLUICE_MARIADB_URL}, {@code SLUICE_KAFKA_BOOTSTRAP}, ...);</li>
 *   <li>the endpoints file written by {@code scripts/test-env.sh up}: {@code $SLUICE_ENDPOINTS}, else
 *       {@code .run/test-env/endpoints.env} in the working directory or a parent of it;</li>
 *   <li>a Testcontainers container, when a Docker engine is usable;</li>
 *   <li>else a {@link TestServerUnavailableException} that says how to start the servers. Tests are
 *       never skipped for want of a server.</li>
 * </ol>
 */
public final class TestServers {

    private static final Memo<Resolver> RESOLVER =
            new Memo<>(() -> new Resolver(EndpointSource.fromSystem(), new DockerContainers()));

    private static final Memo<JdbcEndpoint> MARIADB = new Memo<>(() -> RESOLVER.get().jdbc(Server.MARIADB));
    private static final Memo<JdbcEndpoint> MYSQL = new Memo<>(() -> RESOLVER.get().jdbc(Server.MYSQL));
    private static final Memo<JdbcEndpoint> POSTGRES = new Memo<>(() -> RESOLVER.get().jdbc(Server.POSTGRES));
    private static final Memo<String> KAFKA = new Memo<>(() -> RESOLVER.get().kafkaBootstrap());
    private static final Memo<String> MONGO = new Memo<>(() -> RESOLVER.get().mongoUri());

    private TestServers() {
    }

    /** MariaDB 10.11 with a ROW binlog and GTIDs; database {@code sluice_test}. */
    public static JdbcEndpoint mariadb() {
        return MARIADB.get();
    }

    /** MySQL 8 with a ROW binlog and {@code gtid_mode=ON}; database {@code sluice_test}. */
    public static JdbcEndpoint mysql() {
        return MYSQL.get();
    }

    /** PostgreSQL 15 with {@code wal_level=logical}; database {@code sluice_test}. */
    public static JdbcEndpoint postgres() {
        return POSTGRES.get();
    }

    /** {@code bootstrap.servers} of a Kafka broker on which transactions work. */
    public static String kafkaBootstrap() {
        return KAFKA.get();
    }

    /**
     * Connection string of a MongoDB whose collections support {@code watch()}: the in-memory fake
     * from the start script (inserts and deletes only are faithful), or a real replica set.
     */
    public static String mongoUri() {
        return MONGO.get();
    }
}
