package dev.sluice.sink.jdbc.dialect;

import dev.sluice.core.SluiceException.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Picks the dialect for a JDBC URL: the built-in ones, then any registered through
 * {@code META-INF/services/dev.sluice.sink.jdbc.dialect.Dialect}.
 */
public final class Dialects {
  private Dialects() {}

  public static Dialect forUrl(String jdbcUrl) {
    List<Dialect> all = new ArrayList<>(List.of(new PostgresDialect(), new MySqlDialect(), new SqliteDialect()));
    ServiceLoader.load(Dialect.class).forEach(all::add);
    for (Dialect d : all) {
      if (d.accepts(jdbcUrl)) {
        return d;
      }
    }
    throw new ConfigurationException("option 'url': no JDBC sink dialect for '" + scheme(jdbcUrl)
        + "'; supported are jdbc:postgresql:, jdbc:mysql:, jdbc:mariadb: and jdbc:sqlite:");
  }

  /** The URL up to the host, never the query string (which may hold a password). */
  public static String scheme(String jdbcUrl) {
    int q = jdbcUrl.indexOf('?');
    return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
  }
}
