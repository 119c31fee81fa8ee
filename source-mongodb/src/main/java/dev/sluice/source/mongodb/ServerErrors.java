package dev.sluice.source.mongodb;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.SluiceException.InternalException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns driver errors into Sluice's exceptions, so the runtime's one retry decision sees the right
 * kind: unreachable servers, failovers and shutdowns are connection errors (retried); bad
 * credentials, missing privileges and a server that is not a replica set are configuration errors;
 * any other refusal of a query is an internal error. Messages name the server and what was being
 * done, never the password.
 */
final class ServerErrors {
  static final int UNAUTHORIZED = 13;
  /** "The $changeStream stage is only supported on replica sets". */
  static final int NOT_A_REPLICA_SET = 40573;
  /** Server states that pass: shutdown, step-down, not primary, interrupted, network, time limits. */
  private static final Set<Integer> TRANSIENT = Set.of(6, 7, 50, 89, 91, 189, 262, 9001, 10107, 11600, 11602,
      13435, 13436);

  private final MongoConfig config;

  ServerErrors(MongoConfig config) {
    this.config = config;
  }

  String where() {
    return config.where();
  }

  /** Runs {@code action}, translating a driver error; {@code what} says what it does, for the message. */
  <T> T call(String what, Supplier<T> action) {
    try {
      return action.get();
    } catch (MongoException e) {
      throw translate(what, e);
    }
  }

  SluiceException translate(String what, MongoException e) {
    String server = config.serverName();
    if (e instanceof MongoSecurityException) {
      return new ConfigurationException(config.where() + ": authentication of user '" + config.username()
          + "' (auth.source '" + config.authSource() + "') failed on " + server
          + "; check username, password and auth.source", e);
    }
    if (e instanceof MongoTimeoutException) {
      return new ConnectionException(config.where() + ": no answer from " + server + " within "
          + config.connectTimeout().toMillis() + " ms (to " + what + "); check hosts and that the server is up", e);
    }
    if (!(e instanceof MongoCommandException c)) {
      return new ConnectionException(config.where() + ": cannot " + what + " on " + server + ": " + e.getMessage(), e);
    }
    if (c.getErrorCode() == NOT_A_REPLICA_SET) {
      return new ConfigurationException(config.where() + ": " + server + " is not a replica set, and change streams "
          + "need one. Start mongod with --replSet <name> and run rs.initiate() (a single-node replica set is "
          + "enough)", e);
    }
    if (c.getErrorCode() == UNAUTHORIZED) {
      return new ConfigurationException(config.where() + ": user '" + config.username() + "' may not " + what
          + " (" + c.getErrorMessage() + "); grant it the read role on database '" + config.database()
          + "' (actions find, listCollections, changeStream)", e);
    }
    if (TRANSIENT.contains(c.getErrorCode()) || c.hasErrorLabel("RetryableError")
        || c.hasErrorLabel("ResumableChangeStreamError")) {
      return new ConnectionException(config.where() + ": cannot " + what + " on " + server + " for now: "
          + c.getErrorMessage(), e);
    }
    return new InternalException(config.where() + ": " + server + " refused to " + what + ": " + c.getErrorCodeName()
        + " (" + c.getErrorCode() + "): " + c.getErrorMessage(), e);
  }
}
