package dev.sluice.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.ServerAddress;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.SluiceException.InternalException;
import dev.sluice.core.option.Options;
import java.util.Map;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/**
 * Server answers the test double cannot give (a standalone mongod, a user without privileges, a
 * failover) become the right kind of error with a message that says how to fix it. The error
 * documents have the shape a server sends.
 */
class ServerErrorsTest {
  private final ServerErrors errors = new ServerErrors(MongoConfig.from(Options.parse("pipeline.yaml: source",
      MongoOptions.ALL, Map.of("hosts", "db1:27017", "database", "shop", "username", "cdc", "password", "s3cret"))));

  private static MongoCommandException serverSays(int code, String name, String message) {
    return new MongoCommandException(BsonDocument.parse(
        "{ok: 0, errmsg: '" + message + "', code: " + code + ", codeName: '" + name + "'}"), new ServerAddress("db1"));
  }

  @Test
  void aStandaloneServerIsNotAReplicaSet() {
    SluiceException e = errors.translate("open a change stream on 'orders'",
        serverSays(40573, "Location40573", "The $changeStream stage is only supported on replica sets"));
    assertThat(e).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("db1:27017 is not a replica set").hasMessageContaining("rs.initiate()");
  }

  @Test
  void aMissingPrivilegeNamesTheRoleToGrant() {
    SluiceException e = errors.translate("open a change stream on 'orders'", serverSays(13, "Unauthorized",
        "not authorized on shop to execute command { aggregate: \"orders\" }"));
    assertThat(e).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("user 'cdc' may not open a change stream on 'orders'")
        .hasMessageContaining("grant it the read role on database 'shop'");
  }

  @Test
  void failoverAndNetworkErrorsAreRetried() {
    assertThat(errors.translate("read", serverSays(189, "PrimarySteppedDown", "primary stepped down")))
        .isInstanceOf(ConnectionException.class);
    assertThat(errors.translate("read", new MongoSocketOpenException("refused", new ServerAddress("db1"))))
        .isInstanceOf(ConnectionException.class).hasMessageContaining("cannot read on db1:27017");
  }

  @Test
  void anAuthenticationFailureNamesTheUserNotThePassword() {
    MongoSecurityException failure = new MongoSecurityException(
        MongoCredential.createCredential("cdc", "admin", "s3cret".toCharArray()), "Exception authenticating");
    assertThat(errors.translate("connect", failure)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("authentication of user 'cdc' (auth.source 'admin') failed")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void anyOtherRefusalIsAnInternalError() {
    assertThat(errors.translate("read shop.orders", serverSays(2, "BadValue", "unknown operator: $foo")))
        .isInstanceOf(InternalException.class).hasMessageContaining("BadValue (2): unknown operator: $foo");
  }
}
