package dev.sluice.testsupport;

/** The servers the fixture knows, with the names the start script and the variables use. */
enum Server {
    MARIADB("MariaDB 10.11", "mariadb", "SLUICE_MARIADB_", "URL"),
    MYSQL("MySQL 8", "mysql", "SLUICE_MYSQL_", "URL"),
    POSTGRES("PostgreSQL 15", "postgres", "SLUICE_POSTGRES_", "URL"),
    KAFKA("Kafka", "kafka", "SLUICE_KAFKA_", "BOOTSTRAP"),
    MONGO("MongoDB", "mongo", "SLUICE_MONGO_", "URI");

    final String displayName;
    /** The name {@code scripts/test-env.sh up} takes. */
    final String scriptName;
    final String variablePrefix;
    private final String primarySuffix;

    Server(String displayName, String scriptName, String variablePrefix, String primarySuffix) {
        this.displayName = displayName;
        this.scriptName = scriptName;
        this.variablePrefix = variablePrefix;
        this.primarySuffix = primarySuffix;
    }

    /** The variable whose presence says that an endpoint for this server is given. */
    String primaryVariable() {
        return variablePrefix + primarySuffix;
    }
}
