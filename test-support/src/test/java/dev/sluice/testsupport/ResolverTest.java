package dev.sluice.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolverTest {

    @TempDir
    Path repo;

    private static final String FILE = String.join("\n",
            "# written by the start script",
            "SLUICE_MARIADB_URL=jdbc:mariadb://127.0.0.1:3307/sluice_test",
            "SLUICE_MARIADB_HOST=127.0.0.1",
            "SLUICE_MARIADB_PORT=3307",
            "SLUICE_MARIADB_DATABASE=sluice_test",
            "SLUICE_MARIADB_USER=sluice",
            "SLUICE_MARIADB_PASSWORD=sluice",
            "SLUICE_MARIADB_ADMIN_USER=root",
            "SLUICE_MARIADB_ADMIN_PASSWORD=sluice-admin",
            "SLUICE_KAFKA_BOOTSTRAP=127.0.0.1:19092",
            "");

    @Test
    void readsTheEndpointsFileFoundAboveTheWorkingDirectory() throws IOException {
        writeEndpoints(repo.resolve(".run/test-env/endpoints.env"), FILE);
        Path module = Files.createDirectories(repo.resolve("e2e-tests"));

        Resolver resolver = new Resolver(new EndpointSource(Map.of(), module), new NoDocker());

        assertThat(resolver.jdbc(Server.MARIADB)).isEqualTo(new JdbcEndpoint(
                "jdbc:mariadb://127.0.0.1:3307/sluice_test", "127.0.0.1", 3307, "sluice_test",
                "sluice", "sluice", "root", "sluice-admin"));
        assertThat(resolver.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
    }

    @Test
    void environmentVariablesWinOverTheFile() throws IOException {
        writeEndpoints(repo.resolve(".run/test-env/endpoints.env"), FILE);
        Map<String, String> env = new HashMap<>();
        env.put("SLUICE_MARIADB_URL", "jdbc:mariadb://db.example:3999/other");
        env.put("SLUICE_MARIADB_USER", "u");
        env.put("SLUICE_MARIADB_PASSWORD", "p");
        env.put("SLUICE_KAFKA_BOOTSTRAP", "broker:9092");

        Resolver resolver = new Resolver(new EndpointSource(env, repo), new NoDocker());

        // Host, port and database come from the URL; the admin defaults to the user.
        assertThat(resolver.jdbc(Server.MARIADB)).isEqualTo(new JdbcEndpoint(
                "jdbc:mariadb://db.example:3999/other", "db.example", 3999, "other", "u", "p", "u", "p"));
        assertThat(resolver.kafkaBootstrap()).isEqualTo("broker:9092");
    }

    @Test
    void theEndpointsVariableNamesTheFile() throws IOException {
        Path file = repo.resolve("elsewhere/endpoints.env");
        writeEndpoints(file, "export SLUICE_MONGO_URI='mongodb://127.0.0.1:27018'\n");

        Resolver resolver = new Resolver(
                new EndpointSource(Map.of("SLUICE_ENDPOINTS", file.toString()), repo), new NoDocker());

        assertThat(resolver.mongoUri()).isEqualTo("mongodb://127.0.0.1:27018");
    }

    @Test
    void withoutEndpointsOrDockerTheFailureSaysHowToStartTheServers() {
        Resolver resolver = new Resolver(new EndpointSource(Map.of(), repo), new NoDocker());

        assertThatThrownBy(() -> resolver.jdbc(Server.POSTGRES))
                .isInstanceOf(TestServerUnavailableException.class)
                .hasMessageContaining("No PostgreSQL 15 server")
                .hasMessageContaining("scripts/test-env.sh up\n")
                .hasMessageContaining("scripts/test-env.sh up postgres")
                .hasMessageContaining("SLUICE_POSTGRES_URL")
                .hasMessageContaining("Docker: no Docker here");
        assertThatThrownBy(resolver::kafkaBootstrap)
                .hasMessageContaining("scripts/test-env.sh up kafka");
    }

    @Test
    void aServerMissingFromTheFileIsNotTakenFromIt() throws IOException {
        writeEndpoints(repo.resolve(".run/test-env/endpoints.env"), FILE);
        Resolver resolver = new Resolver(new EndpointSource(Map.of(), repo), new NoDocker());

        assertThatThrownBy(resolver::mongoUri)
                .isInstanceOf(TestServerUnavailableException.class)
                .hasMessageContaining("has no SLUICE_MONGO_URI");
    }

    @Test
    void anIncompleteEndpointFailsNamingTheMissingVariable() {
        Resolver resolver = new Resolver(
                new EndpointSource(Map.of("SLUICE_MYSQL_URL", "jdbc:mysql://h:1/d"), repo), new NoDocker());

        assertThatThrownBy(() -> resolver.jdbc(Server.MYSQL))
                .isInstanceOf(TestServerUnavailableException.class)
                .hasMessageContaining("SLUICE_MYSQL_USER is missing");
    }

    @Test
    void aMalformedLineIsReported() throws IOException {
        writeEndpoints(repo.resolve(".run/test-env/endpoints.env"), "SLUICE_KAFKA_BOOTSTRAP\n");

        assertThatThrownBy(() -> new EndpointSource(Map.of(), repo))
                .isInstanceOf(TestServerUnavailableException.class)
                .hasMessageContaining("line 1");
    }

    @Test
    void containersAreUsedWhenDockerIsThere() {
        JdbcEndpoint started = new JdbcEndpoint("jdbc:postgresql://localhost:32768/sluice_test", "localhost",
                32768, "sluice_test", "sluice", "sluice", "postgres", "x");
        ContainerFallback docker = new NoDocker() {
            @Override
            public String unavailableReason() {
                return null;
            }

            @Override
            public JdbcEndpoint jdbc(Server server) {
                return started;
            }
        };

        assertThat(new Resolver(new EndpointSource(Map.of(), repo), docker).jdbc(Server.POSTGRES))
                .isSameAs(started);
    }

    @Test
    void toStringLeavesPasswordsOut() {
        JdbcEndpoint endpoint = new JdbcEndpoint("jdbc:mysql://h:1/d", "h", 1, "d", "u", "secret-1", "a", "secret-2");

        assertThat(endpoint.toString()).doesNotContain("secret");
    }

    private static void writeEndpoints(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static class NoDocker implements ContainerFallback {
        @Override
        public String unavailableReason() {
            return "no Docker here";
        }

        @Override
        public JdbcEndpoint jdbc(Server server) {
            throw new AssertionError("no container may be started");
        }

        @Override
        public String kafkaBootstrap() {
            throw new AssertionError("no container may be started");
        }

        @Override
        public String mongoUri() {
            throw new AssertionError("no container may be started");
        }
    }
}
