package personae.local.deployed;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import personae.aws.DynamoMetadataStore;
import personae.aws.S3BlobStore;
import personae.core.Services;
import personae.core.api.PersonaeApi;
import personae.core.resource.Json;
import personae.local.Tutorial;
import personae.local.statemachine.Execution;
import personae.local.statemachine.StateMachineRunner;
import personae.local.statemachine.TaskFunction;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static personae.local.Tutorial.created;

/**
 * Each AWS function as deployed: template.yaml transformed by aws-sam-translator and created in moto with IAM
 * enforcement on ({@link DeployedStack}); every Lambda handler running from the shaded jar in its own JVM with exactly
 * its function's environment and the credentials of its own role ({@link FunctionProcess}); the deployed state
 * machine definition run by {@link StateMachineRunner} with its Task ARNs dispatched to those processes; executions
 * the functions start with states:StartExecution picked up from moto, bucket notifications delivered to the function
 * they name, API requests sent through an API Gateway stand-in ({@link ApiGateway}).
 *
 * <p>{@link #PERMISSIONS} is the ONE list of what each function may call: the template must grant exactly it, the
 * scenarios must succeed with it, and every action in it must be used by the function's process during the run
 * (moto records each authorization) unless the table says why not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "toolsPresent", disabledReason = "deploy-shaped test skipped: needs python3 with moto and "
        + "aws-sam-translator (pip install cfn-lint \"moto[server]\"); see the log for what is missing")
class DeployedStackTest {

    static final Path LAMBDA_JAR = Path.of("functions/handlers/target/personae-handlers-0.1.0-SNAPSHOT-lambda.jar");
    static final String KEY = "deployed-test-key-0123456789";
    static final String ACCOUNT = "11111111-1111-1111-1111-111111111111";
    static final Duration BUILD = Duration.ofMinutes(2);

    /** Not used by the tests' data: S3BlobStore switches to multipart (and so can abort one) above 8 MiB. */
    /** A note starting so marks an action the scenarios use in some runs and not in others. */
    static final String SOMETIMES = "sometimes: ";
    static final String MULTIPART = "multipart only above 8 MiB (S3BlobStore.PART_SIZE): aborts a failed large write";

    /**
     * Every action each function may call, and for the few a run here cannot reach, why. Compared with the
     * transformed template's inline policies; the Lambda runtime's logs come from AWSLambdaBasicExecutionRole.
     */
    static final Map<String, Map<String, String>> PERMISSIONS = new TreeMap<>(Map.ofEntries(
            Map.entry("ApiFunction", actions(
                    "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem",
                    "s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject",
                    "states:StartExecution", "states:DescribeExecution")),
            Map.entry("UploadFolderFunction", actions(
                    "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem",
                    "s3:GetObject",
                    "states:StartExecution", "states:DescribeExecution=asked (pipeline/Builds) when a file lands while "
                            + "its dataset still builds; the scenarios drop files into idle datasets")),
            Map.entry("CheckInputsFunction", actions("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem")),
            Map.entry("IngestDatasetFunction", actions("dynamodb:GetItem", "dynamodb:PutItem",
                    "dynamodb:Query",
                    "s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload=" + MULTIPART,
                    "s3:DeleteObject=deletes the files of an interrupted attempt when Step Functions retries the step")),
            Map.entry("EnrichTraitsFunction", actions("dynamodb:GetItem", "dynamodb:PutItem",
                    "s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload=" + MULTIPART)),
            Map.entry("BuildCohortFunction", actions("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem",
                    "s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload=" + MULTIPART)),
            Map.entry("ClusterPersonasFunction", actions("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem",
                    "s3:GetObject", "s3:PutObject")),
            Map.entry("NamePersonasFunction", actions("dynamodb:GetItem", "dynamodb:PutItem", "s3:GetObject")),
            Map.entry("MaterializeScopeFunction", actions("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem",
                    "s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload=" + MULTIPART)),
            Map.entry("PublishTargetFunction", actions("dynamodb:GetItem", "dynamodb:PutItem",
                    "s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload=" + MULTIPART)),
            Map.entry("MarkReadyFunction", actions("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem",
                    "s3:ListBucket", "s3:DeleteObject", "events:PutEvents",
                    "states:StartExecution", "states:DescribeExecution=" + SOMETIMES + "asked (pipeline/Builds) when"
                            + " a dependent is still building as its input becomes ready: every cohort rebuilds after a"
                            + " dataset of people, so whether one still builds depends on timing")),
            Map.entry("MarkErrorFunction", actions("dynamodb:GetItem", "dynamodb:PutItem", "s3:ListBucket",
                    "events:PutEvents",
                    "s3:DeleteObject=deletes a failed build's files when a step after IngestDataset fails; a bad CSV "
                            + "(the failure a test can provoke) fails before any file is written",
                    "states:StartExecution"))));

    static final String BASIC_EXECUTION_ROLE = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

    /** action to why it may go unused (null: it must be used). */
    static Map<String, String> actions(String... entries) {
        Map<String, String> m = new TreeMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq < 0) m.put(e, null);
            else m.put(e.substring(0, eq), e.substring(eq + 1));
        }
        return m;
    }

    Path work;
    DeployedStack stack;
    final Map<String, FunctionProcess> functions = new TreeMap<>();
    ApiGateway gateway;
    StateMachineRunner runner;
    Tutorial api;
    S3Client operatorS3;
    SfnClient operatorSfn;
    Thread relay;
    volatile boolean stopping;
    final ExecutorService deliveries = Executors.newSingleThreadExecutor();
    final Set<String> seenExecutions = ConcurrentHashMap.newKeySet();
    final List<Ran> executions = new CopyOnWriteArrayList<>();
    final List<String> relayProblems = new CopyOnWriteArrayList<>();
    final Map<String, Gate> gates = new ConcurrentHashMap<>();
    long startedAt;

    /** An execution the harness ran: its moto ARN, input and outcome. */
    record Ran(String arn, Map<String, Object> input, Execution execution) {
        String resourceId() {
            return String.valueOf(input.get("id"));
        }
    }

    /** Holds one function's invocation for one resource until released (to act while a build is at that step). */
    static final class Gate {
        final CountDownLatch arrived = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
    }

    static boolean toolsPresent() {
        String missing = DeployedStack.missingTools();
        if (missing != null) System.err.println("DeployedStackTest skipped: " + missing);
        return missing == null;
    }

    @BeforeAll
    void deploy() throws Exception {
        assertTrue(Files.exists(LAMBDA_JAR), "run through the reactor (bin/test): " + LAMBDA_JAR + " is built by the package phase");
        startedAt = System.nanoTime();
        work = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-deployed-");
        stack = DeployedStack.deploy(work);

        List<Path> classpath = List.of(LAMBDA_JAR, hostClasses(work.resolve("host")), jarOf(
                com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers.class));
        for (var f : stack.functions().properties()) {
            functions.put(f.getKey(), FunctionProcess.start(f.getKey(), f.getValue(), stack.endpoint.toString(),
                    stack.region.id(), classpath, work));
        }
        gateway = new ApiGateway(functions.get("ApiFunction"));
        api = new Tutorial(gateway.baseUrl(), KEY);

        Map<String, String> substitutions = new HashMap<>();
        Map<String, TaskFunction> tasks = new HashMap<>();
        stack.deployment.get("stateMachine").get("substitutions").properties().forEach(e -> {
            String arn = e.getValue().asText();
            substitutions.put(e.getKey(), arn);
            String logical = stack.functionOf(arn);
            assertNotNull(logical, "the state machine's " + e.getKey() + " names a function of the stack: " + arn);
            tasks.put(arn, input -> invokeStep(logical, input));
        });
        runner = new StateMachineRunner(Files.readString(Path.of("infra/statemachine/personae.asl.json")),
                substitutions, tasks, 0.25);

        operatorS3 = stack.s3(stack.operatorCredentials());
        operatorSfn = stack.sfn(stack.operatorCredentials());
        relay = new Thread(this::relay, "deployed-stack-relay");
        relay.setDaemon(true);
        relay.start();

        // the operator creates the account and its key (bin/create-account does this with the AWS CLI)
        var ddb = stack.dynamoDb(stack.operatorCredentials());
        Services operator = new Services(new DynamoMetadataStore(ddb, stack.table()),
                new S3BlobStore(operatorS3, S3Presigner.builder().region(stack.region).build(), stack.bucket()),
                personae.core.port.WorkflowStarter.refusing("the operator starts no builds"), Clock.systemUTC(),
                Services.Settings.lambda(stack.bucket()));
        PersonaeApi.ensureAccount(operator, ACCOUNT, "Deployed test account", KEY);
    }

    @AfterAll
    void tearDown() {
        stopping = true;
        if (relay != null) relay.interrupt();
        deliveries.shutdownNow();
        if (runner != null) runner.close();
        if (gateway != null) gateway.close();
        functions.values().forEach(FunctionProcess::close);
        if (stack != null) stack.close();
        if (startedAt > 0) {
            System.out.printf("DeployedStackTest: %d functions, %d executions, %.1f s%n", functions.size(),
                    executions.size(), (System.nanoTime() - startedAt) / 1e9);
        }
    }

    // ---------------------------------------------------------------------------------------------- the scenarios

    @Test
    @Order(1)
    void iamIsEnforcedPerFunction() {
        try (S3Client asCheckInputs = stack.s3(stack.credentialsOf("CheckInputsFunction"))) {
            S3Exception denied = assertThrows(S3Exception.class, () -> asCheckInputs.putObject(
                    b -> b.bucket(stack.bucket()).key("deny-probe/x.txt"), RequestBody.fromString("x")),
                    "CheckInputs' role has no s3:PutObject, so moto must refuse it");
            assertEquals(403, denied.statusCode(), denied.getMessage());
        }
        try (S3Client forged = stack.s3(AwsBasicCredentials.create(
                stack.deployment.get("operator").get("accessKeyId").asText(), "not-the-secret"))) {
            S3Exception e = assertThrows(S3Exception.class, () -> forged.listObjectsV2(b -> b.bucket(stack.bucket())),
                    "a request signed with the wrong secret must be refused");
            assertEquals(403, e.statusCode());
        }
        assertTrue(stack.calls().stream().anyMatch(c -> !c.allowed() && c.action().equals("s3:PutObject")
                && c.resource().endsWith("deny-probe/x.txt")), "moto recorded the refused call");
    }

    @Test
    @Order(2)
    void theTemplateGrantsEachFunctionExactlyItsTableRow() {
        assertEquals(PERMISSIONS.keySet(), functions.keySet(), "one row per function of template.yaml");
        for (var f : stack.functions().properties()) {
            String name = f.getKey();
            Set<String> granted = new TreeSet<>();
            for (JsonNode policy : f.getValue().get("policies")) {
                for (JsonNode st : statements(policy.get("PolicyDocument"))) {
                    assertEquals("Allow", st.get("Effect").asText(), name);
                    for (JsonNode r : array(st.get("Resource"))) {
                        assertFalse(r.asText().equals("*") || r.asText().endsWith(":*:*"),
                                name + " grants on a wildcard resource: " + st);
                    }
                    array(st.get("Action")).forEach(a -> granted.add(a.asText()));
                }
            }
            assertEquals(PERMISSIONS.get(name).keySet(), granted, name + ": the template grants exactly the table's actions");
            assertEquals(List.of(BASIC_EXECUTION_ROLE), strings(f.getValue().get("managedPolicyArns")),
                    name + ": the only managed policy is the runtime's logging");
            boolean startsBuilds = granted.contains("states:StartExecution");
            assertEquals(startsBuilds, f.getValue().get("environment").has("PERSONAE_STATE_MACHINE_ARN"),
                    name + ": a function that may start builds names the state machine, and only such a one");
            if (startsBuilds) {
                assertEquals(stack.stateMachineArn(), f.getValue().get("environment").get("PERSONAE_STATE_MACHINE_ARN").asText(), name);
            }
            assertEquals(stack.bucket(), f.getValue().get("environment").path("PERSONAE_BUCKET").asText(), name);
            assertEquals(stack.table(), f.getValue().get("environment").path("PERSONAE_TABLE").asText(), name);
        }
        JsonNode notifications = stack.deployment.get("bucketNotifications");
        assertEquals(1, notifications.size(), notifications.toString());
        for (JsonNode n : notifications) {
            assertTrue(permitted(n.get("functionArn").asText(), true),
                    "S3 may invoke " + n.get("functionArn").asText() + " only for this bucket and account (SourceArn "
                            + "and SourceAccount): " + stack.deployment.get("permissions"));
        }
    }

    @Test
    @Order(3)
    void theTutorialRunsOnTheDeployedFunctions() throws Exception {
        var checked = personae.local.TutorialEndToEndTest.runTutorialAndCheck(api, () -> {
            putUpload("orders", "orders.csv", bytes(personae.local.TutorialEndToEndTest.SAMPLE));
            awaitRegistered("orders/orders.csv");
        });
        assertEquals(200, checked.csv().status());
    }

    @Test
    @Order(4)
    void aFailedIngestionEndsInErrorNotRunning() {
        putUpload("broken", "ragged.csv", "email,first,total\na@x.com,Ann,10\nb@x.com,Bob\nc@x.com,Cy,5\n"
                .getBytes(StandardCharsets.UTF_8));
        awaitRegistered("broken/ragged.csv");
        String id = created(api.postJson("/datasets", """
                {"name": "broken", "options": {"type": "hosted_csv", "upload_directory": "broken"},
                 "identity_sets": {"main": {"email": "email"}}}"""));
        JsonNode failed = api.awaitBuilt("/datasets/" + id, BUILD, new ArrayList<>());
        assertEquals("error", failed.get("status").asText(), "a failed ingestion must end in error: " + failed);
        assertTrue(failed.get("status_error").asText().contains("line 3"), failed.toString());
        assertTrue(listKeys("datasets/" + ACCOUNT + "/" + id + "/").isEmpty(), "the failed build's files are deleted");

        // and the API deletes what the user asks it to
        assertEquals(204, api.send("DELETE", "/datasets/" + id, null, null).status());
        assertEquals(204, api.send("DELETE", "/uploads/broken/ragged.csv", null, null).status());
        assertTrue(listKeys("uploads/" + ACCOUNT + "/broken/").isEmpty());
    }

    @Test
    @Order(5)
    void aRebuildQueuedDuringAFailingBuildRunsAfterIt() {
        putUpload("flaky", "bad.csv", "email,total\na@x.com,1\nb@x.com\n".getBytes(StandardCharsets.UTF_8));
        putUpload("fixed", "good.csv", "email,total\na@x.com,1\nb@x.com,2\n".getBytes(StandardCharsets.UTF_8));
        awaitRegistered("flaky/bad.csv");
        awaitRegistered("fixed/good.csv");
        Gate gate = new Gate();
        gates.put("MarkErrorFunction", gate);
        String id = created(api.postJson("/datasets", """
                {"name": "flaky", "options": {"type": "hosted_csv", "upload_directory": "flaky"},
                 "identity_sets": {"main": {"email": "email"}}}"""));
        await(gate.arrived, "the first build reached MarkError");
        assertEquals("running", api.get("/datasets/" + id).json().get("status").asText());
        var patched = api.send("PATCH", "/datasets/" + id, "application/json", java.net.http.HttpRequest.BodyPublishers
                .ofString("{\"options\": {\"type\": \"hosted_csv\", \"upload_directory\": \"fixed\"}}"));
        assertEquals(200, patched.status(), patched.body());
        gates.remove("MarkErrorFunction");
        gate.released.countDown();

        awaitExecutions(id, 2); // the first failed, MarkError started the queued rebuild
        JsonNode doc = awaitStatus("/datasets/" + id, "ready");
        assertEquals(2, doc.get("row_count").asLong(), "the rebuild read the patched directory: " + doc);
        assertEquals(List.of(false, true), executionsOf(id).stream().map(r -> r.execution().succeeded()).toList(),
                "the failed build, then the queued rebuild that MarkError started: " + executionsOf(id));
    }

    @Test
    @Order(6)
    void aRebuildQueuedDuringASuccessfulBuildRunsAfterIt() {
        putUpload("steady", "one.csv", "email,total\na@x.com,1\n".getBytes(StandardCharsets.UTF_8));
        putUpload("steady2", "two.csv", "email,total\na@x.com,1\nb@x.com,2\nc@x.com,3\n".getBytes(StandardCharsets.UTF_8));
        awaitRegistered("steady/one.csv");
        awaitRegistered("steady2/two.csv");
        Gate gate = new Gate();
        gates.put("MarkReadyFunction", gate);
        String id = created(api.postJson("/datasets", """
                {"name": "steady", "options": {"type": "hosted_csv", "upload_directory": "steady"},
                 "identity_sets": {"main": {"email": "email"}}}"""));
        await(gate.arrived, "the first build reached MarkReady");
        var patched = api.send("PATCH", "/datasets/" + id, "application/json", java.net.http.HttpRequest.BodyPublishers
                .ofString("{\"options\": {\"type\": \"hosted_csv\", \"upload_directory\": \"steady2\"}}"));
        assertEquals(200, patched.status(), patched.body());
        gates.remove("MarkReadyFunction");
        gate.released.countDown();

        awaitExecutions(id, 2);
        JsonNode doc = awaitStatus("/datasets/" + id, "ready");
        assertEquals(3, doc.get("row_count").asLong(), "the rebuild read the patched directory: " + doc);
        assertEquals(List.of(true, true), executionsOf(id).stream().map(r -> r.execution().succeeded()).toList(),
                "the first build, then the queued rebuild that MarkReady started: " + executionsOf(id));
    }

    @Test
    @Order(7)
    void aThirdBuildOfADatasetPrunesTheOldestBuildFolder() {
        assertEquals(200, api.send("POST", "/uploads/thrice/one.csv", "application/octet-stream",
                java.net.http.HttpRequest.BodyPublishers.ofString("email,total\na@x.com,1\n")).status());
        String id = created(api.postJson("/datasets", """
                {"name": "thrice", "options": {"type": "hosted_csv", "upload_directory": "thrice"},
                 "identity_sets": {"main": {"email": "email"}}}"""));
        awaitStatus("/datasets/" + id, "ready");
        awaitExecutions(id, 1);
        // the second file through the API, the third through the drop folder (UploadFolder starts that rebuild)
        int before = executionsOf(id).size();
        var up = api.send("POST", "/uploads/thrice/two.csv", "application/octet-stream",
                java.net.http.HttpRequest.BodyPublishers.ofString("email,total\nb@x.com,2\n"));
        assertEquals(200, up.status(), up.body());
        awaitExecutions(id, before + 1);
        awaitStatus("/datasets/" + id, "ready");
        putUpload("thrice", "three.csv", "email,total\nc@x.com,3\n".getBytes(StandardCharsets.UTF_8));
        awaitExecutions(id, before + 2);
        awaitStatus("/datasets/" + id, "ready");
        JsonNode doc = api.get("/datasets/" + id).json();
        assertEquals("ready", doc.get("status").asText(), doc.toString());
        assertEquals(3, doc.get("row_count").asLong(), doc.toString());
        Set<String> folders = listKeys("datasets/" + ACCOUNT + "/" + id + "/builds/").stream()
                .map(k -> k.split("/")[4]).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(2, folders.size(), "the current build and the one before it stay, the first is pruned: " + folders);
        assertTrue(executionsOf(id).stream().allMatch(r -> r.execution().succeeded()), executionsOf(id).toString());
    }

    @Test
    @Order(99)
    void everyFunctionUsedExactlyWhatItIsGranted() {
        assertTrue(relayProblems.isEmpty(), "the harness delivered everything: " + relayProblems);
        Map<String, String> functionOfKey = new HashMap<>();
        stack.functions().properties().forEach(f -> functionOfKey.put(
                f.getValue().get("credentials").get("accessKeyId").asText(), f.getKey()));
        Map<String, Set<String>> used = new TreeMap<>();
        List<String> denied = new ArrayList<>();
        for (DeployedStack.Call c : stack.calls()) {
            String f = functionOfKey.get(c.accessKeyId());
            if (f == null || c.resource().contains("deny-probe")) continue;
            if (!c.allowed()) denied.add(f + " " + c.action() + " " + c.resource());
            else used.computeIfAbsent(f, k -> new TreeSet<>()).add(c.action());
        }
        assertEquals(List.of(), denied, "no function was refused anything during the scenarios");
        Map<String, String> unused = new TreeMap<>();
        PERMISSIONS.forEach((f, granted) -> granted.forEach((action, why) -> {
            boolean wasUsed = used.getOrDefault(f, Set.of()).contains(action);
            if (why == null && !wasUsed) unused.put(f + " " + action, "granted but never called");
            if (why != null && why.startsWith(SOMETIMES)) return; // used or not, by the timing of the run
            if (why != null && wasUsed) unused.put(f + " " + action, "is used: drop the table's note '" + why + "'");
        }));
        assertEquals(Map.of(), unused, "every granted action is used (used: " + used + ")");
        System.out.println("DeployedStackTest: actions used per function " + used);
    }

    // ---------------------------------------------------------------------------------------------- the harness

    private Map<String, Object> invokeStep(String function, Map<String, Object> input) {
        Gate gate = gates.get(function);
        if (gate != null) {
            gate.arrived.countDown();
            await(gate.released, function + " released");
        }
        return Json.MAPPER.convertValue(Json.read(functions.get(function).invoke(Json.write(input))), Map.class);
    }

    /** Delivers bucket notifications and runs the executions functions started, until the test ends. */
    private void relay() {
        while (!stopping) {
            try {
                for (JsonNode n : stack.takeNotifications()) {
                    String arn = n.get("functionArn").asText();
                    String logical = stack.functionOf(arn);
                    if (logical == null || !permitted(arn, false)) {
                        relayProblems.add("S3 may not invoke " + arn);
                        continue;
                    }
                    String event = Json.write(n.get("event"));
                    deliveries.submit(() -> {
                        try {
                            functions.get(logical).invoke(event);
                        } catch (RuntimeException e) {
                            relayProblems.add(logical + " failed on " + event + ": " + e.getMessage());
                        }
                    });
                }
                for (var e : operatorSfn.listExecutionsPaginator(b -> b.stateMachineArn(stack.stateMachineArn())
                        .statusFilter(ExecutionStatus.RUNNING)).executions()) {
                    if (!seenExecutions.add(e.executionArn())) continue;
                    String input = operatorSfn.describeExecution(b -> b.executionArn(e.executionArn())).input();
                    @SuppressWarnings("unchecked")
                    Map<String, Object> in = Json.MAPPER.readValue(input, Map.class);
                    runner.start(in).whenComplete((ex, failure) -> {
                        executions.add(new Ran(e.executionArn(), in, ex));
                        stack.finishExecution(e.executionArn(), ex == null ? "FAILED" : ex.status().name());
                    });
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!stopping) relayProblems.add("relay: " + e);
            }
        }
    }

    /** Whether a Lambda permission lets S3 invoke this function (strict: it must name the bucket and the account). */
    private boolean permitted(String functionArn, boolean strict) {
        String name = functionArn.substring(functionArn.lastIndexOf(':') + 1);
        for (JsonNode p : stack.deployment.get("permissions")) {
            String fn = p.path("functionName").asText();
            if (!(fn.equals(name) || fn.equals(functionArn)) || !p.path("principal").asText().equals("s3.amazonaws.com")
                    || !p.path("action").asText().equals("lambda:InvokeFunction")) continue;
            boolean arnOk = p.path("sourceArn").isNull() ? !strict : p.path("sourceArn").asText().equals(stack.deployment.get("bucketArn").asText());
            boolean accountOk = p.path("sourceAccount").isNull() ? !strict : p.path("sourceAccount").asText().equals(stack.deployment.get("account").asText());
            if (arnOk && accountOk) return true;
        }
        return false;
    }

    private void putUpload(String directory, String file, byte[] content) {
        operatorS3.putObject(b -> b.bucket(stack.bucket()).key("uploads/" + ACCOUNT + "/" + directory + "/" + file),
                RequestBody.fromBytes(content));
    }

    private void awaitRegistered(String subpath) {
        long deadline = System.nanoTime() + BUILD.toNanos();
        while (!api.get("/uploads").body().contains(subpath)) {
            assertTrue(System.nanoTime() < deadline, "the bucket notification registered " + subpath + ": " + relayProblems);
            sleep(100);
        }
    }

    private JsonNode awaitStatus(String path, String status) {
        long deadline = System.nanoTime() + BUILD.toNanos();
        while (true) {
            JsonNode doc = api.get(path).json();
            if (doc.path("status").asText().equals(status)) return doc;
            assertTrue(System.nanoTime() < deadline, path + " never became " + status + ": " + doc + " " + relayProblems);
            sleep(100);
        }
    }

    private void awaitExecutions(String id, int finished) {
        long deadline = System.nanoTime() + BUILD.toNanos();
        while (executionsOf(id).size() < finished) {
            assertTrue(System.nanoTime() < deadline, id + ": " + finished + " executions finished: " + executionsOf(id));
            sleep(100);
        }
    }

    private List<Ran> executionsOf(String id) {
        return executions.stream().filter(r -> r.resourceId().equals(id)).toList();
    }

    private List<String> listKeys(String prefix) {
        return operatorS3.listObjectsV2Paginator(b -> b.bucket(stack.bucket()).prefix(prefix)).contents().stream()
                .map(o -> o.key()).toList();
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            assertTrue(latch.await(BUILD.toSeconds(), TimeUnit.SECONDS), what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> statements(JsonNode document) {
        List<JsonNode> out = new ArrayList<>();
        array(document.get("Statement")).forEach(out::add);
        return out;
    }

    private static List<JsonNode> array(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n == null) return out;
        if (n.isArray()) n.forEach(out::add);
        else out.add(n);
        return out;
    }

    private static List<String> strings(JsonNode n) {
        return array(n).stream().map(JsonNode::asText).toList();
    }

    /** The host's classes, copied out of the test classes into a folder of their own (not the Lambda jar's). */
    private static Path hostClasses(Path dir) throws IOException {
        String pkg = "personae/local/deployed/host/";
        Path target = Files.createDirectories(dir.resolve(pkg));
        Path source = Path.of(jarOf(personae.local.deployed.host.FunctionHost.class).toString(), pkg);
        try (var files = Files.list(source)) {
            for (Path p : files.toList()) {
                Files.copy(p, target.resolve(p.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
