package dev.sluice.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.core.SluiceException.ConfigurationException;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.core.event.TableSchema;
import dev.sluice.core.option.Options;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the source checks before it captures anything, against a live server. */
class PreflightIT {
  private final FakeMongo mongo = new FakeMongo();

  @AfterEach
  void tearDown() {
    mongo.close();
  }

  @Test
  void describesOneTableKeyedByIdPerCapturedCollection() {
    mongo.collection("orders").insertOne(new BsonDocument("_id", new BsonInt32(1)));
    mongo.collection("audit").insertOne(new BsonDocument("_id", new BsonInt32(1)));
    try (MongoSource source = mongo.source("collection", "ord.*")) {
      assertThat(source.tables()).singleElement().satisfies((TableSchema t) -> {
        assertThat(t.id()).isEqualTo(mongo.table("orders"));
        assertThat(t.keyColumns()).containsExactly("_id");
      });
    }
  }

  @Test
  void anUnreachableServerIsAConnectionErrorThatNamesIt() {
    MongoSource source = new MongoSource(MongoConfig.from(Options.parse("test source", MongoOptions.ALL,
        Map.of("hosts", "127.0.0.1:1", "database", "srcmongo_none", "connect.timeout", "1s"))));
    try (source) {
      assertThatThrownBy(source::tables).isInstanceOf(ConnectionException.class)
          .hasMessageContaining("no answer from 127.0.0.1:1 within 1000 ms");
    }
  }

  @Test
  void noMatchingCollectionIsAConfigurationError() {
    mongo.collection("orders").insertOne(new BsonDocument("_id", new BsonInt32(1)));
    try (MongoSource source = mongo.source("collection", "invoices")) {
      assertThatThrownBy(source::tables).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("has no collection matching 'collection' [invoices]");
    }
  }

  @Test
  void aServerWithoutReplicaSetStatusServesOneCollectionOnly() {
    assumeTrue(System.getenv("SLUICE_MONGO_URI") == null,
        "a replica set captures many collections through one database-level stream");
    mongo.collection("orders").insertOne(new BsonDocument("_id", new BsonInt32(1)));
    mongo.collection("audit").insertOne(new BsonDocument("_id", new BsonInt32(1)));
    try (MongoSource source = mongo.source()) {
      assertThatThrownBy(source::tables).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("only one collection can be captured from it").hasMessageContaining("[audit, orders]");
    }
  }
}
