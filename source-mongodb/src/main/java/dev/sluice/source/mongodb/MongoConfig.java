package dev.sluice.source.mongodb;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.option.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.bson.json.JsonMode;

/**
 * The MongoDB source's options, checked together in one place (which combinations make sense).
 * {@link #toString()} never shows the password or the connection string.
 *
 * @param chunkSize documents per chunk, or {@code null} to follow the pipeline's chunk size
 * @param startAtMillis with {@code scan.startup.mode: timestamp}, where the change stream starts; else {@code null}
 */
public record MongoConfig(
    String where, String hosts, String connectionString, String username, String password, String authSource,
    String database, List<Pattern> collections, boolean snapshot, Long startAtMillis, Integer chunkSize,
    int batchSize, DocumentMapper mapper, Duration connectTimeout) {

  /** Reads options already validated against {@link MongoOptions#ALL}. */
  public static MongoConfig from(Options o) {
    String where = o.where();
    String hosts = o.get(MongoOptions.HOSTS);
    String uri = o.get(MongoOptions.CONNECTION_STRING);
    if ((hosts == null) == (uri == null)) {
      throw new ConfigurationException(where + ": set exactly one of 'hosts' (host:port list) and "
          + "'connection.string' (mongodb://...)" + (hosts == null ? "" : ", not both"));
    }
    String mode = o.get(MongoOptions.STARTUP_MODE);
    // snapshot (copy, then stop) reads like initial here; the runtime stops once the copy is done.
    Long startAt = o.get(MongoOptions.STARTUP_TIMESTAMP);
    if (mode.equals("timestamp") != (startAt != null)) {
      throw new ConfigurationException(where + (startAt == null
          ? ": scan.startup.mode 'timestamp' needs scan.startup.timestamp-millis (epoch milliseconds)"
          : ": scan.startup.timestamp-millis applies to scan.startup.mode: timestamp only; set that mode or remove it"));
    }
    if (startAt != null && (startAt < 0 || startAt / 1000 > 0xFFFFFFFFL)) {
      throw new ConfigurationException(where + ": scan.startup.timestamp-millis " + startAt
          + " is not a time a MongoDB cluster time can name (epoch milliseconds from 0 to year 2106)");
    }
    String user = o.get(MongoOptions.USERNAME);
    String password = o.get(MongoOptions.PASSWORD);
    if (password != null && user == null) {
      throw new ConfigurationException(where + ": 'password' is set but 'username' is not; set both or neither");
    }
    JsonMode json = o.get(MongoOptions.JSON_MODE).equals("canonical") ? JsonMode.EXTENDED : JsonMode.RELAXED;
    DocumentMapper mapper;
    if (o.get(MongoOptions.DOCUMENT_MAPPING).equals("flatten")) {
      List<String> fields = o.get(MongoOptions.DOCUMENT_FIELDS);
      if (fields == null || fields.isEmpty()) {
        throw new ConfigurationException(where + ": document.mapping=flatten needs 'document.fields', the top-level "
            + "fields to make columns of (e.g. document.fields: name,address,tags)");
      }
      mapper = DocumentMapper.flatten(fields, json);
    } else {
      if (o.isSet(MongoOptions.DOCUMENT_FIELDS)) {
        throw new ConfigurationException(where + ": 'document.fields' applies to document.mapping=flatten only; "
            + "remove it or set document.mapping: flatten");
      }
      mapper = DocumentMapper.json(json);
    }
    return new MongoConfig(where, hosts, uri, user, password, o.get(MongoOptions.AUTH_SOURCE),
        o.get(MongoOptions.DATABASE), patterns(where, o.get(MongoOptions.COLLECTION)),
        !mode.equals("latest-offset") && startAt == null, startAt, o.get(MongoOptions.CHUNK_SIZE), o.get(MongoOptions.BATCH_SIZE), mapper, o.get(MongoOptions.CONNECT_TIMEOUT));
  }

  private static List<Pattern> patterns(String where, List<String> regexes) {
    List<Pattern> out = new ArrayList<>();
    for (String r : regexes == null ? List.<String>of() : regexes) {
      try {
        out.add(Pattern.compile(r));
      } catch (PatternSyntaxException e) {
        throw new ConfigurationException(where + ": option 'collection': '" + r + "' is not a regular expression ("
            + e.getDescription() + ")");
      }
    }
    return List.copyOf(out);
  }

  /** Whether the source captures a collection of this name (system collections never). */
  public boolean captures(String collection) {
    if (collection.startsWith("system.")) {
      return false;
    }
    return collections.isEmpty() || collections.stream().anyMatch(p -> p.matcher(collection).matches());
  }

  /** Driver settings: the servers, the credential and the timeouts. */
  MongoClientSettings clientSettings() {
    ConnectionString cs = new ConnectionString(connectionString != null ? connectionString : "mongodb://" + hosts);
    MongoClientSettings.Builder b = MongoClientSettings.builder().applyConnectionString(cs)
        .applicationName("sluice")
        .applyToClusterSettings(c -> c.serverSelectionTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS))
        .applyToSocketSettings(s -> s.connectTimeout((int) connectTimeout.toMillis(), TimeUnit.MILLISECONDS));
    if (username != null) {
      b.credential(MongoCredential.createCredential(username, authSource,
          password == null ? new char[0] : password.toCharArray()));
    }
    return b.build();
  }

  /** Names the servers without credentials, for messages. */
  String serverName() {
    if (hosts != null) {
      return hosts;
    }
    return String.join(",", new ConnectionString(connectionString).getHosts());
  }

  @Override
  public String toString() {
    return "MongoConfig[servers=" + serverName() + ", database=" + database + ", collections=" + collections
        + ", user=" + username + ", snapshot=" + snapshot + ", mapping=" + mapper + "]";
  }
}
