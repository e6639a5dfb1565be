package personae.local.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The REAL definition (statemachine/personae.asl.json, the file template.yaml deploys) with fake steps. */
class PersonaeDefinitionTest {

    static final List<String> STEPS = List.copyOf(personae.handlers.step.Steps.all().keySet());

    /** Records every step call and answers with the per-step behaviour given (default: returns {}). */
    static final class FakeSteps {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Map<String, List<Map<String, Object>>> inputs = new ConcurrentHashMap<>();
        final Map<String, TaskFunction> behaviour = new ConcurrentHashMap<>();

        Map<String, TaskFunction> functions() {
            Map<String, TaskFunction> fns = new LinkedHashMap<>();
            for (String step : STEPS) {
                fns.put("local:" + step, in -> {
                    calls.add(step);
                    inputs.computeIfAbsent(step, k -> new CopyOnWriteArrayList<>()).add(in);
                    TaskFunction b = behaviour.get(step);
                    return b == null ? Map.of() : b.apply(in);
                });
            }
            return fns;
        }

        StateMachineRunner runner(double waitScale) {
            Map<String, String> substitutions = new LinkedHashMap<>();
            STEPS.forEach(s -> substitutions.put(s + "FunctionArn", "local:" + s));
            return new StateMachineRunner(StateMachineRunner.loadDefinition(StateMachineRunner.DEFINITION_RESOURCE),
                    substitutions, functions(), waitScale);
        }
    }

    private static Map<String, Object> input(String kind) {
        return Map.of("account", "acct-1", "kind", kind, "id", "00000000-0000-0000-0000-000000000001");
    }

    private static TaskFunction inputs(String state) {
        return in -> Map.of("state", state, "message", "inputs are " + state, "attempts", 1);
    }

    @Test
    void datasetBuildPath() {
        FakeSteps fake = new FakeSteps();
        fake.behaviour.put("CheckInputs", inputs("ready"));
        fake.behaviour.put("IngestDataset", in -> Map.of("ignored", "because ResultPath is null"));
        try (var runner = fake.runner(0)) {
            Execution e = runner.run(input("datasets"));
            assertEquals(Execution.Status.SUCCEEDED, e.status(), e.toString());
            assertEquals(List.of("CheckInputs", "RouteOnInputs", "RouteByKind", "IngestDataset", "EnrichTraits", "MarkReady", "Built"),
                    e.visitedStates());
            assertEquals(List.of("CheckInputs", "IngestDataset", "EnrichTraits", "MarkReady"), fake.calls);
            // build steps see the execution input plus $.inputs; their results do not replace the state
            Map<String, Object> enrichInput = fake.inputs.get("EnrichTraits").get(0);
            assertEquals("datasets", enrichInput.get("kind"));
            assertEquals("acct-1", enrichInput.get("account"));
            assertEquals("ready", ((Map<?, ?>) enrichInput.get("inputs")).get("state"));
            assertTrue(!enrichInput.containsKey("ignored"));
        }
    }

    @Test
    void everyKindRoutesToItsSteps() {
        Map<String, List<String>> expected = Map.of(
                "datasets", List.of("IngestDataset", "EnrichTraits"),
                "cohorts", List.of("BuildCohort"),
                "persona_sets", List.of("ClusterPersonas", "NamePersonas"),
                "scopes", List.of("MaterializeScope"),
                "targets", List.of("PublishTarget"));
        expected.forEach((kind, steps) -> {
            FakeSteps fake = new FakeSteps();
            fake.behaviour.put("CheckInputs", inputs("ready"));
            try (var runner = fake.runner(0)) {
                Execution e = runner.run(input(kind));
                assertEquals(Execution.Status.SUCCEEDED, e.status(), kind);
                List<String> calls = new ArrayList<>();
                calls.add("CheckInputs");
                calls.addAll(steps);
                calls.add("MarkReady");
                assertEquals(calls, fake.calls, kind);
            }
        });
    }

    @Test
    void unknownKindFails() {
        FakeSteps fake = new FakeSteps();
        fake.behaviour.put("CheckInputs", inputs("ready"));
        try (var runner = fake.runner(0)) {
            Execution e = runner.run(input("widgets"));
            assertEquals(Execution.Status.FAILED, e.status());
            assertEquals("Personae.UnknownKind", e.error());
        }
    }

    @Test
    void waitsWhileInputsAreNotReady() {
        FakeSteps fake = new FakeSteps();
        AtomicInteger checks = new AtomicInteger();
        fake.behaviour.put("CheckInputs", in -> {
            int n = checks.incrementAndGet();
            return Map.of("state", n <= 2 ? "waiting" : "ready", "message", "check " + n, "attempts", n);
        });
        try (var runner = fake.runner(0.01)) { // Seconds: 2 becomes 20 ms
            long t0 = System.currentTimeMillis();
            Execution e = runner.run(input("cohorts"));
            assertEquals(Execution.Status.SUCCEEDED, e.status());
            assertEquals(List.of("CheckInputs", "RouteOnInputs", "WaitForInputs", "CheckInputs", "RouteOnInputs", "WaitForInputs",
                    "CheckInputs", "RouteOnInputs", "RouteByKind", "BuildCohort", "MarkReady", "Built"), e.visitedStates());
            assertEquals(3, checks.get());
            assertTrue(System.currentTimeMillis() - t0 >= 40);
        }
    }

    @Test
    void failureInABuildStepGoesToMarkErrorWithTheMessage() throws Exception {
        FakeSteps fake = new FakeSteps();
        fake.behaviour.put("CheckInputs", inputs("ready"));
        fake.behaviour.put("ClusterPersonas", in -> {
            throw new IllegalStateException("cohort has 3 members, too few for 5 personas");
        });
        try (var runner = fake.runner(0)) {
            Execution e = runner.run(input("persona_sets"));
            assertEquals(Execution.Status.FAILED, e.status());
            assertEquals("Personae.BuildFailed", e.error());
            assertEquals(List.of("CheckInputs", "ClusterPersonas", "MarkError"), fake.calls);
            Map<String, Object> markErrorInput = fake.inputs.get("MarkError").get(0);
            Map<?, ?> error = (Map<?, ?>) markErrorInput.get("error");
            assertEquals("java.lang.IllegalStateException", error.get("Error"));
            Map<?, ?> cause = new ObjectMapper().readValue((String) error.get("Cause"), Map.class);
            assertEquals("cohort has 3 members, too few for 5 personas", cause.get("errorMessage"));
            assertEquals("persona_sets", markErrorInput.get("kind"));
        }
    }

    @Test
    void failedInputsGoToMarkErrorWithTheInputsMessage() {
        FakeSteps fake = new FakeSteps();
        fake.behaviour.put("CheckInputs", in -> Map.of("state", "failed", "message", "cohort 42 errored", "attempts", 1));
        try (var runner = fake.runner(0)) {
            Execution e = runner.run(input("persona_sets"));
            assertEquals(Execution.Status.FAILED, e.status());
            assertEquals(List.of("CheckInputs", "MarkError"), fake.calls);
            assertEquals("cohort 42 errored", ((Map<?, ?>) fake.inputs.get("MarkError").get(0).get("inputs")).get("message"));
        }
    }

    @Test
    void goneSucceedsWithoutBuilding() {
        FakeSteps fake = new FakeSteps();
        fake.behaviour.put("CheckInputs", inputs("gone"));
        try (var runner = fake.runner(0)) {
            Execution e = runner.run(input("scopes"));
            assertEquals(Execution.Status.SUCCEEDED, e.status());
            assertEquals(List.of("CheckInputs", "RouteOnInputs", "Gone"), e.visitedStates());
            assertEquals(List.of("CheckInputs"), fake.calls);
        }
    }

    @Test
    void checkInputsThatThrowsIsCaughtToo() {
        FakeSteps fake = new FakeSteps();
        fake.behaviour.put("CheckInputs", in -> {
            throw new RuntimeException("table unavailable");
        });
        try (var runner = fake.runner(0)) {
            Execution e = runner.run(input("targets"));
            assertEquals(Execution.Status.FAILED, e.status());
            assertEquals(List.of("CheckInputs", "MarkError"), fake.calls);
        }
    }

    @Test
    void aFailingMarkErrorIsRetriedThenEndsTheExecutionInMarkErrorFailed() {
        FakeSteps fake = new FakeSteps();
        fake.behaviour.put("CheckInputs", inputs("ready"));
        fake.behaviour.put("IngestDataset", in -> {
            throw new IllegalStateException("line 3: 2 fields, expected 3");
        });
        AtomicInteger markErrors = new AtomicInteger();
        fake.behaviour.put("MarkError", in -> {
            markErrors.incrementAndGet();
            throw new IllegalStateException("Access Denied (s3:ListBucket)");
        });
        try (var runner = fake.runner(0)) {
            Execution e = runner.run(input("datasets"));
            assertEquals(Execution.Status.FAILED, e.status(), "MarkError failing must still end the execution");
            assertEquals("Personae.MarkErrorFailed", e.error(), "a failed MarkError is caught, not an uncaught task error");
            assertEquals(3, markErrors.get(), "MarkError is retried twice on any error before giving up");
        }
    }

    @Test
    void aMarkErrorThatFailsOnceIsRetriedAndTheBuildFailsAsUsual() {
        FakeSteps fake = new FakeSteps();
        fake.behaviour.put("CheckInputs", inputs("failed"));
        AtomicInteger markErrors = new AtomicInteger();
        fake.behaviour.put("MarkError", in -> {
            if (markErrors.incrementAndGet() == 1) throw new RuntimeException("conditional write conflict");
            return Map.of();
        });
        try (var runner = fake.runner(0)) {
            Execution e = runner.run(input("cohorts"));
            assertEquals("Personae.BuildFailed", e.error(), "the retried MarkError succeeded");
            assertEquals(2, markErrors.get());
        }
    }
}
