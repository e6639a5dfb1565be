package personae.local;

import personae.aws.AwsEnvironment;
import personae.aws.DynamoMetadataStore;
import personae.core.Services;
import personae.core.api.PersonaeApi;
import personae.core.port.WorkflowStarter;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.pipeline.Builds;
import personae.core.pipeline.ScheduledRefresh;
import personae.core.port.Notifier;
import personae.emulators.Emulators;
import personae.emulators.SigV4;
import personae.handlers.AccountSweep;
import personae.handlers.step.StepHandler;
import personae.handlers.step.Steps;
import personae.local.statemachine.StateMachineRunner;
import personae.local.statemachine.TaskFunction;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Personae on one machine, no AWS account and no Docker: DynamoDB Local and S3Mock in-process on 127.0.0.1, the same
 * AWS adapters and handler classes as on Lambda, the v1 API on a loopback HTTP server, and the very state machine
 * definition {@code template.yaml} deploys, run in-process.
 */
public final class LocalRuntime implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalRuntime.class.getName());

    /**
     * The id of the one account before account ids were UUIDs: a data directory from then is migrated to a UUID
     * account at start ({@link LocalAccount}).
     */
    public static final String LEGACY_ACCOUNT = "local";
    /** The generated API key's file in the data directory. */
    static final String KEY_FILE = "api-key";
    public static final String BUCKET = "personae-local";
    public static final String TABLE = "personae";

    /**
     * Where and how to run.
     *
     * @param port        HTTP port on 127.0.0.1 (0 picks a free one)
     * @param dataDir     local state (emulator files, the generated API key)
     * @param apiKey      the key to accept, or null to generate one (kept in the data dir)
     * @param persistent  keep state across restarts
     * @param waitScale   multiplies the definition's Wait seconds (locally there is no need to wait 2 s)
     * @param endpoints   S3 and DynamoDB endpoints to use instead of the embedded emulators (e.g. LocalStack), or null
     * @param deletionGrace how long a deleted account's data stays before the sweep removes it
     * @param sweepEvery  how often the runtime's scheduler runs the sweep of deleted accounts and the datasets' due
     *                    scheduled refreshes
     * @param webhook     where every status change to ready or error is POSTed ({@link WebhookNotifier}), or null
     */
    public record Config(int port, Path dataDir, String apiKey, boolean persistent, double waitScale,
                         java.net.URI[] endpoints, Duration deletionGrace, Duration sweepEvery, java.net.URI webhook) {
        /** Accounts are deleted 24 hours after the request, as on AWS; the scheduler looks every minute; no webhook. */
        public Config(int port, Path dataDir, String apiKey, boolean persistent, double waitScale, java.net.URI[] endpoints) {
            this(port, dataDir, apiKey, persistent, waitScale, endpoints, AccountSweep.DEFAULT_GRACE, Duration.ofMinutes(1),
                    null);
        }

        public static Config fromEnvironment(Map<String, String> env) {
            int port = Integer.parseInt(env.getOrDefault("PERSONAE_PORT", "8080"));
            Path dir = Path.of(env.getOrDefault("PERSONAE_DATA_DIR", ".personae")).toAbsolutePath();
            String key = env.get("PERSONAE_API_KEY");
            String hook = env.get(WEBHOOK_VARIABLE);
            return new Config(port, dir, key == null || key.isBlank() ? null : key, true, 0.25, null)
                    .withAccountDeletion(AccountSweep.grace(env), Duration.ofMinutes(1))
                    .withWebhook(hook == null || hook.isBlank() ? null : java.net.URI.create(hook.trim()));
        }

        /** The same, POSTing status changes to {@code url} (null: none). */
        public Config withWebhook(java.net.URI url) {
            return new Config(port, dataDir, apiKey, persistent, waitScale, endpoints, deletionGrace, sweepEvery, url);
        }

        /** The same with another grace period and sweep interval (short in tests). */
        public Config withAccountDeletion(Duration grace, Duration every) {
            return new Config(port, dataDir, apiKey, persistent, waitScale, endpoints, grace, every, webhook);
        }

        /** For tests: a free port, the given key and data dir, fast waits. */
        public static Config forTests(Path dataDir, String apiKey) {
            return new Config(0, dataDir, apiKey, true, 0.05, null);
        }

        /** The same on another port (a restart on the same port keeps the signed file URLs working). */
        public Config withPort(int newPort) {
            return new Config(newPort, dataDir, apiKey, persistent, waitScale, endpoints, deletionGrace, sweepEvery,
                    webhook);
        }

        public Config withEndpoints(java.net.URI s3, java.net.URI dynamoDb) {
            return new Config(port, dataDir, apiKey, persistent, waitScale, new java.net.URI[]{s3, dynamoDb},
                    deletionGrace, sweepEvery, webhook);
        }
    }

    private final Emulators emulators;
    private final AwsEnvironment aws;
    private final StateMachineRunner runner;
    private final LocalHttpServer server;
    private final LocalFiles files;
    private java.util.List<BuildRequest> resumed = java.util.List.of();
    private final Services services;
    private final String apiKey;
    private final String accountId;
    private final java.util.concurrent.ScheduledExecutorService scheduler;
    private final WebhookNotifier webhook;
    /** The environment variable naming the webhook that status changes are POSTed to. */
    public static final String WEBHOOK_VARIABLE = "PERSONAE_WEBHOOK_URL";

    private LocalRuntime(Config config) {
        long t0 = System.nanoTime();
        emulators = config.endpoints() == null ? Emulators.start(config.dataDir(), config.persistent()) : null;
        // the embedded S3Mock accepts only its own credentials; the same ones sign the local file URLs
        SigV4.Credentials credentials = emulators != null ? emulators.s3Credentials()
                : SigV4.Credentials.loadOrCreate(config.dataDir().resolve(Emulators.CREDENTIALS_FILE));
        aws = emulators != null
                ? AwsEnvironment.forEndpoints(emulators.s3Endpoint(), emulators.dynamoDbEndpoint(), BUCKET, TABLE,
                        Region.US_EAST_1, credentials.accessKeyId(), credentials.secretKey())
                : AwsEnvironment.forEndpoints(config.endpoints()[0], config.endpoints()[1], BUCKET, TABLE,
                        Region.US_EAST_1);
        try {
            aws.s3().createBucket(b -> b.bucket(BUCKET));
        } catch (BucketAlreadyOwnedByYouException alreadyThere) {
            // state from an earlier run
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() != 409) throw e;
        }
        DynamoMetadataStore.createTable(aws.dynamoDb(), TABLE);

        StateMachineRunner[] runnerRef = new StateMachineRunner[1];
        // the in-process runner knows its live executions: a build recorded with an id it does not know (one from
        // before a restart) is dead, and the next PATCH or upload replaces it (pipeline/Builds)
        WorkflowStarter starter = new WorkflowStarter() {
            @Override
            public String startBuild(BuildRequest request) {
                return runnerRef[0].started(Map.of("account", request.account(), "kind", request.kind(),
                        "id", request.id())).executionId();
            }

            @Override
            public boolean isRunning(String executionId) {
                return runnerRef[0].isRunning(executionId);
            }
        };
        files = new LocalFiles(aws.blobStore(), BUCKET, credentials, Clock.systemUTC());
        webhook = config.webhook() == null ? null : new WebhookNotifier(config.webhook());
        services = new Services(aws.metadataStore(), files.presigningHere(aws.blobStore()), starter,
                Clock.systemUTC(), Services.Settings.local(), webhook == null ? Notifier.LOG_ONLY : webhook);
        Map<String, String> substitutions = new LinkedHashMap<>();
        Map<String, TaskFunction> tasks = new LinkedHashMap<>();
        Steps.all().keySet().forEach(name -> {
            StepHandler handler = Steps.create(name, services);
            substitutions.put(name + "FunctionArn", "local:" + name);
            tasks.put("local:" + name, input -> handler.handleRequest(input, null));
        });
        runner = new StateMachineRunner(StateMachineRunner.loadDefinition(StateMachineRunner.DEFINITION_RESOURCE),
                substitutions, tasks, config.waitScale());
        runnerRef[0] = runner;
        runner.onTransition((execution, state) -> LOG.fine(() -> execution + " -> " + state));

        apiKey = config.apiKey() != null ? config.apiKey() : storedOrNewKey(config.dataDir());
        accountId = LocalAccount.open(services, config.dataDir(), apiKey);
        resumeUnfinishedBuilds(); // before the server takes requests: no build is started twice
        server = LocalHttpServer.start(config.port(), new PersonaeApi(services), files);
        scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "personae-scheduler");
            t.setDaemon(true);
            return t;
        });
        AccountSweep sweep = new AccountSweep(services, config.deletionGrace());
        long every = config.sweepEvery().toMillis();
        scheduler.scheduleWithFixedDelay(sweep::runLogged, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        ScheduledRefresh refreshes = new ScheduledRefresh(services);
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                refreshes.runDue();
            } catch (RuntimeException e) {
                LOG.log(java.util.logging.Level.WARNING, "the scheduled refreshes failed; the next tick retries", e);
            }
        }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        LOG.info(() -> "started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    public static LocalRuntime start(Config config) {
        return new LocalRuntime(config);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    public String apiKey() {
        return apiKey;
    }

    public Services services() {
        return services;
    }

    /** The account the runtime's key acts for (a UUID; kept in the data directory's {@code account-id}). */
    public String accountId() {
        return accountId;
    }

    /** The port of the HTTP server (the API under {@code /v1}, signed file URLs under {@code /files}). */
    public int port() {
        return server.port();
    }

    /** The embedded S3Mock's endpoint, or null when running against other endpoints (for tests). */
    java.net.URI s3Endpoint() {
        return emulators == null ? null : emulators.s3Endpoint();
    }

    /**
     * Builds interrupted by a stop or a kill start again, from their first step, in every account (nothing of the
     * last run's executions survives it).
     */
    private void resumeUnfinishedBuilds() {
        resumed = new Builds(services).restartUnfinished();
        if (!resumed.isEmpty()) LOG.info(() -> "restarted " + resumed.size() + " interrupted build(s)");
    }

    /** The interrupted builds this start restarted, in every account. */
    public java.util.List<BuildRequest> resumedBuilds() {
        return resumed;
    }

    private static String storedOrNewKey(Path dataDir) {
        Path file = dataDir.resolve(KEY_FILE);
        try {
            if (Files.exists(file)) return Files.readString(file).trim();
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String key = "pk_local_" + HexFormat.of().formatHex(random);
            Files.createDirectories(dataDir);
            Files.writeString(file, key + "\n");
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdown(); // a sweep under way finishes its call (the next start's sweep finishes the rest)
        try {
            if (!scheduler.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) scheduler.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        runner.close();
        if (webhook != null) webhook.close();
        files.close();
        aws.close();
        if (emulators != null) emulators.close();
    }

    public static void main(String[] args) {
        Config config = Config.fromEnvironment(System.getenv());
        LocalRuntime runtime = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "personae-shutdown"));
        System.out.println();
        System.out.println("Personae is running (local, embedded DynamoDB Local + S3Mock; state in " + config.dataDir() + ")");
        System.out.println("  console:  http://127.0.0.1:" + runtime.port() + "/");
        System.out.println("  base URL: " + runtime.baseUrl());
        System.out.println("  API key:  " + runtime.apiKey());
        System.out.println();
        System.out.println("  curl -H 'Authorization: Bearer " + runtime.apiKey() + "' " + runtime.baseUrl() + "/accounts/current");
        System.out.println("Stop with Ctrl-C.");
    }
}
