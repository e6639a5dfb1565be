package personae.emulators;

import com.adobe.testing.s3mock.S3MockApplication;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * DynamoDB Local (server mode) and S3Mock, started in this JVM and listening on 127.0.0.1 only, each on a random
 * port. Used by the tests of several modules and by the local runtime.
 *
 * <p>Layout of {@code dataDir}: {@code dynamodb/} (DynamoDB Local's shared db file, when persistent) and {@code s3/}
 * (S3Mock's store root). With {@code persistent}, S3Mock keeps its files on exit and reloads the buckets and objects
 * it finds under {@code s3/} on the next start; DynamoDB Local keeps {@code dynamodb/shared-local-instance.db}.
 * Without it, DynamoDB Local runs in memory and S3Mock deletes its store root on close. A persistent store that a kill
 * left half-written is repaired before S3Mock starts on it ({@link S3StoreRepair}).
 *
 * <p>S3Mock answers only requests signed (AWS SigV4, verified for real: {@link SigV4}) with {@link #s3Credentials()}:
 * random ones per start, or with {@code persistent} the ones kept in {@code dataDir/s3-credentials} (created on first
 * start, owner-only). Anything else, a plain GET included, gets 403. DynamoDB Local does not check signatures.
 * DynamoDB Local writes each change to its SQLite file as it commits, so its data survives a SIGKILL of this JVM.
 *
 * <p>Set the environment variable {@code DDB_LOCAL_TELEMETRY=0} in every process that runs this (the build's Surefire
 * configuration does): otherwise DynamoDB Local tries to send usage telemetry.
 *
 * <p>Logging: both emulators are kept at WARN (S3Mock's {@code silent} flag sets Spring's root level; the DynamoDB
 * Local, Jetty and sqlite4java loggers are set to WARN here when Logback is the SLF4J provider).
 */
public final class Emulators implements AutoCloseable {

    /** The only address anything started here listens on. */
    public static final String LOOPBACK = "127.0.0.1";

    private static final List<String> QUIET_LOGGERS = List.of(
            "com.amazonaws.services.dynamodbv2", "com.almworks.sqlite4java", "org.eclipse.jetty",
            "org.springframework", "org.apache.catalina", "org.apache.tomcat", "com.adobe.testing.s3mock");

    /** In a persistent {@code dataDir}: S3Mock's access key id and secret, one per line. */
    public static final String CREDENTIALS_FILE = "s3-credentials";

    private static Emulators shared;

    private final Path dataDir;
    private final boolean persistent;
    private final DynamoParts dynamo;
    private final S3MockApplication s3mock;
    private final URI dynamoDbEndpoint;
    private final URI s3Endpoint;
    private final SigV4.Credentials s3Credentials;
    private final Duration startTime;
    private boolean closed;

    private Emulators(Path dataDir, boolean persistent, DynamoParts dynamo, S3MockApplication s3mock,
                      SigV4.Credentials s3Credentials, Duration startTime) {
        this.dataDir = dataDir;
        this.s3Credentials = s3Credentials;
        this.persistent = persistent;
        this.dynamo = dynamo;
        this.s3mock = s3mock;
        this.dynamoDbEndpoint = URI.create("http://" + LOOPBACK + ":" + dynamo.port());
        this.s3Endpoint = URI.create("http://" + LOOPBACK + ":" + s3mock.getHttpPort());
        this.startTime = startTime;
    }

    /**
     * Starts both emulators (in parallel) and returns once both answer on their ports.
     *
     * @param dataDir    folder for the emulators' files; created if missing
     * @param persistent keep data on disk across restarts on the same {@code dataDir}
     */
    public static Emulators start(Path dataDir, boolean persistent) {
        long t0 = System.nanoTime();
        quietLogging();
        Path abs = dataDir.toAbsolutePath().normalize();
        Path s3Root = abs.resolve("s3");
        Path ddbDir = abs.resolve("dynamodb");
        try {
            // S3Mock's own cleaner is a lazy bean that never runs (S3Mock sets spring.main.lazy-initialization), so
            // a non-persistent store is emptied here, at start and at close.
            if (!persistent) deleteRecursively(s3Root);
            else S3StoreRepair.repair(s3Root); // a kill may have cut one of S3Mock's JSON files short
            Files.createDirectories(s3Root);
            if (persistent) Files.createDirectories(ddbDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SigV4.Credentials credentials = persistent ? SigV4.Credentials.loadOrCreate(abs.resolve(CREDENTIALS_FILE))
                : SigV4.Credentials.random();
        // DynamoDB Local's setup (sqlite, native library) runs beside S3Mock's Spring start; its Jetty connector is
        // opened afterwards, once Spring has (re)configured Logback, so Jetty's start-up INFO lines stay quiet.
        CompletableFuture<DynamoParts> dynamo = CompletableFuture.supplyAsync(() -> prepareDynamo(persistent, ddbDir));
        S3MockApplication s3;
        try {
            s3 = startS3Mock(s3Root, persistent, credentials);
        } catch (RuntimeException e) {
            dynamo.thenAccept(DynamoParts::stop);
            throw e;
        }
        DynamoParts parts;
        try {
            parts = dynamo.join().start();
        } catch (RuntimeException e) {
            s3.stop();
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException re ? re : e;
        }
        return new Emulators(abs, persistent, parts, s3, credentials, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * One non-persistent instance per JVM, started on first use under {@code java.io.tmpdir} (the build points it at
     * {@code target/}) and closed by a shutdown hook. Tests of several modules share it; use unique bucket and table
     * names per test class.
     */
    public static synchronized Emulators shared() {
        if (shared == null) {
            Path dir;
            try {
                dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-emulators-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Emulators e = start(dir, false);
            Runtime.getRuntime().addShutdownHook(new Thread(e::close, "personae-emulators-shutdown"));
            shared = e;
        }
        return shared;
    }

    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    /** The only credentials S3Mock accepts (see the class comment). */
    public SigV4.Credentials s3Credentials() {
        return s3Credentials;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean persistent() {
        return persistent;
    }

    /** How long {@link #start} took. */
    public Duration startTime() {
        return startTime;
    }

    /** Stops both emulators; with {@code persistent} their files stay in {@code dataDir}. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        RuntimeException failure = null;
        try {
            s3mock.stop();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            dynamo.stop();
        } catch (RuntimeException e) {
            if (failure == null) failure = e; else failure.addSuppressed(e);
        }
        if (!persistent) {
            try {
                deleteRecursively(dataDir.resolve("s3"));
            } catch (IOException e) {
                if (failure == null) failure = new UncheckedIOException(e); else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }

    private record DynamoParts(Server jetty, ServerConnector connector, LocalDynamoDBServerHandler handler) {
        int port() {
            return connector.getLocalPort();
        }

        DynamoParts start() {
            try {
                jetty.start();
            } catch (Exception e) {
                handler.close();
                throw new IllegalStateException("DynamoDB Local's Jetty did not start", e);
            }
            return this;
        }

        void stop() {
            try {
                jetty.stop();
            } catch (Exception e) {
                throw new IllegalStateException("stopping DynamoDB Local's Jetty failed", e);
            } finally {
                handler.close(); // shuts the request handler (sqlite connections, executors) down
            }
        }
    }

    /*
     * DynamoDB Local's ServerRunner / DynamoDBProxyServer create `new Server(port)`, which binds 0.0.0.0. The same
     * handler chain is built here on a connector bound to the loopback address, port 0.
     */
    private static DynamoParts prepareDynamo(boolean persistent, Path ddbDir) {
        LocalDynamoDBServerHandler handler;
        try {
            // same arguments as ServerRunner: (port unused, inMemory, dbPath, sharedDb, delayTransientStatuses)
            handler = new LocalDynamoDBServerHandler(new LocalDynamoDBRequestHandler(
                    0, !persistent, persistent ? ddbDir.toString() : null, true, false), null);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local could not be created", e);
        }
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(LOOPBACK);
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(new DynamoDBProxyServer(0, handler).setUpHandler(handler)); // proxy never started
        return new DynamoParts(jetty, connector, handler);
    }

    private static S3MockApplication startS3Mock(Path root, boolean persistent, SigV4.Credentials credentials) {
        // S3MockApplication.start mutates the map it is given
        Map<String, Object> props = new HashMap<>();
        props.put(S3MockApplication.PROP_HTTPS_PORT, 0);
        props.put(S3MockApplication.PROP_HTTP_PORT, 0);
        props.put("server.address", LOOPBACK);
        props.put("spring.main.sources", S3MockLoopback.class.getName() + "," + S3MockSignatures.class.getName());
        props.put(S3MockSignatures.ACCESS_KEY_PROPERTY, credentials.accessKeyId());
        props.put(S3MockSignatures.SECRET_KEY_PROPERTY, credentials.secretKey());
        props.put("com.adobe.testing.s3mock.store.root", root.toString());
        props.put("com.adobe.testing.s3mock.store.retain-files-on-exit", persistent);
        props.put(S3MockApplication.PROP_SILENT, true); // logging.level.root=WARN
        // Spring resets Logback when it starts: keep the other emulator's loggers quiet through that too
        for (String name : QUIET_LOGGERS) props.put("logging.level." + name, "WARN");
        return S3MockApplication.start(props);
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Sets the emulators' loggers to WARN when Logback is the SLF4J provider (it is, through S3Mock). */
    private static void quietLogging() {
        for (String name : QUIET_LOGGERS) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l && l.getLevel() == null) {
                l.setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
    }
}
