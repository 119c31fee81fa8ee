package dev.sluice.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Endpoint values given from outside: environment variables first, else the endpoints file that
 * {@code scripts/test-env.sh up} writes. The file is {@code $SLUICE_ENDPOINTS}, else
 * {@code $SLUICE_RUN_DIR/endpoints.env}, else the first {@code .run/test-env/endpoints.env} found
 * in the working directory or one of its parents.
 */
final class EndpointSource {

    static final String ENDPOINTS_VARIABLE = "SLUICE_ENDPOINTS";
    static final String RUN_DIR_VARIABLE = "SLUICE_RUN_DIR";
    static final Path DEFAULT_FILE = Path.of(".run", "test-env", "endpoints.env");

    private final Map<String, String> environment;
    private final Path file;
    private final Map<String, String> fileValues;
    private final String fileDescription;

    EndpointSource(Map<String, String> environment, Path workingDirectory) {
        this.environment = Map.copyOf(environment);
        String explicit = nonBlank(environment.get(ENDPOINTS_VARIABLE));
        String runDir = nonBlank(environment.get(RUN_DIR_VARIABLE));
        Path candidate;
        String description;
        if (explicit != null) {
            candidate = workingDirectory.resolve(explicit);
            description = candidate + " (from " + ENDPOINTS_VARIABLE + ")";
        } else if (runDir != null) {
            candidate = workingDirectory.resolve(runDir).resolve("endpoints.env");
            description = candidate + " (from " + RUN_DIR_VARIABLE + ")";
        } else {
            candidate = searchUpward(workingDirectory.toAbsolutePath());
            description = candidate != null ? candidate.toString()
                    : "no " + DEFAULT_FILE + " in " + workingDirectory.toAbsolutePath() + " or above";
        }
        if (candidate != null && Files.isRegularFile(candidate)) {
            this.file = candidate;
            this.fileValues = parse(candidate);
            this.fileDescription = description;
        } else {
            this.file = null;
            this.fileValues = Map.of();
            this.fileDescription = candidate != null ? description + ", which does not exist" : description;
        }
    }

    static EndpointSource fromSystem() {
        return new EndpointSource(System.getenv(), Path.of("").toAbsolutePath());
    }

    /** The values for {@code server}, or empty when neither the environment nor the file names it. */
    Optional<Values> valuesFor(Server server) {
        if (nonBlank(environment.get(server.primaryVariable())) != null) {
            return Optional.of(new Values("the environment", server, environment));
        }
        if (nonBlank(fileValues.get(server.primaryVariable())) != null) {
            return Optional.of(new Values(file.toString(), server, fileValues));
        }
        return Optional.empty();
    }

    /** Where this source looked, for a failure message. */
    String describe(Server server) {
        return "environment variable " + server.primaryVariable() + " not set; endpoints file: "
                + (file != null ? fileDescription + " (has no " + server.primaryVariable() + ")" : fileDescription);
    }

    private static Path searchUpward(Path directory) {
        for (Path dir = directory; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DEFAULT_FILE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Reads KEY=VALUE lines; blank lines and lines starting with # are skipped. */
    static Map<String, String> parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read endpoints file " + file, e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new TestServerUnavailableException(
                        "endpoints file " + file + ", line " + (i + 1) + ": expected KEY=VALUE, got: " + line);
            }
            values.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
        }
        return values;
    }

    private static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
                return value.substring(1, value.length() - 1);
            }
        }
        return value;
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** One server's values from one origin (the environment or the file). */
    static final class Values {
        private final String origin;
        private final Server server;
        private final Map<String, String> values;

        Values(String origin, Server server, Map<String, String> values) {
            this.origin = origin;
            this.server = server;
            this.values = values;
        }

        String origin() {
            return origin;
        }

        Optional<String> get(String suffix) {
            return Optional.ofNullable(nonBlank(values.get(server.variablePrefix + suffix)));
        }

        String require(String suffix) {
            return get(suffix).orElseThrow(() -> new TestServerUnavailableException(
                    server.primaryVariable() + " is given by " + origin + ", but "
                            + server.variablePrefix + suffix + " is missing there"));
        }
    }
}
