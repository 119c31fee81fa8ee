package dev.sluice.source.mongodb;

import dev.sluice.core.option.Option;
import java.time.Duration;
import java.util.List;

/**
 * The options of the MongoDB source, declared once; names follow Flink CDC's MongoDB source where it
 * has one. Validation, defaults and the docs all come from {@link #ALL}.
 */
public final class MongoOptions {
  private MongoOptions() {}

  public static final Option<String> HOSTS = Option.string("hosts",
      "comma-separated host:port list of replica-set members (or give connection.string instead)");
  public static final Option<String> CONNECTION_STRING = Option.password("connection.string",
      "a full mongodb:// or mongodb+srv:// connection string, instead of hosts (secret: it may hold a password)");
  public static final Option<String> USERNAME = Option.string("username",
      "user with the read role on the database (find, listCollections, changeStream)");
  public static final Option<String> PASSWORD = Option.password("password", "password of the user");
  public static final Option<String> AUTH_SOURCE = Option.string("auth.source",
      "database the user is defined in").withDefault("admin");
  public static final Option<String> DATABASE = Option.string("database", "the captured database").asRequired();
  public static final Option<List<String>> COLLECTION = Option.list("collection",
      "captured collections: comma-separated regular expressions matched against the whole collection name "
          + "(default: every collection of the database)");
  public static final Option<String> STARTUP_MODE = Option.oneOf("scan.startup.mode",
      List.of("initial", "latest-offset", "timestamp", "snapshot"),
      "initial: snapshot then change stream; latest-offset: change stream from now, no snapshot; "
          + "timestamp: change stream from scan.startup.timestamp-millis, no snapshot; "
          + "snapshot: copy the collections and stop").withDefault("initial");
  public static final Option<Long> STARTUP_TIMESTAMP = Option.longValue("scan.startup.timestamp-millis",
      "with scan.startup.mode timestamp: epoch milliseconds; the change stream starts at the first operation of "
          + "that second (cluster times count whole seconds)");
  public static final Option<Integer> CHUNK_SIZE = Option.integer("scan.incremental.snapshot.chunk.size", 1,
      "documents per snapshot chunk (default: the pipeline's snapshot chunk size)");
  public static final Option<Integer> BATCH_SIZE = Option.integer("batch.size", 1,
      "documents fetched per round trip by chunk reads and the change stream").withDefault("1024");
  public static final Option<String> DOCUMENT_MAPPING = Option.oneOf("document.mapping", List.of("json", "flatten"),
      "json: columns _id and doc (the whole document as Extended JSON); flatten: _id plus one JSON column per "
          + "field named in document.fields").withDefault("json");
  public static final Option<List<String>> DOCUMENT_FIELDS = Option.list("document.fields",
      "top-level fields that become columns with document.mapping=flatten; other fields are not captured");
  public static final Option<String> JSON_MODE = Option.oneOf("json.mode", List.of("relaxed", "canonical"),
      "Extended JSON flavour of _id and document values: relaxed (plain numbers) or canonical (every number "
          + "typed, e.g. {\"$numberLong\": \"5\"})").withDefault("relaxed");
  public static final Option<Duration> CONNECT_TIMEOUT = Option.duration("connect.timeout",
      "how long to wait for a server to answer before a connection error").withDefault("30s");

  public static final List<Option<?>> ALL = List.of(HOSTS, CONNECTION_STRING, USERNAME, PASSWORD, AUTH_SOURCE,
      DATABASE, COLLECTION, STARTUP_MODE, STARTUP_TIMESTAMP, CHUNK_SIZE, BATCH_SIZE, DOCUMENT_MAPPING, DOCUMENT_FIELDS, JSON_MODE,
      CONNECT_TIMEOUT);
}
