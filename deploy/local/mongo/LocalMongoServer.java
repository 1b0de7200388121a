import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A Mongo-wire server for local runs without Docker (started by deploy/local/mongo.sh).
 *
 * Usage: LocalMongoServer <host> <port> <data file | "memory">
 *
 * The H2 backend keeps every database in one MVStore file, so read models survive a restart of the
 * server; "memory" (H2 in memory, no file) is the fallback when that file gives trouble.
 */
public final class LocalMongoServer {
    /**
     * The Node driver under mongoose 9 (mongodb 7) refuses servers below MongoDB 4.4 (wire version 9),
     * and mongo-java-server's newest preset, MONGO_5_0, still reports wire version 8. The version only
     * feeds the hello/buildInfo answers, so announce 4.4: the lowest the driver accepts, and thus the
     * fewest newer wire features it will expect.
     */
    private static final MongoVersion MONGO_4_4 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 4, 0);
        }

        @Override
        public int getWireVersion() {
            return 9;
        }
    };

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: LocalMongoServer <host> <port> <data file | memory>");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String dataFile = args[2];

        MongoBackend backend = "memory".equals(dataFile) ? H2Backend.inMemory() : new H2Backend(dataFile);
        backend.version(MONGO_4_4);
        MongoServer server = new MongoServer(backend);
        server.bind(host, port);
        System.out.println("LocalMongoServer listening on mongodb://" + host + ":" + port + " (data: " + dataFile + ")");

        CountDownLatch stopped = new CountDownLatch(1);
        // `mongo.sh stop` sends SIGTERM: close the server and then the backend, which commits the H2 file.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            backend.close();
            System.out.println("LocalMongoServer stopped");
            stopped.countDown();
        }, "local-mongo-shutdown"));
        // Netty's worker threads are the ones serving; this thread only keeps the process alive.
        stopped.await();
    }
}
