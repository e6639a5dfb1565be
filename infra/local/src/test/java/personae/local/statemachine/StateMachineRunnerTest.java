package personae.local.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The runner's supported subset, on small inline definitions. */
class StateMachineRunnerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Definitions are written with single quotes for readability. */
    private static String def(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static StateMachineRunner runner(String definition, Map<String, TaskFunction> tasks) {
        return new StateMachineRunner(def(definition), Map.of("Fn", "local:fn", "Other", "local:other"), tasks, 0.0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(String json) throws Exception {
        return JSON.readValue(def(json), Map.class);
    }

    @Test
    void taskResultPathInputPathOutputPathAndParameters() throws Exception {
        List<Map<String, Object>> seen = new ArrayList<>();
        try (var r = runner("""
                {'StartAt':'T','States':{
                  'T':{'Type':'Task','Resource':'${Fn}','InputPath':'$.in','Parameters':{'fixed':1,'id.$':'$.id','deep':{'k.$':'$.k'}},
                       'ResultPath':'$.out.result','Next':'U'},
                  'U':{'Type':'Task','Resource':'${Fn}','ResultPath':null,'OutputPath':'$.out','End':true}}}
                """, Map.of("local:fn", in -> {
                    seen.add(in);
                    return Map.of("n", seen.size());
                }))) {
            Execution e = r.run(map("{'in':{'id':'x','k':true},'keep':1}"));
            assertEquals(Execution.Status.SUCCEEDED, e.status());
            assertEquals(map("{'fixed':1,'id':'x','deep':{'k':true}}"), seen.get(0));
            // ResultPath is applied to the raw state input, creating intermediate objects
            assertEquals(map("{'in':{'id':'x','k':true},'keep':1,'out':{'result':{'n':1}}}"), seen.get(1));
            assertEquals(map("{'result':{'n':1}}"), e.output());
            assertEquals(List.of("T", "U"), e.visitedStates());
        }
    }

    @Test
    void anExecutionRunsFromItsStartUntilItEndsAndNoOtherRunnerKnowsIt() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        String definition = "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}','End':true}}}";
        try (var r = runner(definition, Map.of("local:fn", in -> {
            if (!release.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            return Map.of();
        }))) {
            StateMachineRunner.Started started = r.started(Map.of());
            assertTrue(r.isRunning(started.executionId()), "running from the moment it is started");
            release.countDown();
            assertEquals(Execution.Status.SUCCEEDED, started.outcome().get(20, TimeUnit.SECONDS).status());
            assertEquals(started.executionId(), started.outcome().get().executionId());
            assertTrue(!r.isRunning(started.executionId()), "not running once it has ended");
            try (var restarted = runner(definition, Map.of("local:fn", in -> Map.of()))) {
                StateMachineRunner.Started other = restarted.started(Map.of());
                other.outcome().get(20, TimeUnit.SECONDS);
                assertTrue(!restarted.isRunning(started.executionId()), "a new runner (a restart) knows none of the old ones");
            }
        }
    }

    @Test
    void waitingExecutionsDoNotStarveTheOneTheyWaitFor() throws Exception {
        // like cohorts waiting for a dataset: many executions block until a later one has run
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        try (var r = runner("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}','End':true}}}",
                Map.of("local:fn", in -> {
                    if (Boolean.TRUE.equals(in.get("release"))) released.countDown();
                    else if (!released.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("starved");
                    return Map.of("ok", true);
                }))) {
            List<java.util.concurrent.CompletableFuture<Execution>> waiting = new ArrayList<>();
            for (int i = 0; i < 5; i++) waiting.add(r.start(Map.of("release", false)));
            Execution releaser = r.start(Map.of("release", true)).get(20, TimeUnit.SECONDS);
            assertEquals(Execution.Status.SUCCEEDED, releaser.status());
            for (var w : waiting) assertEquals(Execution.Status.SUCCEEDED, w.get(20, TimeUnit.SECONDS).status());
        }
    }

    @Test
    void defaultResultPathReplacesTheInput() throws Exception {
        try (var r = runner("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}','End':true}}}",
                Map.of("local:fn", in -> Map.of("only", "result")))) {
            assertEquals(map("{'only':'result'}"), r.run(map("{'a':1}")).output());
        }
    }

    @Test
    void retryThenSucceed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (var r = runner("""
                {'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}',
                  'Retry':[{'ErrorEquals':['java.lang.IllegalStateException'],'MaxAttempts':2,'IntervalSeconds':1,'BackoffRate':2}],
                  'End':true}}}
                """, Map.of("local:fn", in -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IllegalStateException("flaky");
                    }
                    return Map.of("ok", true);
                }))) {
            Execution e = r.run(Map.of());
            assertEquals(Execution.Status.SUCCEEDED, e.status());
            assertEquals(3, calls.get());
        }
    }

    @Test
    void retriesExhaustedFailTheExecutionWithLambdaStyleCause() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (var r = runner("""
                {'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}',
                  'Retry':[{'ErrorEquals':['States.ALL'],'MaxAttempts':1}],'End':true}}}
                """, Map.of("local:fn", in -> {
                    calls.incrementAndGet();
                    throw new IllegalArgumentException("bad input");
                }))) {
            Execution e = r.run(Map.of());
            assertEquals(Execution.Status.FAILED, e.status());
            assertEquals(2, calls.get());
            assertEquals("java.lang.IllegalArgumentException", e.error());
            assertEquals(map("{'errorMessage':'bad input','errorType':'java.lang.IllegalArgumentException','stackTrace':[]}"),
                    JSON.readValue(e.cause(), Map.class));
        }
    }

    @Test
    void catchPutsErrorAndCauseAtResultPath() throws Exception {
        List<Map<String, Object>> handled = new ArrayList<>();
        try (var r = runner("""
                {'StartAt':'T','States':{
                  'T':{'Type':'Task','Resource':'${Fn}',
                       'Catch':[{'ErrorEquals':['java.io.IOException'],'Next':'Wrong'},
                                {'ErrorEquals':['States.TaskFailed'],'ResultPath':'$.error','Next':'H'}],'Next':'Wrong'},
                  'H':{'Type':'Task','Resource':'${Other}','ResultPath':null,'End':true},
                  'Wrong':{'Type':'Fail','Error':'Wrong'}}}
                """, Map.of(
                "local:fn", in -> {
                    throw new UnsupportedOperationException("nope");
                },
                "local:other", in -> {
                    handled.add(in);
                    return null;
                }))) {
            Execution e = r.run(map("{'id':'7'}"));
            assertEquals(Execution.Status.SUCCEEDED, e.status());
            assertEquals(List.of("T", "H"), e.visitedStates());
            Map<String, Object> got = handled.get(0);
            assertEquals("7", got.get("id"));
            @SuppressWarnings("unchecked") Map<String, Object> error = (Map<String, Object>) got.get("error");
            assertEquals("java.lang.UnsupportedOperationException", error.get("Error"));
            assertTrue(((String) error.get("Cause")).contains("\"errorMessage\":\"nope\""));
            assertEquals(got, e.output()); // H has ResultPath null: its input (with $.error) passes through
        }
    }

    @Test
    void choiceOperators() throws Exception {
        String d = """
                {'StartAt':'C','States':{
                  'C':{'Type':'Choice','Choices':[
                     {'Variable':'$.s','StringEquals':'a','Next':'A'},
                     {'Variable':'$.s','StringEqualsPath':'$.other','Next':'Path'},
                     {'And':[{'Variable':'$.n','NumericGreaterThanEquals':1},{'Variable':'$.n','NumericLessThan':10}],'Next':'Range'},
                     {'Variable':'$.n','NumericEquals':42,'Next':'Answer'},
                     {'Or':[{'Variable':'$.b','BooleanEquals':true},{'Not':{'Variable':'$.flag','IsPresent':false}}],'Next':'BoolOrFlag'},
                     {'Variable':'$.z','IsNull':true,'Next':'Null'}],
                   'Default':'D'},
                  'A':{'Type':'Succeed'},'Path':{'Type':'Succeed'},'Range':{'Type':'Succeed'},'Answer':{'Type':'Succeed'},
                  'BoolOrFlag':{'Type':'Succeed'},'Null':{'Type':'Succeed'},'D':{'Type':'Succeed'}}}
                """;
        try (var r = runner(d, Map.of())) {
            assertEquals("A", last(r.run(map("{'s':'a','other':'-','n':0,'b':false}"))));
            assertEquals("Path", last(r.run(map("{'s':'q','other':'q','n':0,'b':false}"))));
            assertEquals("Range", last(r.run(map("{'s':'q','other':'-','n':5,'b':false}"))));
            assertEquals("Answer", last(r.run(map("{'s':'q','other':'-','n':42,'b':false}"))));
            assertEquals("BoolOrFlag", last(r.run(map("{'s':'q','other':'-','n':42.5,'b':true}"))));
            assertEquals("BoolOrFlag", last(r.run(map("{'s':'q','other':'-','n':0,'b':false,'flag':1}"))));
            assertEquals("Null", last(r.run(map("{'s':'q','other':'-','n':0,'b':false,'z':null}"))));
            assertEquals("D", last(r.run(map("{'s':'q','other':'-','n':0,'b':false}"))));
        }
    }

    @Test
    void choiceWithoutMatchOrDefaultFails_andMissingVariableIsARuntimeError() throws Exception {
        try (var r = runner("""
                {'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$.s','StringEquals':'a','Next':'A'}]},
                  'A':{'Type':'Succeed'}}}
                """, Map.of())) {
            Execution e = r.run(map("{'s':'b'}"));
            assertEquals("States.NoChoiceMatched", e.error());
            Execution missing = r.run(map("{}"));
            assertEquals(Execution.Status.FAILED, missing.status());
            assertEquals("States.Runtime", missing.error());
        }
    }

    @Test
    void waitSecondsAndSecondsPathAreScaled() throws Exception {
        try (var r = new StateMachineRunner(def("""
                {'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':2,'Next':'V'},
                  'V':{'Type':'Wait','SecondsPath':'$.delay','End':true}}}
                """), Map.of(), Map.of(), 0.05)) {
            long t0 = System.nanoTime();
            Execution e = r.run(map("{'delay':2}"));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(Execution.Status.SUCCEEDED, e.status());
            assertTrue(ms >= 190 && ms < 2000, "waited " + ms + " ms");
        }
    }

    @Test
    void passResultAndFailErrorCause() throws Exception {
        try (var r = runner("""
                {'StartAt':'P','States':{'P':{'Type':'Pass','Result':{'x':1},'ResultPath':'$.p','Next':'Q'},
                  'Q':{'Type':'Pass','Parameters':{'copied.$':'$.p.x'},'ResultPath':'$.q','Next':'F'},
                  'F':{'Type':'Fail','Error':'My.Error','Cause':'because'}}}
                """, Map.of())) {
            Execution e = r.run(map("{}"));
            assertEquals(Execution.Status.FAILED, e.status());
            assertEquals("My.Error", e.error());
            assertEquals("because", e.cause());
            assertNull(e.output());
            assertEquals(List.of("P", "Q", "F"), e.visitedStates());
        }
        try (var r = runner("{'StartAt':'P','States':{'P':{'Type':'Pass','Result':{'x':1},'ResultPath':'$.p','Next':'Q'},"
                + "'Q':{'Type':'Pass','Parameters':{'copied.$':'$.p.x'},'ResultPath':'$.q','End':true}}}", Map.of())) {
            assertEquals(map("{'a':0,'p':{'x':1},'q':{'copied':1}}"), r.run(map("{'a':0}")).output());
        }
    }

    @Test
    void startRunsAsynchronouslyOnTheRunnersPool() throws Exception {
        try (var r = runner("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}','End':true}}}",
                Map.of("local:fn", in -> Map.of("thread", Thread.currentThread().getName())))) {
            Execution e = r.start(Map.of()).get(10, TimeUnit.SECONDS);
            assertTrue(((String) e.outputAsMap().get("thread")).startsWith("personae-statemachine-"));
        }
    }

    @Test
    void closeAbortsAWaitingExecution() throws Exception {
        var r = new StateMachineRunner(def("{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':60,'End':true}}}"),
                Map.of(), Map.of(), 1.0);
        var future = r.start(Map.of());
        Thread.sleep(100);
        r.close();
        assertEquals(Execution.Status.ABORTED, future.get(10, TimeUnit.SECONDS).status());
    }

    // ---------------------------------------------------------------- rejected at construction

    private static String rejected(String definition) {
        return assertThrows(DefinitionException.class, () -> runner(definition, Map.of("local:fn", in -> in))).getMessage();
    }

    @Test
    void unsupportedStateTypeIsRejected() {
        String m = rejected("{'StartAt':'M','States':{'M':{'Type':'Map','ItemProcessor':{},'End':true}}}");
        assertTrue(m.contains("'Map'") && m.contains("'M'"), m);
    }

    @Test
    void unsupportedFieldIsRejected() {
        String m = rejected("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}','TimeoutSeconds':5,'End':true}}}");
        assertTrue(m.contains("TimeoutSeconds") && m.contains("'T'"), m);
        m = rejected("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}','End':true,"
                + "'Retry':[{'ErrorEquals':['States.ALL'],'JitterStrategy':'FULL'}]}}}");
        assertTrue(m.contains("JitterStrategy"), m);
        m = rejected("{'StartAt':'W','States':{'W':{'Type':'Wait','Timestamp':'2026-01-01T00:00:00Z','End':true}}}");
        assertTrue(m.contains("Timestamp"), m);
        m = rejected("{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$.a','StringMatches':'x*','Next':'S'}]},"
                + "'S':{'Type':'Succeed'}}}");
        assertTrue(m.contains("StringMatches"), m);
    }

    @Test
    void unsupportedPathsAreRejected() {
        assertTrue(rejected("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}','InputPath':'$.a[0]','End':true}}}")
                .contains("$.a[0]"));
        assertTrue(rejected("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}','Parameters':{'x.$':'$$.Execution.Id'},'End':true}}}")
                .contains("$$.Execution.Id"));
        assertTrue(rejected("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}','Parameters':{'x.$':'States.Format(\\'{}\\', $.a)'},'End':true}}}")
                .contains("intrinsic"));
    }

    @Test
    void missingSubstitutionIsRejected() {
        var e = assertThrows(DefinitionException.class, () -> new StateMachineRunner(
                def("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${NotGiven}','End':true}}}"),
                Map.of("Fn", "local:fn"), Map.of("local:fn", in -> in), 0));
        assertTrue(e.getMessage().contains("NotGiven"), e.getMessage());
    }

    @Test
    void resourceWithoutFunctionIsRejected() {
        var e = assertThrows(DefinitionException.class, () -> new StateMachineRunner(
                def("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}','End':true}}}"),
                Map.of("Fn", "local:fn"), Map.of(), 0));
        assertTrue(e.getMessage().contains("local:fn"), e.getMessage());
    }

    @Test
    void unknownTransitionTargetsAreRejected() {
        assertTrue(rejected("{'StartAt':'Nope','States':{'S':{'Type':'Succeed'}}}").contains("Nope"));
        assertTrue(rejected("{'StartAt':'P','States':{'P':{'Type':'Pass','Next':'Gone'}}}").contains("Gone"));
        assertTrue(rejected("{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$.a','BooleanEquals':true,'Next':'S'}],"
                + "'Default':'Missing'},'S':{'Type':'Succeed'}}}").contains("Missing"));
        assertTrue(rejected("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'${Fn}','End':true,"
                + "'Catch':[{'ErrorEquals':['States.ALL'],'Next':'Handler'}]}}}").contains("Handler"));
    }

    @Test
    void nextAndEndTogetherAreRejected() {
        assertTrue(rejected("{'StartAt':'P','States':{'P':{'Type':'Pass','Next':'P','End':true}}}").contains("exactly one of Next and End"));
    }

    private static String last(Execution e) {
        return e.visitedStates().get(e.visitedStates().size() - 1);
    }
}
