package dev.sluice.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException.DataException;
import dev.sluice.core.event.ChangeEvent;
import dev.sluice.core.event.ChangeEvent.Op;
import dev.sluice.core.event.SchemaChangeEvent;
import dev.sluice.core.event.TableId;
import dev.sluice.core.event.TableSchema;
import java.time.Instant;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.json.JsonMode;
import org.junit.jupiter.api.Test;

/**
 * Change events in the shapes the MongoDB manual documents ("Change Events" pages, 6.0+ fields
 * included), for what the test double cannot produce: updates with updateDescription, replaces,
 * {@code ns} routing across collections, drop, rename, dropDatabase, invalidate, transactions.
 */
class ChangeEventsTest {
  private static final DocumentMapper MAPPER = DocumentMapper.json(JsonMode.RELAXED);
  private static final TableSchema USERS = MAPPER.schema(TableId.of("engineering", "users"));
  private static final TableSchema TEAMS = MAPPER.schema(TableId.of("engineering", "teams"));
  private final ChangeEvents events = new ChangeEvents(Map.of("users", USERS, "teams", TEAMS), null, MAPPER);

  private static final String TOKEN = "{\"_data\": \"8262A3BB3A000000012B022C0100296E5A1004\"}";
  private static final String TIME = "{\"$timestamp\": {\"t\": 1654883386, \"i\": 1}}";
  private static final String WALL = "{\"$date\": \"2022-06-10T17:49:46.385Z\"}";

  private ChangeEvent single(String json) {
    ChangeEvents.Converted c = events.convert(BsonDocument.parse(json));
    assertThat(c.events()).hasSize(1);
    assertThat(c.position()).isEqualTo(new MongoPosition(new BsonTimestamp(1654883386, 1).getValue(),
        "8262A3BB3A000000012B022C0100296E5A1004"));
    return (ChangeEvent) c.events().get(0);
  }

  @Test
  void insertBecomesAnInsertOfTheFullDocument() {
    ChangeEvent e = single("""
        {"_id": %s, "operationType": "insert", "clusterTime": %s, "wallTime": %s,
         "fullDocument": {"_id": {"$oid": "599af247bb69cd89961c986d"}, "userName": "alice123", "name": "Alice"},
         "ns": {"db": "engineering", "coll": "users"},
         "documentKey": {"userName": "alice123", "_id": {"$oid": "599af247bb69cd89961c986d"}}}
        """.formatted(TOKEN, TIME, WALL));
    assertThat(e.op()).isEqualTo(Op.INSERT);
    assertThat(e.table()).isEqualTo(USERS.id());
    assertThat(e.after().values()).containsExactly("{\"$oid\": \"599af247bb69cd89961c986d\"}",
        "{\"_id\": {\"$oid\": \"599af247bb69cd89961c986d\"}, \"userName\": \"alice123\", \"name\": \"Alice\"}");
    assertThat(e.sourceTime()).isEqualTo(Instant.parse("2022-06-10T17:49:46.385Z"));
    assertThat(e.transactionId()).isNull();
  }

  @Test
  void updateBecomesAnUpdateToTheLookedUpDocument() {
    ChangeEvent e = single("""
        {"_id": %s, "operationType": "update", "clusterTime": %s, "wallTime": %s,
         "ns": {"db": "engineering", "coll": "users"},
         "documentKey": {"_id": {"$oid": "58a4eb4a30c75625e00d2820"}},
         "updateDescription": {"updatedFields": {"email": "alice@10gen.com"}, "removedFields": ["phoneNumber"],
                               "truncatedArrays": [{"field": "vacation_time", "newSize": 36}],
                               "disambiguatedPaths": {}},
         "fullDocument": {"_id": {"$oid": "58a4eb4a30c75625e00d2820"}, "name": "Alice", "userName": "alice123",
                          "email": "alice@10gen.com", "team": "replication"}}
        """.formatted(TOKEN, TIME, WALL));
    assertThat(e.op()).isEqualTo(Op.UPDATE);
    assertThat(e.before()).isNull();
    assertThat(e.key().get(0)).isEqualTo("{\"$oid\": \"58a4eb4a30c75625e00d2820\"}");
    assertThat((String) e.after().get(1)).contains("\"email\": \"alice@10gen.com\"").doesNotContain("phoneNumber");
  }

  @Test
  void updateOfADocumentDeletedBeforeTheLookupEmitsNothing() {
    ChangeEvents.Converted c = events.convert(BsonDocument.parse("""
        {"_id": %s, "operationType": "update", "clusterTime": %s,
         "ns": {"db": "engineering", "coll": "users"}, "documentKey": {"_id": 5},
         "updateDescription": {"updatedFields": {"a": 1}, "removedFields": []}, "fullDocument": null}
        """.formatted(TOKEN, TIME)));
    assertThat(c.events()).isEmpty();
    assertThat(c.invalidate()).isFalse();
  }

  @Test
  void replaceBecomesAnUpdateToTheNewDocument() {
    ChangeEvent e = single("""
        {"_id": %s, "operationType": "replace", "clusterTime": %s, "wallTime": %s,
         "ns": {"db": "engineering", "coll": "teams"},
         "documentKey": {"_id": "replication"},
         "fullDocument": {"_id": "replication", "size": {"$numberLong": "12"}, "lead": null}}
        """.formatted(TOKEN, TIME, WALL));
    assertThat(e.op()).isEqualTo(Op.UPDATE);
    assertThat(e.table()).isEqualTo(TEAMS.id());
    assertThat(e.after().values()).containsExactly("\"replication\"",
        "{\"_id\": \"replication\", \"size\": 12, \"lead\": null}");
  }

  @Test
  void deleteCarriesTheKeyOnly() {
    ChangeEvent e = single("""
        {"_id": %s, "operationType": "delete", "clusterTime": %s, "wallTime": %s,
         "ns": {"db": "engineering", "coll": "users"},
         "documentKey": {"_id": {"$oid": "599af247bb69cd89961c986d"}}}
        """.formatted(TOKEN, TIME, WALL));
    assertThat(e.op()).isEqualTo(Op.DELETE);
    assertThat(e.after()).isNull();
    assertThat(e.before().values()).containsExactly("{\"$oid\": \"599af247bb69cd89961c986d\"}", null);
  }

  @Test
  void eventsOfOtherCollectionsAreSkipped() {
    ChangeEvents.Converted c = events.convert(BsonDocument.parse("""
        {"_id": %s, "operationType": "insert", "clusterTime": %s,
         "ns": {"db": "engineering", "coll": "audit"}, "documentKey": {"_id": 1}, "fullDocument": {"_id": 1}}
        """.formatted(TOKEN, TIME)));
    assertThat(c.events()).isEmpty();
    assertThat(c.position().token()).isNotNull();
  }

  @Test
  void aCollectionStreamRoutesEventsWithoutNsToItsCollection() {
    ChangeEvents oneCollection = new ChangeEvents(Map.of("users", USERS), "users", MAPPER);
    ChangeEvents.Converted c = oneCollection.convert(BsonDocument.parse("""
        {"_id": {"_data": "6b07049100000001"}, "operationType": "insert", "clusterTime": %s,
         "documentKey": {"_id": 1}, "fullDocument": {"_id": 1, "a": "x"}}
        """.formatted(TIME)));
    assertThat(c.events()).singleElement().satisfies(e -> assertThat(e.table()).isEqualTo(USERS.id()));
  }

  @Test
  void transactionEventsNameTheirTransaction() {
    ChangeEvent e = single("""
        {"_id": %s, "operationType": "insert", "clusterTime": %s,
         "lsid": {"id": {"$binary": {"base64": "7Qz8Ys7ESyq9TQqzuoUNYQ==", "subType": "04"}},
                  "uid": {"$binary": {"base64": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "subType": "00"}}},
         "txnNumber": {"$numberLong": "3"},
         "ns": {"db": "engineering", "coll": "users"}, "documentKey": {"_id": 1}, "fullDocument": {"_id": 1}}
        """.formatted(TOKEN, TIME));
    assertThat(e.transactionId()).isEqualTo("ed0cfc62-cec4-4b2a-bd4d-0ab3ba850d61:3");
    assertThat(e.sourceTime()).isEqualTo(Instant.ofEpochSecond(1654883386)); // no wallTime before 6.0
  }

  @Test
  void dropAndRenameDropTheTable() {
    ChangeEvents.Converted drop = events.convert(BsonDocument.parse("""
        {"_id": %s, "operationType": "drop", "clusterTime": %s, "wallTime": %s,
         "ns": {"db": "engineering", "coll": "users"}}
        """.formatted(TOKEN, TIME, WALL)));
    assertThat(drop.events()).singleElement().isInstanceOfSatisfying(SchemaChangeEvent.class, s -> {
      assertThat(s.kind()).isEqualTo(SchemaChangeEvent.Kind.DROP_TABLE);
      assertThat(s.table()).isEqualTo(USERS.id());
    });
    ChangeEvents.Converted rename = events.convert(BsonDocument.parse("""
        {"_id": %s, "operationType": "rename", "clusterTime": %s, "wallTime": %s,
         "ns": {"db": "engineering", "coll": "teams"}, "to": {"db": "engineering", "coll": "squads"}}
        """.formatted(TOKEN, TIME, WALL)));
    assertThat(rename.events()).singleElement().isInstanceOfSatisfying(SchemaChangeEvent.class,
        s -> assertThat(s.table()).isEqualTo(TEAMS.id()));
  }

  @Test
  void dropDatabaseDropsEveryCapturedTable() {
    ChangeEvents.Converted c = events.convert(BsonDocument.parse("""
        {"_id": %s, "operationType": "dropDatabase", "clusterTime": %s, "wallTime": %s, "ns": {"db": "engineering"}}
        """.formatted(TOKEN, TIME, WALL)));
    assertThat(c.events()).extracting(e -> e.table()).containsExactlyInAnyOrder(USERS.id(), TEAMS.id());
  }

  @Test
  void invalidateIsReportedNotEmitted() {
    ChangeEvents.Converted c = events.convert(BsonDocument.parse("""
        {"_id": %s, "operationType": "invalidate", "clusterTime": %s, "wallTime": %s}
        """.formatted(TOKEN, TIME, WALL)));
    assertThat(c.invalidate()).isTrue();
    assertThat(c.events()).isEmpty();
  }

  @Test
  void otherDdlIsIgnored() {
    ChangeEvents.Converted c = events.convert(BsonDocument.parse("""
        {"_id": %s, "operationType": "createIndexes", "clusterTime": %s, "wallTime": %s,
         "ns": {"db": "engineering", "coll": "users"},
         "operationDescription": {"indexes": [{"v": 2, "key": {"name": 1}, "name": "name_1"}]}}
        """.formatted(TOKEN, TIME, WALL)));
    assertThat(c.events()).isEmpty();
  }

  @Test
  void anEventWithoutAResumeTokenIsRefused() {
    assertThatThrownBy(() -> events.convert(BsonDocument.parse(
        "{\"operationType\": \"insert\", \"ns\": {\"db\": \"engineering\", \"coll\": \"users\"}}")))
        .isInstanceOf(DataException.class).hasMessageContaining("resume token");
  }
}
