package dev.sluice.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Where a test database server listens and how to log in to it.
 *
 * @param jdbcUrl       JDBC URL of {@code database} on the server
 * @param host          host name or address of the server
 * @param port          TCP port of the server
 * @param database      the database the tests own ({@code sluice_test})
 * @param user          the least-privileged user a Sluice source would use (replication rights)
 * @param password      password of {@code user}
 * @param adminUser     a superuser for setting up schemas and data
 * @param adminPassword password of {@code adminUser}
 */
public record JdbcEndpoint(
        String jdbcUrl,
        String host,
        int port,
        String database,
        String user,
        String password,
        String adminUser,
        String adminPassword) {

    public JdbcEndpoint {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(adminUser, "adminUser");
        Objects.requireNonNull(adminPassword, "adminPassword");
        if (port <= 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Opens a connection to {@link #jdbcUrl()} as {@link #user()}. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** Opens a connection to {@link #jdbcUrl()} as {@link #adminUser()}. */
    public Connection connectAsAdmin() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, adminUser, adminPassword);
    }

    /** Leaves the passwords out, so that endpoints can be logged. */
    @Override
    public String toString() {
        return "JdbcEndpoint[" + jdbcUrl + ", user=" + user + ", adminUser=" + adminUser + "]";
    }
}
