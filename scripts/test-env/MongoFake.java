import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.util.concurrent.CountDownLatch;

/**
 * Serves the in-memory MongoDB fake (mongo-java-server) until the JVM is told to stop.
 *
 * <p>The oplog is switched on, without which {@code collection.watch()} fails. Started by
 * {@code scripts/test-env.sh}; usage: {@code MongoFake <bind-host> <port>}.
 */
public final class MongoFake {

    private MongoFake() {
    }

    public static void main(String[] args) throws InterruptedException {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 27018;

        MemoryBackend backend = new MemoryBackend();
        backend.enableOplog();
        MongoServer server = new MongoServer(backend);
        server.bind(host, port);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();
            stopped.countDown();
        }, "mongo-fake-shutdown"));

        System.out.println("mongo fake listening on " + host + ":" + port + " (oplog enabled)");
        stopped.await();
    }
}
