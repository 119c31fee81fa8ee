package dev.sluice.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import org.junit.jupiter.api.Test;

/** The PostgreSQL test server does logical decoding, and the source user may make a pgoutput slot. */
class PostgresServerIT {

    private final JdbcEndpoint postgres = TestServers.postgres();

    @Test
    void walLevelIsLogical() throws SQLException {
        try (Connection connection = postgres.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SHOW wal_level")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("logical");
        }
    }

    @Test
    void sourceUserCanCreateAndDropAPgoutputSlot() throws SQLException {
        String slot = "sluice_env_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = postgres.connect()) {
            try (PreparedStatement create = connection.prepareStatement(
                    "SELECT slot_name FROM pg_create_logical_replication_slot(?, 'pgoutput')")) {
                create.setString(1, slot);
                try (ResultSet row = create.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getString(1)).isEqualTo(slot);
                }
            }
            try {
                try (PreparedStatement find = connection.prepareStatement(
                        "SELECT plugin, slot_type FROM pg_replication_slots WHERE slot_name = ?")) {
                    find.setString(1, slot);
                    try (ResultSet row = find.executeQuery()) {
                        assertThat(row.next()).isTrue();
                        assertThat(row.getString("plugin")).isEqualTo("pgoutput");
                        assertThat(row.getString("slot_type")).isEqualTo("logical");
                    }
                }
            } finally {
                try (PreparedStatement drop = connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                    drop.setString(1, slot);
                    drop.execute();
                }
            }
        }
    }
}
