package dev.sluice.bench;

import java.util.Properties;

/** Debezium's MySQL connector configured as its documentation shows, for the bench's database. */
final class DebeziumSetup {
  static final String PREFIX = "bench";

  private DebeziumSetup() {}

  static Properties properties(Server server, String table, String name) {
    Properties p = new Properties();
    p.setProperty("name", name);
    p.setProperty("connector.class", "io.debezium.connector.mysql.MySqlConnector");
    p.setProperty("database.hostname", server.host());
    p.setProperty("database.port", Integer.toString(server.port()));
    p.setProperty("database.user", server.user());
    p.setProperty("database.password", server.password());
    p.setProperty("database.allowPublicKeyRetrieval", "true");
    p.setProperty("database.server.id", Integer.toString(16400 + (int) (ProcessHandle.current().pid() % 10_000)));
    p.setProperty("topic.prefix", PREFIX);
    p.setProperty("database.include.list", Server.DATABASE);
    p.setProperty("table.include.list", Server.DATABASE + "\\." + table);
    // Sluice takes no lock either; and the server is shared with other work.
    p.setProperty("snapshot.locking.mode", "none");
    p.setProperty("decimal.handling.mode", "precise");
    return p;
  }

  static String topic(String table) {
    return PREFIX + "." + Server.DATABASE + "." + table;
  }
}
