package personae.handlers;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import personae.aws.AwsEnvironment;
import personae.aws.DynamoMetadataStore;
import personae.core.Services;
import personae.core.api.PersonaeApi;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.emulators.Emulators;
import personae.handlers.step.BuildCohortHandler;
import personae.handlers.step.CheckInputsHandler;
import personae.handlers.step.ClusterPersonasHandler;
import personae.handlers.step.EnrichTraitsHandler;
import personae.handlers.step.IngestDatasetHandler;
import personae.handlers.step.MarkErrorHandler;
import personae.handlers.step.MarkReadyHandler;
import personae.handlers.step.MaterializeScopeHandler;
import personae.handlers.step.NamePersonasHandler;
import personae.handlers.step.PublishTargetHandler;
import personae.handlers.step.StepHandler;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lambda handlers against DynamoDB Local and S3Mock over their real protocols, through the production AWS
 * adapters, fed with the JSON events of {@code events/} (the ones {@code sam local invoke} uses). The state machine
 * is played by calling the step handlers in the order the definition does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandlersIntegrationTest {

    static final String ACCOUNT = "11111111-1111-1111-1111-111111111111";
    static final String KEY = "personae-test-key";

    AwsEnvironment aws;
    Services services;
    final List<BuildRequest> started = new CopyOnWriteArrayList<>();

    @BeforeAll
    void setUp() {
        Emulators emulators = Emulators.shared();
        String suffix = Long.toHexString(System.nanoTime());
        aws = AwsEnvironment.forEndpoints(emulators.s3Endpoint(), emulators.dynamoDbEndpoint(), "handlers-" + suffix,
                "handlers-" + suffix, Region.US_EAST_1, emulators.s3Credentials().accessKeyId(),
                emulators.s3Credentials().secretKey());
        aws.s3().createBucket(b -> b.bucket(aws.bucket()));
        DynamoMetadataStore.createTable(aws.dynamoDb(), aws.table());
        services = services(Services.Settings.lambda(aws.bucket()));
        PersonaeApi.ensureAccount(services, ACCOUNT, "Handlers test", KEY);
    }

    @AfterAll
    void tearDown() {
        aws.close();
    }

    Services services(Services.Settings settings) {
        personae.core.port.WorkflowStarter recording = new personae.core.port.WorkflowStarter() {
            @Override
            public String startBuild(BuildRequest request) {
                started.add(request);
                return "execution-" + started.size();
            }

            @Override
            public boolean isRunning(String executionId) {
                return true; // nothing runs the builds here: every started one stays "running"
            }
        };
        return new Services(aws.metadataStore(), aws.blobStore(), recording, Clock.systemUTC(), settings);
    }

    APIGatewayV2HTTPResponse api(String eventFile, String path, String body) {
        APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent("events/" + eventFile);
        if (path != null) {
            e.setRawPath(path);
            e.getRequestContext().getHttp().setPath(path);
        }
        if (body != null) e.setBody(body);
        return new ApiHandler(services).handleRequest(e, null);
    }

    String createdId(APIGatewayV2HTTPResponse r) {
        assertEquals(201, r.getStatusCode(), r.getBody());
        return Json.read(r.getBody()).get("id").asText();
    }

    /** The definition's path for one kind: CheckInputs, the kind's build steps, MarkReady. */
    void build(String kind, String id) {
        Map<String, Object> input = new HashMap<>(Map.of("account", ACCOUNT, "kind", kind, "id", id));
        Map<String, Object> check = new CheckInputsHandler(services).handleRequest(input, null);
        assertEquals("ready", check.get("state"), "inputs of " + kind + " " + id + ": " + check);
        input.put("inputs", check);
        List<StepHandler> steps = switch (kind) {
            case "datasets" -> List.of(new IngestDatasetHandler(services), new EnrichTraitsHandler(services));
            case "cohorts" -> List.of(new BuildCohortHandler(services));
            case "persona_sets" -> List.of(new ClusterPersonasHandler(services), new NamePersonasHandler(services));
            case "scopes" -> List.of(new MaterializeScopeHandler(services));
            case "targets" -> List.of(new PublishTargetHandler(services));
            default -> throw new IllegalArgumentException(kind);
        };
        for (StepHandler s : steps) s.handleRequest(input, null);
        new MarkReadyHandler(services).handleRequest(input, null);
    }

    @Test
    void theTutorialThroughTheHandlers() throws Exception {
        APIGatewayV2HTTPResponse upload = api("api-upload-post.json", null, null);
        assertEquals(200, upload.getStatusCode(), upload.getBody());
        assertTrue(api("api-uploads-get.json", null, null).getBody().contains("\"subpath\":\"orders/orders.csv\""));

        String dataset = createdId(api("api-dataset-post.json", null, null));
        assertTrue(started.contains(new BuildRequest(ACCOUNT, "datasets", dataset)), "the build was started");
        build("datasets", dataset);
        JsonNode ds = Json.read(api("api-dataset-get.json", "/v1/datasets/" + dataset, null).getBody());
        assertEquals("ready", ds.get("status").asText());
        assertEquals(4, ds.get("row_count").asInt());
        assertEquals(3, ds.get("identified_count").asInt(), "4 orders from 3 customers");

        String cohort = createdId(api("api-cohort-post.json", null, null));
        build("cohorts", cohort);
        String personaSet = createdId(api("api-persona-set-post.json", null,
                "{\"name\":\"Customer personas\",\"cohort_id\":\"" + cohort + "\",\"number_of_clusters\":2}"));
        build("persona_sets", personaSet);
        String scope = createdId(api("api-scope-post.json", null, "{\"name\":\"Scope " + dataset + "\","
                + "\"population\":{\"cohort_ids\":[\"" + cohort + "\"]},\"payload\":{\"persona_set_ids\":[\""
                + personaSet + "\"]},\"preview\":true}"));
        build("scopes", scope);
        String target = createdId(api("api-target-post.json", null, "{\"name\":\"Personas CSV\",\"scope_id\":\""
                + scope + "\",\"options\":{\"type\":\"hosted_csv\"},\"representation\":{\"mode\":\"identified\","
                + "\"aggregate\":\"person\"}}"));
        build("targets", target);

        APIGatewayV2HTTPResponse csv = api("api-target-download.json", "/v1/targets/" + target + "/download.csv", null);
        assertEquals(200, csv.getStatusCode(), csv.getBody());
        List<String> lines = csv.getBody().lines().toList();
        assertEquals(4, lines.size(), "header + 3 people: " + csv.getBody());
        assertTrue(lines.get(0).startsWith("email,person_first_name,person_last_name,house_number_and_street,city,"
                + "state,postcode,phone,fdy_persona_set_"), lines.get(0));

        // a renamed persona keeps its name through rebuilds, and the CSVs built from it follow
        String personaId = Json.read(api("api-dataset-get.json", "/v1/persona_sets/" + personaSet, null).getBody())
                .get("personas").get(0).get("id").asText();
        APIGatewayV2HTTPEvent rename = EventLoader.loadApiGatewayHttpEvent("events/api-dataset-get.json");
        rename.setRawPath("/v1/persona_sets/" + personaSet + "/personas/" + personaId);
        rename.getRequestContext().getHttp().setMethod("PATCH");
        rename.setBody("{\"name\": \"Our VIPs\"}");
        APIGatewayV2HTTPResponse renamed = new ApiHandler(services).handleRequest(rename, null);
        assertEquals(200, renamed.getStatusCode(), renamed.getBody());
        assertTrue(started.contains(new BuildRequest(ACCOUNT, "scopes", scope)), started.toString());
        build("scopes", scope);
        build("targets", target);
        assertTrue(api("api-target-download.json", "/v1/targets/" + target + "/download.csv", null).getBody()
                .contains(",Our VIPs"));
        build("persona_sets", personaSet);
        build("scopes", scope);
        build("targets", target);
        assertEquals("Our VIPs", Json.read(api("api-dataset-get.json", "/v1/persona_sets/" + personaSet, null)
                .getBody()).get("personas").get(0).get("name").asText());
        csv = api("api-target-download.json", "/v1/targets/" + target + "/download.csv", null);

        // above the inline limit the answer is a redirect to a presigned URL of the same file
        Services small = services(new Services.Settings(10, 4L << 20, Duration.ofMinutes(5), Duration.ofSeconds(1),
                "s3://" + aws.bucket() + "/uploads/"));
        APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent("events/api-target-download.json");
        e.setRawPath("/v1/targets/" + target + "/download.csv");
        APIGatewayV2HTTPResponse redirect = new ApiHandler(small).handleRequest(e, null);
        assertEquals(302, redirect.getStatusCode());
        String location = redirect.getHeaders().get("Location");
        HttpResponse<String> viaUrl = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, viaUrl.statusCode());
        assertEquals(csv.getBody(), viaUrl.body());

        // deleting what others use: 409 naming the dependents
        APIGatewayV2HTTPEvent del = EventLoader.loadApiGatewayHttpEvent("events/api-dataset-get.json");
        del.setRawPath("/v1/cohorts/" + cohort);
        del.getRequestContext().getHttp().setMethod("DELETE");
        APIGatewayV2HTTPResponse conflict = new ApiHandler(services).handleRequest(del, null);
        assertEquals(409, conflict.getStatusCode());
        assertTrue(conflict.getBody().contains(personaSet) && conflict.getBody().contains(scope), conflict.getBody());

        // drop folder: a file put straight into the bucket is registered and the dataset rebuilds
        S3Event put = EventLoader.loadS3Event("events/s3-upload-folder-put.json");
        String key = put.getRecords().get(0).getS3().getObject().getUrlDecodedKey();
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromString(
                "customer_id,email,first_name,last_name,address,city,state,postcode,phone,order_datetime,order_total,product_category\n"
                        + "C9,new@example.com,New,Person,1 Elm St,Salem,OR,97301,503-555-0100,2025-01-02T00:00:00Z,12.50,home\n"));
        started.clear();
        String summary = new UploadFolderHandler(services).handleRequest(put, null);
        assertTrue(summary.startsWith("registered"), summary);
        assertTrue(api("api-uploads-get.json", null, null).getBody().contains("orders/orders_2.csv"));
        assertEquals(List.of(new BuildRequest(ACCOUNT, "datasets", dataset)), new ArrayList<>(started));
        assertTrue(new UploadFolderHandler(services).handleRequest(put, null).startsWith("already registered"));
        build("datasets", dataset);
        assertEquals(4, Json.read(api("api-dataset-get.json", "/v1/datasets/" + dataset, null).getBody())
                .get("identified_count").asInt());
        // ... and what was built from it follows: the cohort rebuilds, then the persona set and scope, then the target
        assertTrue(started.contains(new BuildRequest(ACCOUNT, "cohorts", cohort)), started.toString());
        build("cohorts", cohort);
        assertTrue(started.containsAll(List.of(new BuildRequest(ACCOUNT, "persona_sets", personaSet),
                new BuildRequest(ACCOUNT, "scopes", scope))), started.toString());
        build("persona_sets", personaSet);
        build("scopes", scope);
        assertTrue(started.contains(new BuildRequest(ACCOUNT, "targets", target)), started.toString());
        build("targets", target);
        assertEquals(5, api("api-target-download.json", "/v1/targets/" + target + "/download.csv", null).getBody()
                .lines().count(), "header + 4 people after the new file");
    }

    @Test
    void badRequestsAreAnsweredWithTheErrorBody() {
        APIGatewayV2HTTPResponse r = api("api-unauthorized.json", null, null);
        assertEquals(401, r.getStatusCode());
        JsonNode body = Json.read(r.getBody());
        assertEquals("MISSING_API_KEY", body.get("error").asText());
        assertTrue(body.hasNonNull("id") && body.hasNonNull("note"));

        APIGatewayV2HTTPResponse badJson = api("api-cohort-post.json", null, "{\"name\":");
        assertEquals(400, badJson.getStatusCode());
        assertEquals("BAD_REQUEST", Json.read(badJson.getBody()).get("error").asText());

        APIGatewayV2HTTPResponse invalid = api("api-dataset-post.json", null,
                "{\"name\":\"x\",\"options\":{\"type\":\"hosted_csv\"},\"identity_sets\":{}}");
        assertEquals(400, invalid.getStatusCode());
        JsonNode errors = Json.read(invalid.getBody()).get("validationErrors");
        assertTrue(errors.toString().contains("/options/upload_directory"), errors.toString());

        // API Gateway caps requests; larger files belong in the upload folder, and the 413 says where
        APIGatewayV2HTTPEvent big = EventLoader.loadApiGatewayHttpEvent("events/api-upload-post.json");
        big.setIsBase64Encoded(false);
        big.setBody("x".repeat((4 << 20) + 1));
        APIGatewayV2HTTPResponse tooLarge = new ApiHandler(services).handleRequest(big, null);
        assertEquals(413, tooLarge.getStatusCode());
        assertTrue(tooLarge.getBody().contains("s3://" + aws.bucket() + "/uploads/" + ACCOUNT + "/orders/orders.csv"),
                tooLarge.getBody());
    }

    @Test
    void markErrorRecordsTheStepsMessage() throws Exception {
        String id = createdId(api("api-cohort-post.json", null, "{\"name\":\"Doomed\",\"stream_name\":\"orders\"}"));
        @SuppressWarnings("unchecked")
        Map<String, Object> input = Json.MAPPER.readValue(Files.readString(Path.of("events/step-mark-error.json")), Map.class);
        input.put("account", ACCOUNT);
        input.put("kind", "cohorts");
        input.put("id", id);
        new MarkErrorHandler(services).handleRequest(input, null);
        JsonNode cohort = Json.read(api("api-dataset-get.json", "/v1/cohorts/" + id, null).getBody());
        assertEquals("error", cohort.get("status").asText());
        String expected = Json.read(((Map<?, ?>) input.get("error")).get("Cause").toString()).get("errorMessage").asText();
        assertEquals(expected, cohort.get("status_error").asText());
    }

    @Test
    void markErrorLeavesTheResourceInErrorEvenWhenItsOwnWorkFails() throws Exception {
        String id = createdId(api("api-cohort-post.json", null, "{\"name\":\"Doomed twice\",\"stream_name\":\"orders\"}"));
        services.resources().setStatus(ACCOUNT, personae.core.resource.ResourceType.COHORTS, id,
                personae.core.resource.Status.RUNNING, null);
        new personae.core.pipeline.Builds(services).request(ACCOUNT, personae.core.resource.ResourceType.COHORTS, id);
        // the queued rebuild cannot start (say, states:StartExecution is denied)
        Services cannotStart = new Services(aws.metadataStore(), aws.blobStore(), personae.core.port.WorkflowStarter.refusing(
                "AccessDenied: states:StartExecution"), Clock.systemUTC(), Services.Settings.lambda(aws.bucket()));
        @SuppressWarnings("unchecked")
        Map<String, Object> input = Json.MAPPER.readValue(Files.readString(Path.of("events/step-mark-error.json")), Map.class);
        input.put("account", ACCOUNT);
        input.put("kind", "cohorts");
        input.put("id", id);
        RuntimeException failed = assertThrows(RuntimeException.class,
                () -> new MarkErrorHandler(cannotStart).handleRequest(input, null),
                "the failure is still reported, so the execution records it");
        assertTrue(failed.getMessage().contains("internal error"), "reported as an internal error: " + failed.getMessage());
        JsonNode cohort = Json.read(api("api-dataset-get.json", "/v1/cohorts/" + id, null).getBody());
        assertEquals("error", cohort.get("status").asText(), "MarkError never leaves a resource new or running: " + cohort);
    }

    /** A step that fails the way the brief measured: with an SDK's text, or with a user-facing problem. */
    static final class FailingStep extends StepHandler {
        private final RuntimeException failure;

        FailingStep(Services services, RuntimeException failure) {
            super(services);
            this.failure = failure;
        }

        @Override
        protected Map<String, Object> run(personae.core.pipeline.BuildSteps steps, BuildRequest request, Map<String, Object> input) {
            throw failure;
        }
    }

    @Test
    void aStepFailingOnAnInternalErrorPutsAnActionableSentenceNotTheSdkTextIntoStatusError() {
        Map<String, Object> input = new HashMap<>(Map.of("account", ACCOUNT, "kind", "datasets", "id", "ds-1"));
        RuntimeException sdk = software.amazon.awssdk.core.exception.SdkClientException.create(
                "Unable to execute HTTP request: java.net.ConnectException: Connection refused");
        RuntimeException thrown = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> new FailingStep(services, sdk).handleRequest(input, null));
        String message = thrown.getMessage();
        assertTrue(message.startsWith("the build of dataset ds-1 stopped on an internal error (error id "), message);
        assertTrue(message.contains("rebuild it with PATCH or a new upload"), message);
        assertTrue(!message.contains("java.") && !message.contains("Unable to execute") && !message.contains("Exception"), message);
        RuntimeException npe = new NullPointerException("Cannot invoke \"String.length()\" because \"s\" is null");
        input.put("kind", "cohorts");
        message = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> new FailingStep(services, npe).handleRequest(input, null)).getMessage();
        assertTrue(message.startsWith("the build of cohort ds-1 stopped on an internal error") && !message.contains("new upload")
                && !message.contains("String.length"), message);

        personae.core.Problem problem = personae.core.Problem.invalid("input dataset 'orders' (x) failed: bad column");
        assertEquals(problem, org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> new FailingStep(services, problem).handleRequest(input, null)), "a Problem passes unchanged");
        personae.core.ingest.CsvProblem csv = new personae.core.ingest.CsvProblem("orders/o.csv", 3, "total", "row has 2 fields");
        assertEquals(csv, org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> new FailingStep(services, csv).handleRequest(input, null)), "a CsvProblem passes unchanged");
    }

    @Test
    void theLambdaApiAnswersOversizedHeadersWithTheReferenceErrorBody() throws Exception {
        APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent("events/api-upload-post.json");
        Map<String, String> headers = new HashMap<>(e.getHeaders());
        headers.put("x-junk", "j".repeat(20_000));
        e.setHeaders(headers);
        APIGatewayV2HTTPResponse r = new ApiHandler(services).handleRequest(e, null);
        assertEquals(431, r.getStatusCode(), r.getBody());
        JsonNode body = Json.read(r.getBody());
        assertEquals("BAD_REQUEST", body.path("error").asText());
        assertTrue(body.path("note").asText().length() < 200, "the header is not echoed: " + body.path("note").asText());
    }
}
