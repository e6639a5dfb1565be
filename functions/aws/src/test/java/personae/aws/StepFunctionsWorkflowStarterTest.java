package personae.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import personae.core.port.WorkflowStarter.BuildRequest;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnServiceClientConfiguration;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** No Step Functions emulator runs here: the client is a recording fake. */
class StepFunctionsWorkflowStarterTest {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    static final String ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:personae-build";

    static final class RecordingSfn implements SfnClient {
        final List<StartExecutionRequest> requests = new ArrayList<>();
        final java.util.Map<String, ExecutionStatus> statuses = new java.util.HashMap<>();
        final List<String> described = new ArrayList<>();
        boolean throttled;

        @Override
        public DescribeExecutionResponse describeExecution(DescribeExecutionRequest request) {
            described.add(request.executionArn());
            if (throttled) throw (SfnException) SfnException.builder().statusCode(400).message("Rate exceeded").build();
            ExecutionStatus st = statuses.get(request.executionArn());
            if (st == null) throw ExecutionDoesNotExistException.builder().message("no such execution").build();
            return DescribeExecutionResponse.builder().executionArn(request.executionArn()).status(st).build();
        }

        @Override
        public StartExecutionResponse startExecution(StartExecutionRequest request) {
            requests.add(request);
            return StartExecutionResponse.builder().executionArn(ARN.replace("stateMachine", "execution") + ":"
                    + request.name()).build();
        }

        @Override
        public String serviceName() {
            return "states";
        }

        @Override
        public SfnServiceClientConfiguration serviceClientConfiguration() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void startsOneExecutionWithExactlyTheThreeFields() throws Exception {
        RecordingSfn sfn = new RecordingSfn();
        new StepFunctionsWorkflowStarter(sfn, ARN).startBuild(new BuildRequest("acme", "personas", "p-123"));
        assertEquals(1, sfn.requests.size());
        StartExecutionRequest r = sfn.requests.getFirst();
        assertEquals(ARN, r.stateMachineArn());
        assertEquals("{\"account\":\"acme\",\"kind\":\"personas\",\"id\":\"p-123\"}", r.input());
        assertTrue(NAME.matcher(r.name()).matches(), r.name());
        assertTrue(r.name().startsWith("personas-p-123-"), r.name());
    }

    @Test
    void theBuildIsItsExecutionArnAndRunsWhileDescribeExecutionSaysRunning() {
        RecordingSfn sfn = new RecordingSfn();
        StepFunctionsWorkflowStarter starter = new StepFunctionsWorkflowStarter(sfn, ARN);
        String arn = starter.startBuild(new BuildRequest("acme", "cohorts", "c-1"));
        assertEquals(ARN.replace("stateMachine", "execution") + ":" + sfn.requests.getFirst().name(), arn,
                "startBuild returns the ARN StartExecution gave");
        sfn.statuses.put(arn, ExecutionStatus.RUNNING);
        assertTrue(starter.isRunning(arn), "RUNNING is running");
        for (ExecutionStatus ended : List.of(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED,
                ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED)) {
            sfn.statuses.put(arn, ended);
            assertFalse(starter.isRunning(arn), ended + " is not running");
        }
        assertEquals(5, sfn.described.size(), "each answer comes from DescribeExecution");
        assertFalse(starter.isRunning(arn + "-unknown"), "an execution Step Functions does not know is not running");
        sfn.throttled = true;
        assertTrue(starter.isRunning(arn), "when Step Functions cannot answer, a build is taken as alive (never two at once)");
    }

    @Test
    void inputIsEscapedJson() throws Exception {
        String json = StepFunctionsWorkflowStarter.inputJson(new BuildRequest("a\"b", "k\\", "id\n\u00e9"));
        JsonNode n = new ObjectMapper().readTree(json);
        assertEquals(List.of("account", "kind", "id"), iterable(n.fieldNames()));
        assertEquals("a\"b", n.get("account").asText());
        assertEquals("k\\", n.get("kind").asText());
        assertEquals("id\n\u00e9", n.get("id").asText());
        assertThrows(NullPointerException.class,
                () -> StepFunctionsWorkflowStarter.inputJson(new BuildRequest("a", null, "i")));
    }

    @Test
    void executionNamesAreValidAndUniqueEvenForLongOrOddIds() {
        RecordingSfn sfn = new RecordingSfn();
        StepFunctionsWorkflowStarter starter = new StepFunctionsWorkflowStarter(sfn, ARN);
        BuildRequest odd = new BuildRequest("acme", "personas", "x".repeat(200) + " /:é😀#");
        for (int i = 0; i < 50; i++) starter.startBuild(odd);
        starter.startBuild(new BuildRequest("acme", "datasets", "weird id/ü:*?"));
        Set<String> names = new HashSet<>();
        for (StartExecutionRequest r : sfn.requests) {
            assertTrue(NAME.matcher(r.name()).matches(), "invalid execution name: " + r.name());
            names.add(r.name());
        }
        assertEquals(sfn.requests.size(), names.size(), "names are unique");
        assertEquals("datasets-weird_id_____-", sfn.requests.getLast().name().substring(0, 23));
    }

    @Test
    void nameKeepsTheWholeUniqueSuffix() {
        UUID u = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        String name = StepFunctionsWorkflowStarter.executionName(new BuildRequest("a", "k", "i".repeat(100)), u);
        assertEquals(80, name.length());
        assertTrue(name.endsWith("-123e4567e89b12d3a456426614174000"), name);
        assertEquals("k-i-123e4567e89b12d3a456426614174000",
                StepFunctionsWorkflowStarter.executionName(new BuildRequest("a", "k", "i"), u));
    }

    static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
