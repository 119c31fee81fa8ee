package dev.sluice.testsupport;

import java.net.URI;
import java.util.function.Supplier;

/** Finds each server's endpoint: given values first, else a container, else a failure that says what to do. */
final class Resolver {

    private final EndpointSource source;
    private final ContainerFallback containers;

    Resolver(EndpointSource source, ContainerFallback containers) {
        this.source = source;
        this.containers = containers;
    }

    JdbcEndpoint jdbc(Server server) {
        return source.valuesFor(server)
                .map(Resolver::toJdbcEndpoint)
                .orElseGet(() -> fromContainer(server, () -> containers.jdbc(server)));
    }

    String kafkaBootstrap() {
        return source.valuesFor(Server.KAFKA)
                .map(values -> values.require("BOOTSTRAP"))
                .orElseGet(() -> fromContainer(Server.KAFKA, containers::kafkaBootstrap));
    }

    String mongoUri() {
        return source.valuesFor(Server.MONGO)
                .map(values -> values.require("URI"))
                .orElseGet(() -> fromContainer(Server.MONGO, containers::mongoUri));
    }

    private <T> T fromContainer(Server server, Supplier<T> start) {
        String dockerProblem = containers.unavailableReason();
        if (dockerProblem != null) {
            throw new TestServerUnavailableException(howToStart(server, dockerProblem));
        }
        try {
            return start.get();
        } catch (RuntimeException e) {
            throw new TestServerUnavailableException("Testcontainers could not start " + server.displayName
                    + " for the tests (" + e + ").\n" + howToStart(server, "available, but the start failed"), e);
        }
    }

    private String howToStart(Server server, String dockerState) {
        String p = server.variablePrefix;
        String variables = server == Server.KAFKA || server == Server.MONGO
                ? server.primaryVariable()
                : p + "URL, " + p + "USER and " + p + "PASSWORD (optionally " + p + "ADMIN_USER, " + p + "ADMIN_PASSWORD)";
        return "No " + server.displayName + " server for the tests. Start the project's test servers from the"
                + " repository root with\n"
                + "    scripts/test-env.sh up\n"
                + "(or just this one: scripts/test-env.sh up " + server.scriptName + ") and run the tests again;"
                + " they read .run/test-env/endpoints.env by themselves. Alternatively set " + variables
                + ", or " + EndpointSource.ENDPOINTS_VARIABLE + " to an endpoints file, or make a Docker engine"
                + " available so that Testcontainers starts one.\n"
                + "Looked at: " + source.describe(server) + "; Docker: " + dockerState + ".";
    }

    static JdbcEndpoint toJdbcEndpoint(EndpointSource.Values values) {
        String url = values.require("URL");
        URI uri = parseJdbcUrl(url, values.origin());
        String host = values.get("HOST").orElse(uri.getHost());
        int port = values.get("PORT").map(Integer::parseInt).orElseGet(() -> uri.getPort() > 0 ? uri.getPort() : defaultPort(uri));
        String database = values.get("DATABASE").orElseGet(() -> stripSlash(uri.getPath()));
        String user = values.require("USER");
        String password = values.require("PASSWORD");
        return new JdbcEndpoint(url, host, port, database, user, password,
                values.get("ADMIN_USER").orElse(user), values.get("ADMIN_PASSWORD").orElse(password));
    }

    private static URI parseJdbcUrl(String url, String origin) {
        try {
            URI uri = URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new TestServerUnavailableException("cannot read the JDBC URL " + url + " from " + origin, e);
        }
    }

    private static int defaultPort(URI uri) {
        return "postgresql".equals(uri.getScheme()) ? 5432 : 3306;
    }

    private static String stripSlash(String path) {
        return path == null ? "" : path.replaceFirst("^/", "");
    }
}
