package dev.sluice.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.sluice.testsupport.JdbcEndpoint;
import dev.sluice.testsupport.TestServers;
import org.junit.jupiter.api.Test;

/** The MySQL 8 test server keeps a ROW binlog with GTIDs, and the source user may read it. */
class MySqlServerIT {

    private final JdbcEndpoint mysql = TestServers.mysql();

    @Test
    void binlogIsOnInRowFormatWithFullImagesAndGtids() throws SQLException {
        try (Connection connection = mysql.connect()) {
            assertThat(ServerVariables.global(connection))
                    .containsEntry("log_bin", "ON")
                    .containsEntry("binlog_format", "ROW")
                    .containsEntry("binlog_row_image", "FULL")
                    .containsEntry("gtid_mode", "ON")
                    .containsEntry("enforce_gtid_consistency", "ON");
            assertThat(connection.getMetaData().getDatabaseProductVersion()).startsWith("8.0");
        }
    }

    @Test
    void sourceUserCanListBinlogsAndAdminCanWrite() throws SQLException {
        try (Connection admin = mysql.connectAsAdmin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS env_check (id INT PRIMARY KEY)");
            statement.execute("DROP TABLE env_check");
        }
        try (Connection connection = mysql.connect();
                Statement statement = connection.createStatement();
                ResultSet logs = statement.executeQuery("SHOW BINARY LOGS")) {
            assertThat(logs.next()).as("at least one binlog file").isTrue();
        }
    }
}
