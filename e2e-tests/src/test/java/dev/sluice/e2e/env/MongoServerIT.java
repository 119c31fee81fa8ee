package dev.sluice.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.OperationType;
import dev.sluice.testsupport.TestServers;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The Mongo test endpoint delivers an insert through a collection change stream. */
class MongoServerIT {

    private final String uri = TestServers.mongoUri();

    @Test
    void collectionWatchDeliversAnInsert() {
        String id = UUID.randomUUID().toString();
        try (MongoClient client = MongoClients.create(uri)) {
            MongoCollection<Document> collection =
                    client.getDatabase("sluice_env").getCollection("watch_" + id.substring(0, 8));
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> changes = collection.watch().cursor()) {
                collection.insertOne(new Document("_id", id).append("name", "sluice"));

                AtomicReference<ChangeStreamDocument<Document>> change = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    ChangeStreamDocument<Document> next = changes.tryNext();
                    if (next != null) {
                        change.set(next);
                    }
                    return change.get() != null;
                });

                assertThat(change.get().getOperationType()).isEqualTo(OperationType.INSERT);
                assertThat(change.get().getFullDocument())
                        .containsEntry("_id", id)
                        .containsEntry("name", "sluice");
            }
        }
    }
}
