package personae.aws;

import personae.core.port.BlobStore;
import personae.core.port.MetadataStore;
import personae.core.port.Notifier;
import personae.core.port.WorkflowStarter;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the AWS adapters ({@link S3BlobStore}, {@link DynamoMetadataStore}, {@link StepFunctionsWorkflowStarter})
 * and their SDK clients, all on the {@link UrlConnectionHttpClient}. Clients are created on first use, so a Lambda
 * that only touches S3 does not pay for the others at cold start.
 *
 * <p>{@link #fromEnvironment()} reads:
 * <ul>
 *   <li>{@code PERSONAE_BUCKET} (required for {@link #blobStore()}), {@code PERSONAE_TABLE} (required for
 *       {@link #metadataStore()}), {@code PERSONAE_STATE_MACHINE_ARN} (required for {@link #workflowStarter()});</li>
 *   <li>optional {@code PERSONAE_S3_ENDPOINT} and {@code PERSONAE_DYNAMODB_ENDPOINT}: endpoint overrides (LocalStack,
 *       the emulators); with an S3 override, requests and presigned URLs use path-style addressing;</li>
 *   <li>region and credentials from the SDK's default chains ({@code AWS_REGION}, the Lambda role...).</li>
 *   <li>without those overrides, the SDK's own {@code AWS_ENDPOINT_URL} applies to every client (the deploy-shaped
 *       test points each function at moto with it; S3 then uses path-style addressing for an IP endpoint).</li>
 * </ul>
 * {@link #forEndpoints} is for the local runtime: explicit endpoints, a region and static dummy credentials.
 */
public final class AwsEnvironment implements AutoCloseable {

    public static final String BUCKET = "PERSONAE_BUCKET";
    public static final String TABLE = "PERSONAE_TABLE";
    public static final String STATE_MACHINE_ARN = "PERSONAE_STATE_MACHINE_ARN";
    public static final String S3_ENDPOINT = "PERSONAE_S3_ENDPOINT";
    public static final String DYNAMODB_ENDPOINT = "PERSONAE_DYNAMODB_ENDPOINT";
    /** The EventBridge bus status changes go to (the template sets {@code default}); unset: they are only logged. */
    public static final String EVENT_BUS = "PERSONAE_EVENT_BUS";

    private final String bucket;
    private final String table;
    private final String stateMachineArn;
    private final URI s3Endpoint;
    private final URI dynamoDbEndpoint;
    private final Region region; // null: SDK default chain
    private final AwsCredentialsProvider credentials; // null: SDK default chain

    private SdkHttpClient http;
    private S3Client s3;
    private S3Presigner presigner;
    private DynamoDbClient dynamoDb;
    private SfnClient sfn;
    private software.amazon.awssdk.services.eventbridge.EventBridgeClient events;
    private String eventBus;
    private final List<AutoCloseable> opened = new ArrayList<>();

    private AwsEnvironment(String bucket, String table, String stateMachineArn, URI s3Endpoint, URI dynamoDbEndpoint,
                           Region region, AwsCredentialsProvider credentials) {
        this.bucket = blankToNull(bucket);
        this.table = blankToNull(table);
        this.stateMachineArn = blankToNull(stateMachineArn);
        this.s3Endpoint = s3Endpoint;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.region = region;
        this.credentials = credentials;
    }

    /** From the process environment (see the class comment). */
    public static AwsEnvironment fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * From the given variables. {@code AWS_REGION} in {@code env}, when present, is used as the region; otherwise the
     * SDK's default region chain decides (which also reads the real {@code AWS_REGION}).
     */
    public static AwsEnvironment fromEnvironment(Map<String, String> env) {
        String region = blankToNull(env.get("AWS_REGION"));
        AwsEnvironment e = new AwsEnvironment(env.get(BUCKET), env.get(TABLE), env.get(STATE_MACHINE_ARN),
                uri(env, S3_ENDPOINT), uri(env, DYNAMODB_ENDPOINT),
                region == null ? null : Region.of(region), null);
        e.eventBus = blankToNull(env.get(EVENT_BUS));
        return e;
    }

    /**
     * For the local runtime and tests: explicit endpoints (e.g. the emulators), static dummy credentials, no state
     * machine. {@link #s3()} and {@link #dynamoDb()} let the caller create the bucket and table.
     */
    public static AwsEnvironment forEndpoints(URI s3Endpoint, URI dynamoDbEndpoint, String bucket, String table,
                                              Region region) {
        return forEndpoints(s3Endpoint, dynamoDbEndpoint, bucket, table, region, "personaelocal", "personaelocal");
    }

    /**
     * Like {@link #forEndpoints(URI, URI, String, String, Region)} with the given static credentials: the embedded
     * S3Mock accepts only requests signed with its own ({@code Emulators.s3Credentials()}).
     */
    public static AwsEnvironment forEndpoints(URI s3Endpoint, URI dynamoDbEndpoint, String bucket, String table,
                                              Region region, String accessKeyId, String secretKey) {
        return new AwsEnvironment(Objects.requireNonNull(bucket), Objects.requireNonNull(table), null,
                Objects.requireNonNull(s3Endpoint), Objects.requireNonNull(dynamoDbEndpoint),
                Objects.requireNonNull(region),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretKey)));
    }

    public String bucket() {
        return require(bucket, BUCKET);
    }

    public String table() {
        return require(table, TABLE);
    }

    public BlobStore blobStore() {
        return new S3BlobStore(s3(), presigner(), bucket());
    }

    public MetadataStore metadataStore() {
        return new DynamoMetadataStore(dynamoDb(), table());
    }

    public WorkflowStarter workflowStarter() {
        return new StepFunctionsWorkflowStarter(sfn(), require(stateMachineArn, STATE_MACHINE_ARN));
    }

    /** Status changes to the {@link #EVENT_BUS} bus when it is set, else {@link Notifier#LOG_ONLY}. */
    public Notifier notifier() {
        return eventBus == null ? Notifier.LOG_ONLY : new EventBridgeNotifier(eventBridge(), eventBus);
    }

    public synchronized software.amazon.awssdk.services.eventbridge.EventBridgeClient eventBridge() {
        if (events == null) {
            var b = software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder().httpClient(http())
                    // a notification never holds a build up for long (see Notifier)
                    .overrideConfiguration(c -> c.apiCallTimeout(java.time.Duration.ofSeconds(5)));
            if (region != null) b.region(region);
            if (credentials != null) b.credentialsProvider(credentials);
            events = remember(b.build());
        }
        return events;
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            S3ClientBuilder b = S3Client.builder().httpClient(http());
            if (region != null) b.region(region);
            if (credentials != null) b.credentialsProvider(credentials);
            if (s3Endpoint != null) b.endpointOverride(s3Endpoint).forcePathStyle(true);
            s3 = remember(b.build());
        }
        return s3;
    }

    public synchronized S3Presigner presigner() {
        if (presigner == null) {
            S3Presigner.Builder b = S3Presigner.builder();
            if (region != null) b.region(region);
            if (credentials != null) b.credentialsProvider(credentials);
            if (s3Endpoint != null) {
                b.endpointOverride(s3Endpoint)
                        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
            }
            presigner = remember(b.build());
        }
        return presigner;
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            DynamoDbClientBuilder b = DynamoDbClient.builder().httpClient(http());
            if (region != null) b.region(region);
            if (credentials != null) b.credentialsProvider(credentials);
            if (dynamoDbEndpoint != null) b.endpointOverride(dynamoDbEndpoint);
            dynamoDb = remember(b.build());
        }
        return dynamoDb;
    }

    public synchronized SfnClient sfn() {
        if (sfn == null) {
            SfnClientBuilder b = SfnClient.builder().httpClient(http());
            if (region != null) b.region(region);
            if (credentials != null) b.credentialsProvider(credentials);
            sfn = remember(b.build());
        }
        return sfn;
    }

    /** Closes every client created so far. */
    @Override
    public synchronized void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception ignored) {
                // closing SDK clients does not fail in practice; keep closing the rest
            }
        }
        opened.clear();
        s3 = null;
        presigner = null;
        dynamoDb = null;
        sfn = null;
        events = null;
        http = null;
    }

    private SdkHttpClient http() {
        if (http == null) http = remember(UrlConnectionHttpClient.create());
        return http;
    }

    private <T extends AutoCloseable> T remember(T c) {
        opened.add(c);
        return c;
    }

    private static String require(String value, String variable) {
        if (value == null) throw new IllegalStateException(variable + " is not set");
        return value;
    }

    private static URI uri(Map<String, String> env, String variable) {
        String v = blankToNull(env.get(variable));
        if (v == null) return null;
        URI u = URI.create(v);
        if (u.getScheme() == null || u.getHost() == null) {
            throw new IllegalArgumentException(variable + " must be an absolute URL like http://127.0.0.1:4566: " + v);
        }
        return u;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
