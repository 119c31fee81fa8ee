package dev.sluice.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import org.junit.jupiter.api.Test;

/** The MariaDB test server keeps the binlog a CDC source needs, and the source user may read it. */
class MariaDbServerIT {

    private final JdbcEndpoint mariadb = TestServers.mariadb();

    @Test
    void binlogIsOnInRowFormatWithFullImages() throws SQLException {
        try (Connection connection = mariadb.connect()) {
            assertThat(ServerVariables.global(connection))
                    .containsEntry("log_bin", "ON")
                    .containsEntry("binlog_format", "ROW")
                    .containsEntry("binlog_row_image", "FULL")
                    .containsEntry("binlog_row_metadata", "FULL")
                    .containsEntry("gtid_strict_mode", "ON");
        }
    }

    @Test
    void sourceUserCanListBinlogsAndAdminCanWrite() throws SQLException {
        try (Connection admin = mariadb.connectAsAdmin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS env_check (id INT PRIMARY KEY)");
            statement.execute("DROP TABLE env_check");
        }
        try (Connection connection = mariadb.connect();
                Statement statement = connection.createStatement();
                ResultSet logs = statement.executeQuery("SHOW BINARY LOGS")) {
            assertThat(logs.next()).as("at least one binlog file").isTrue();
        }
    }
}
