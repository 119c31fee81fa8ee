package dev.sluice.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The source database a JDBC URL names, as {@code sluice lake} takes it:
 * {@code jdbc:mysql://host[:port]/db}, {@code jdbc:mariadb://...} or {@code jdbc:postgresql://...}
 * (the {@code jdbc:} prefix may be left out). The user and password come from the URL's user-info
 * ({@code user:password@host}) or its {@code user} and {@code password} parameters; every other
 * parameter is handed to the source's JDBC driver. The password is never part of {@link #toString()}.
 *
 * @param sourceType the Sluice source type: {@code mysql}, {@code mariadb} or {@code postgres}
 * @param user null when the URL names none
 * @param password null when the URL holds none
 * @param driverProperties the URL's other parameters, in order
 */
record SourceUrl(String sourceType, String host, int port, String database, String user, String password,
    Map<String, String> driverProperties) {

  SourceUrl {
    Objects.requireNonNull(sourceType, "sourceType");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    driverProperties = Map.copyOf(driverProperties);
  }

  /** What the URL's scheme may be, and the source type and default port each stands for. */
  private enum Scheme {
    MYSQL("mysql", 3306), MARIADB("mariadb", 3306), POSTGRESQL("postgres", 5432), POSTGRES("postgres", 5432);

    final String sourceType;
    final int defaultPort;

    Scheme(String sourceType, int defaultPort) {
      this.sourceType = sourceType;
      this.defaultPort = defaultPort;
    }
  }

  /**
   * Reads a URL; a fault is an {@link IllegalArgumentException} naming what is wrong and never
   * quoting the URL, which may hold a password.
   */
  static SourceUrl parse(String url) {
    String rest = url.strip();
    if (rest.regionMatches(true, 0, "jdbc:", 0, 5)) {
      rest = rest.substring(5);
    }
    int colon = rest.indexOf("://");
    if (colon <= 0) {
      throw new IllegalArgumentException("not a database URL: expected jdbc:mysql://host:3306/database, "
          + "jdbc:mariadb://host:3306/database or jdbc:postgresql://host:5432/database");
    }
    String schemeName = rest.substring(0, colon).toLowerCase(Locale.ROOT);
    Scheme scheme = scheme(schemeName);
    URI uri;
    try {
      uri = new URI(rest);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the " + schemeName + " URL is malformed at character " + (e.getIndex() + 5)
          + " (" + e.getReason() + "); expected jdbc:" + schemeName + "://host:port/database");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the " + schemeName + " URL names no host (or more than one, or one with "
          + "characters a host name cannot have); expected jdbc:" + schemeName + "://host:port/database");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (path.isEmpty() || path.contains("/")) {
      throw new IllegalArgumentException("the " + schemeName + " URL names no database; expected jdbc:" + schemeName
          + "://" + uri.getHost() + ":" + (uri.getPort() < 0 ? scheme.defaultPort : uri.getPort()) + "/database");
    }
    Map<String, String> params = query(uri.getRawQuery());
    String user = params.remove("user");
    String password = params.remove("password");
    if (uri.getRawUserInfo() != null) {
      String[] info = uri.getRawUserInfo().split(":", 2);
      user = decode(info[0]);
      if (info.length == 2) {
        password = decode(info[1]);
      }
    }
    return new SourceUrl(scheme.sourceType, uri.getHost(), uri.getPort() < 0 ? scheme.defaultPort : uri.getPort(),
        path, user == null || user.isEmpty() ? null : user, password, params);
  }

  private static Scheme scheme(String name) {
    try {
      return Scheme.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unsupported database '" + name + "': sluice lake reads mysql, mariadb "
          + "and postgresql (jdbc:mysql://..., jdbc:mariadb://..., jdbc:postgresql://...)");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (key.isEmpty()) {
        throw new IllegalArgumentException("the URL has a parameter without a name");
      }
      out.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // the decoder's message quotes the text, which may be the password
      throw new IllegalArgumentException("the URL has a malformed %-escape (write % itself as %25)");
    }
  }

  boolean isPostgres() {
    return sourceType.equals("postgres");
  }

  /** The URL without its password, to show. */
  @Override
  public String toString() {
    String scheme = isPostgres() ? "postgresql" : sourceType;
    return "jdbc:" + scheme + "://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@") + host + ":"
        + port + "/" + database;
  }
}
