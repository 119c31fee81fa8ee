package dev.sluice.e2e.env;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** Reads the global variables of a MySQL-family server. */
final class ServerVariables {

    private ServerVariables() {
    }

    static Map<String, String> global(Connection connection) throws SQLException {
        Map<String, String> variables = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW GLOBAL VARIABLES")) {
            while (rows.next()) {
                variables.put(rows.getString(1).toLowerCase(java.util.Locale.ROOT), rows.getString(2));
            }
        }
        return variables;
    }
}
