package personae.local.statemachine;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Runs an Amazon States Language definition in-process: the local stand-in for Step Functions, executing the
 * very file that {@code template.yaml} deploys ({@code statemachine/personae.asl.json} on the classpath).
 *
 * <p>It supports a deliberate subset and validates the whole definition at construction, failing loudly with a
 * {@link DefinitionException} that names what it does not support, so a definition that runs here runs the same
 * way in AWS (asl-validator and cfn-lint check the AWS side):
 * <ul>
 *   <li>Task: Resource (after {@code ${Placeholder}} substitution it must name a registered {@link TaskFunction}),
 *       InputPath, Parameters (static values and {@code "key.$": "$.path"}), ResultPath (incl. null), OutputPath,
 *       Retry (ErrorEquals, MaxAttempts, IntervalSeconds, BackoffRate), Catch (ErrorEquals, ResultPath, Next).</li>
 *   <li>Choice: Choices with Variable + StringEquals, StringEqualsPath, NumericEquals, NumericLessThan(Equals),
 *       NumericGreaterThan(Equals), BooleanEquals, IsPresent, IsNull; And, Or, Not; Default; InputPath, OutputPath.</li>
 *   <li>Wait: Seconds, SecondsPath (scaled by {@code waitScale}). Pass: Result, Parameters, ResultPath.
 *       Succeed. Fail: Error, Cause.</li>
 *   <li>Paths: {@code $} and {@code $.a.b} only. Top level: StartAt, States, Comment, Version, TimeoutSeconds.</li>
 * </ul>
 *
 * <p>Errors follow Lambda + Step Functions: a task that throws produces Error = the exception's class name and
 * Cause = {@code {"errorMessage": ..., "errorType": ..., "stackTrace": []}}; a Catch puts
 * {@code {"Error": ..., "Cause": ...}} at its ResultPath. {@code States.ALL} matches every task error,
 * {@code States.TaskFailed} every task error except {@code States.Timeout}. Runtime errors of the definition itself
 * (a path that does not resolve, no Choice matched) fail the execution with {@code States.Runtime} /
 * {@code States.NoChoiceMatched} and are never caught, as in AWS.
 *
 * <p>The parts: {@link Definition} loads and checks (substitutions, unsupported fields, transitions), with
 * {@link Checks}; the states are {@link TaskState} (with {@link RetryCatch}), {@link ChoiceState} (with
 * {@link ChoiceRule}) and {@link SimpleStates} (Wait, Pass, Succeed, Fail), moving data with {@link IoPath},
 * {@link Parameters} and {@link ResultPath}; {@link ExecutionLoop} runs an execution (timeout, listener) and
 * {@link Sleeper} does every wait. This class is the public face: it owns the thread pool.
 */
public final class StateMachineRunner implements AutoCloseable {

    /** Where the deployed definition sits on the local runtime's classpath (see infra/local/pom.xml). */
    public static final String DEFINITION_RESOURCE = "statemachine/personae.asl.json";
    /** Executions running at once; more are queued. */
    public static final int MAX_CONCURRENT_EXECUTIONS = 32;

    private final ExecutionLoop loop;
    private final ExecutorService executor;
    private final java.util.Set<String> live = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param definitionJson the ASL text, with {@code ${Name}} placeholders
     * @param substitutions  placeholder name to value (like DefinitionSubstitutions), e.g. CheckInputsFunctionArn to "local:CheckInputs"
     * @param tasks          substituted Resource string to the function that runs it
     * @param waitScale      multiplies every wait (Wait states, Retry intervals, TimeoutSeconds); 0 means no waiting
     */
    public StateMachineRunner(String definitionJson, Map<String, String> substitutions,
                              Map<String, ? extends TaskFunction> tasks, double waitScale) {
        Objects.requireNonNull(definitionJson, "definitionJson");
        Objects.requireNonNull(substitutions, "substitutions");
        Objects.requireNonNull(tasks, "tasks");
        if (!(waitScale >= 0) || Double.isInfinite(waitScale)) {
            throw new IllegalArgumentException("waitScale must be a finite number >= 0, was " + waitScale);
        }
        Definition definition = Definition.load(definitionJson, substitutions, Map.copyOf(tasks), new Sleeper(waitScale));
        this.loop = new ExecutionLoop(definition, waitScale);

        AtomicInteger threads = new AtomicInteger();
        // Executions run concurrently, as on Step Functions: one waiting for its inputs must never hold the thread the
        // build it waits for needs (a pool of 2 could deadlock until the wait gives up)
        ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_CONCURRENT_EXECUTIONS, MAX_CONCURRENT_EXECUTIONS, 30,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "personae-statemachine-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
    }

    /** Reads a definition from the classpath, e.g. {@link #DEFINITION_RESOURCE}. */
    public static String loadDefinition(String classpathResource) {
        return Definition.read(classpathResource);
    }

    /** Called on every state entered, with the execution id and the state name (for progress logs). */
    public void onTransition(BiConsumer<String, String> listener) {
        loop.onTransition(listener);
    }

    /** Starts an execution on the runner's own pool (up to {@link #MAX_CONCURRENT_EXECUTIONS} daemon threads). */
    public CompletableFuture<Execution> start(Map<String, Object> input) {
        return started(input).outcome();
    }

    /** An execution just started: its id (known at once, for {@link #isRunning}) and its outcome. */
    public record Started(String executionId, CompletableFuture<Execution> outcome) {}

    /** Starts an execution like {@link #start}, returning its id at once too. */
    public Started started(Map<String, Object> input) {
        Object copy = Json.deepCopy(input);
        String id = UUID.randomUUID().toString();
        live.add(id); // queued counts as running, as a Step Functions execution is RUNNING from StartExecution on
        try {
            return new Started(id, CompletableFuture.supplyAsync(() -> {
                try {
                    return loop.execute(id, copy);
                } finally {
                    live.remove(id);
                }
            }, executor));
        } catch (RuntimeException rejected) {
            live.remove(id);
            throw rejected;
        }
    }

    /**
     * True from {@link #started} until the execution has ended, however it ended. Ids are random UUIDs and nothing
     * is kept across a restart: after one, every earlier execution is not running, which is the truth (the process
     * that ran it is gone).
     */
    public boolean isRunning(String executionId) {
        return executionId != null && live.contains(executionId);
    }

    /** Runs an execution to its end on the calling thread. */
    public Execution run(Map<String, Object> input) {
        return loop.execute(UUID.randomUUID().toString(), Json.deepCopy(input));
    }

    /** Stops the pool; running executions are interrupted and end ABORTED. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        live.clear(); // queued executions never ran and never will
    }
}
