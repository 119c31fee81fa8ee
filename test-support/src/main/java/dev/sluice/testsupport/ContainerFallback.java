package dev.sluice.testsupport;

/** Starts servers when no endpoint is given; the real one uses Testcontainers. */
interface ContainerFallback {

    /** Null when containers can be started here, else why they cannot. */
    String unavailableReason();

    JdbcEndpoint jdbc(Server server);

    String kafkaBootstrap();

    String mongoUri();
}
