package personae.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 */
public final class StateMachineRunner implements AutoCloseable {

    /** Where the deployed definition sits on the local runtime's classpath (see infra/local/pom.xml). */
    public static final String DEFINITION_RESOURCE = "statemachine/personae.asl.json";
    /** Executions running at once; more are queued. */
    public static final int MAX_CONCURRENT_EXECUTIONS = 32;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Set<String> TOP_FIELDS = Set.of("Comment", "StartAt", "States", "Version", "TimeoutSeconds");
    private static final Set<String> COMPARATORS = Set.of("StringEquals", "StringEqualsPath", "NumericEquals",
            "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
            "BooleanEquals", "IsPresent", "IsNull");

    private final String startAt;
    private final Map<String, State> states;
    private final Map<String, TaskFunction> tasks;
    private final double waitScale;
    private final Long timeoutMillis;
    private final ExecutorService executor;
    private final Set<String> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile BiConsumer<String, String> transitionListener = (executionId, state) -> { };

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
        this.tasks = Map.copyOf(tasks);
        this.waitScale = waitScale;

        JsonNode root = Json.parse(definitionJson);
        if (!root.isObject()) {
            throw new DefinitionException("The definition must be a JSON object");
        }
        Set<String> missing = new LinkedHashSet<>();
        root = substitute(root, substitutions, missing);
        if (!missing.isEmpty()) {
            throw new DefinitionException("No substitution for placeholder(s) " + missing);
        }
        checkFields(root, TOP_FIELDS, "The definition");
        this.startAt = requireText(root, "StartAt", "The definition");
        JsonNode statesNode = root.get("States");
        if (statesNode == null || !statesNode.isObject() || statesNode.isEmpty()) {
            throw new DefinitionException("The definition needs a non-empty States object");
        }
        double timeoutSeconds = root.has("TimeoutSeconds") ? requirePositiveNumber(root, "TimeoutSeconds", "The definition") : 0;
        // scaled like every wait; with waitScale 0 (no waiting at all) the timeout is not enforced
        this.timeoutMillis = timeoutSeconds > 0 && waitScale > 0 ? Math.max(1, (long) (timeoutSeconds * 1000 * waitScale)) : null;

        Map<String, State> compiled = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = statesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            compiled.put(e.getKey(), compileState(e.getKey(), e.getValue()));
        }
        this.states = Map.copyOf(compiled);
        if (!states.containsKey(startAt)) {
            throw new DefinitionException("StartAt names a state that does not exist: '" + startAt + "'");
        }
        for (State s : compiled.values()) {
            for (String target : s.targets()) {
                if (!states.containsKey(target)) {
                    throw new DefinitionException("State '" + s.name() + "' transitions to a state that does not exist: '" + target + "'");
                }
            }
        }

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
        try (InputStream in = StateMachineRunner.class.getClassLoader().getResourceAsStream(classpathResource)) {
            if (in == null) {
                throw new IllegalStateException("No state machine definition on the classpath at " + classpathResource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Called on every state entered, with the execution id and the state name (for progress logs). */
    public void onTransition(BiConsumer<String, String> listener) {
        this.transitionListener = Objects.requireNonNull(listener);
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
                    return execute(id, copy);
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
        return execute(UUID.randomUUID().toString(), Json.deepCopy(input));
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

    // ------------------------------------------------------------------ execution

    private Execution execute(String id, Object input) {
        List<String> visited = new ArrayList<>();
        long deadline = timeoutMillis == null ? Long.MAX_VALUE : System.currentTimeMillis() + timeoutMillis;
        String current = startAt;
        Object data = input;
        try {
            while (true) {
                if (System.currentTimeMillis() > deadline) {
                    return new Execution(id, Execution.Status.FAILED, null, "States.Timeout",
                            "The execution exceeded its TimeoutSeconds", visited);
                }
                State state = states.get(current);
                visited.add(current);
                transitionListener.accept(id, current);
                Step step = state.run(data, deadline);
                if (step instanceof Step.Next next) {
                    data = next.output();
                    current = next.state();
                } else if (step instanceof Step.Succeed succeed) {
                    return new Execution(id, Execution.Status.SUCCEEDED, succeed.output(), null, null, visited);
                } else if (step instanceof Step.Fail fail) {
                    return new Execution(id, Execution.Status.FAILED, null, fail.error(), fail.cause(), visited);
                }
            }
        } catch (JsonPath.PathException e) {
            return new Execution(id, Execution.Status.FAILED, null, "States.Runtime",
                    "An error occurred while executing the state '" + current + "'. " + e.getMessage(), visited);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Execution(id, Execution.Status.ABORTED, null, "States.Aborted", "The local runner was closed", visited);
        }
    }

    private sealed interface Step {
        record Next(String state, Object output) implements Step { }
        record Succeed(Object output) implements Step { }
        record Fail(String error, String cause) implements Step { }
    }

    /** A compiled state: its name, the states it can go to, and what it does. */
    private record State(String name, List<String> targets, Body body) {
        Step run(Object input, long deadline) throws InterruptedException {
            return body.run(input, deadline);
        }
    }

    @FunctionalInterface
    private interface Body {
        Step run(Object input, long deadline) throws InterruptedException;
    }

    /** Next or End, as Task, Pass and Wait have. */
    private record Transition(String next) {
        Step go(Object output) {
            return next == null ? new Step.Succeed(output) : new Step.Next(next, output);
        }

        List<String> targets() {
            return next == null ? List.of() : List.of(next);
        }
    }

    /** InputPath / OutputPath: absent means $, JSON null means {}. */
    private record IoPath(JsonPath path, boolean nullPath) {
        static IoPath of(JsonNode state, String field, String where) {
            JsonNode n = state.get(field);
            if (n == null) {
                return new IoPath(JsonPath.parse("$", where), false);
            }
            if (n.isNull()) {
                return new IoPath(null, true);
            }
            if (!n.isTextual()) {
                throw new DefinitionException(where + ": " + field + " must be a string or null");
            }
            return new IoPath(JsonPath.parse(n.asText(), where + " " + field), false);
        }

        Object apply(Object document) {
            return nullPath ? new LinkedHashMap<String, Object>() : path.read(document);
        }
    }

    /** ResultPath: absent means $, JSON null means discard the result. */
    private record ResultPath(JsonPath path, boolean discard) {
        static ResultPath of(JsonNode node, String where) {
            if (node == null) {
                return new ResultPath(JsonPath.parse("$", where), false);
            }
            if (node.isNull()) {
                return new ResultPath(null, true);
            }
            if (!node.isTextual()) {
                throw new DefinitionException(where + ": ResultPath must be a string or null");
            }
            return new ResultPath(JsonPath.parse(node.asText(), where + " ResultPath"), false);
        }

        Object apply(Object input, Object result) {
            return discard ? input : path.write(input, result);
        }
    }

    /** Parameters: a JSON template; keys ending in ".$" take the value of a path in the state's input. */
    private record Parameters(JsonNode template) {
        static Parameters of(JsonNode node, String where) {
            if (node == null) {
                return null;
            }
            check(node, where + " Parameters");
            return new Parameters(node);
        }

        private static void check(JsonNode node, String where) {
            if (node.isObject()) {
                node.fields().forEachRemaining(e -> {
                    if (e.getKey().endsWith(".$")) {
                        if (!e.getValue().isTextual()) {
                            throw new DefinitionException(where + ": '" + e.getKey() + "' must be a path string");
                        }
                        String p = e.getValue().asText();
                        if (p.startsWith("States.")) {
                            throw new DefinitionException(where + ": intrinsic functions ('" + p + "') are not supported by the local runner");
                        }
                        JsonPath.parse(p, where + " '" + e.getKey() + "'");
                    } else {
                        check(e.getValue(), where + "." + e.getKey());
                    }
                });
            } else if (node.isArray()) {
                node.forEach(n -> check(n, where));
            }
        }

        Object apply(Object input) {
            return evaluate(template, input);
        }

        private static Object evaluate(JsonNode node, Object input) {
            if (node.isObject()) {
                Map<String, Object> out = new LinkedHashMap<>();
                node.fields().forEachRemaining(e -> {
                    if (e.getKey().endsWith(".$")) {
                        String key = e.getKey().substring(0, e.getKey().length() - 2);
                        out.put(key, Json.deepCopy(JsonPath.parse(e.getValue().asText(), "Parameters").read(input)));
                    } else {
                        out.put(e.getKey(), evaluate(e.getValue(), input));
                    }
                });
                return out;
            }
            if (node.isArray()) {
                List<Object> out = new ArrayList<>();
                node.forEach(n -> out.add(evaluate(n, input)));
                return out;
            }
            return Json.toValue(node);
        }
    }

    private record Retrier(List<String> errors, int maxAttempts, double intervalSeconds, double backoffRate) { }

    private record Catcher(List<String> errors, ResultPath resultPath, String next) { }

    private State compileState(String name, JsonNode node) {
        String where = "State '" + name + "'";
        if (!node.isObject()) {
            throw new DefinitionException(where + " must be a JSON object");
        }
        String type = requireText(node, "Type", where);
        return switch (type) {
            case "Task" -> compileTask(name, node, where);
            case "Choice" -> compileChoice(name, node, where);
            case "Wait" -> compileWait(name, node, where);
            case "Pass" -> compilePass(name, node, where);
            case "Succeed" -> compileSucceed(name, node, where);
            case "Fail" -> compileFail(name, node, where);
            default -> throw new DefinitionException(where + ": state type '" + type
                    + "' is not supported by the local runner (supported: Task, Choice, Wait, Pass, Succeed, Fail)");
        };
    }

    private Transition transition(JsonNode node, String where) {
        boolean end = node.has("End");
        boolean hasNext = node.has("Next");
        if (end == hasNext) {
            throw new DefinitionException(where + " needs exactly one of Next and End");
        }
        if (end) {
            if (!node.get("End").isBoolean() || !node.get("End").asBoolean()) {
                throw new DefinitionException(where + ": End must be true");
            }
            return new Transition(null);
        }
        return new Transition(requireText(node, "Next", where));
    }

    @SuppressWarnings("unchecked")
    private State compileTask(String name, JsonNode node, String where) {
        checkFields(node, Set.of("Type", "Comment", "Resource", "InputPath", "Parameters", "ResultPath", "OutputPath",
                "Retry", "Catch", "Next", "End"), where);
        String resource = requireText(node, "Resource", where);
        TaskFunction function = tasks.get(resource);
        if (function == null) {
            throw new DefinitionException(where + ": no task function registered for Resource '" + resource + "'");
        }
        IoPath inputPath = IoPath.of(node, "InputPath", where);
        Parameters parameters = Parameters.of(node.get("Parameters"), where);
        ResultPath resultPath = ResultPath.of(node.get("ResultPath"), where);
        IoPath outputPath = IoPath.of(node, "OutputPath", where);
        List<Retrier> retriers = new ArrayList<>();
        JsonNode retry = node.get("Retry");
        if (retry != null) {
            requireArray(retry, where + " Retry");
            for (int i = 0; i < retry.size(); i++) {
                JsonNode r = retry.get(i);
                String w = where + " Retry[" + i + "]";
                checkFields(r, Set.of("ErrorEquals", "MaxAttempts", "IntervalSeconds", "BackoffRate", "Comment"), w);
                List<String> errors = errorEquals(r, w, i == retry.size() - 1);
                int max = r.has("MaxAttempts") ? (int) requireNonNegativeNumber(r, "MaxAttempts", w) : 3;
                double interval = r.has("IntervalSeconds") ? requirePositiveNumber(r, "IntervalSeconds", w) : 1;
                double backoff = r.has("BackoffRate") ? requireNonNegativeNumber(r, "BackoffRate", w) : 2.0;
                if (backoff < 1) {
                    throw new DefinitionException(w + ": BackoffRate must be >= 1");
                }
                retriers.add(new Retrier(errors, max, interval, backoff));
            }
        }
        List<Catcher> catchers = new ArrayList<>();
        JsonNode catchNode = node.get("Catch");
        if (catchNode != null) {
            requireArray(catchNode, where + " Catch");
            for (int i = 0; i < catchNode.size(); i++) {
                JsonNode c = catchNode.get(i);
                String w = where + " Catch[" + i + "]";
                checkFields(c, Set.of("ErrorEquals", "ResultPath", "Next", "Comment"), w);
                catchers.add(new Catcher(errorEquals(c, w, i == catchNode.size() - 1),
                        ResultPath.of(c.get("ResultPath"), w), requireText(c, "Next", w)));
            }
        }
        Transition transition = transition(node, where);
        List<String> targets = new ArrayList<>(transition.targets());
        catchers.forEach(c -> targets.add(c.next()));

        return new State(name, targets, (input, deadline) -> {
            Object effective = inputPath.apply(input);
            if (parameters != null) {
                effective = parameters.apply(effective);
            }
            int[] attempts = new int[retriers.size()];
            while (true) {
                String error;
                String cause;
                try {
                    if (!(effective instanceof Map)) {
                        throw new JsonPath.PathException("The task input must be a JSON object, was " + Json.write(effective));
                    }
                    Map<String, Object> result = function.apply((Map<String, Object>) Json.deepCopy(effective));
                    Object output = resultPath.apply(input, Json.deepCopy(result));
                    return transition.go(outputPath.apply(output));
                } catch (JsonPath.PathException e) {
                    throw e;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    error = e.getClass().getName();
                    cause = lambdaCause(e);
                }
                int retrier = match(retriers.stream().map(Retrier::errors).toList(), error);
                if (retrier >= 0 && attempts[retrier] < retriers.get(retrier).maxAttempts()) {
                    Retrier r = retriers.get(retrier);
                    double seconds = r.intervalSeconds() * Math.pow(r.backoffRate(), attempts[retrier]);
                    attempts[retrier]++;
                    sleep(seconds, deadline);
                    continue;
                }
                int catcher = match(catchers.stream().map(Catcher::errors).toList(), error);
                if (catcher >= 0) {
                    Catcher c = catchers.get(catcher);
                    Map<String, Object> errorOutput = new LinkedHashMap<>();
                    errorOutput.put("Error", error);
                    errorOutput.put("Cause", cause);
                    return new Step.Next(c.next(), c.resultPath().apply(input, errorOutput));
                }
                return new Step.Fail(error, cause);
            }
        });
    }

    private State compileChoice(String name, JsonNode node, String where) {
        checkFields(node, Set.of("Type", "Comment", "Choices", "Default", "InputPath", "OutputPath"), where);
        JsonNode choicesNode = node.get("Choices");
        if (choicesNode == null || !choicesNode.isArray() || choicesNode.isEmpty()) {
            throw new DefinitionException(where + " needs a non-empty Choices array");
        }
        IoPath inputPath = IoPath.of(node, "InputPath", where);
        IoPath outputPath = IoPath.of(node, "OutputPath", where);
        List<Rule> rules = new ArrayList<>();
        List<String> nexts = new ArrayList<>();
        for (int i = 0; i < choicesNode.size(); i++) {
            String w = where + " Choices[" + i + "]";
            JsonNode c = choicesNode.get(i);
            rules.add(compileRule(c, w, true));
            nexts.add(requireText(c, "Next", w));
        }
        String defaultState = node.has("Default") ? requireText(node, "Default", where) : null;
        List<String> targets = new ArrayList<>(nexts);
        if (defaultState != null) {
            targets.add(defaultState);
        }
        return new State(name, targets, (input, deadline) -> {
            Object effective = inputPath.apply(input);
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).test(effective)) {
                    return new Step.Next(nexts.get(i), outputPath.apply(effective));
                }
            }
            if (defaultState != null) {
                return new Step.Next(defaultState, outputPath.apply(effective));
            }
            return new Step.Fail("States.NoChoiceMatched",
                    "No Choice Rules matched and no Default is specified in state '" + name + "'");
        });
    }

    @FunctionalInterface
    private interface Rule {
        boolean test(Object input);
    }

    private Rule compileRule(JsonNode c, String where, boolean topLevel) {
        if (!c.isObject()) {
            throw new DefinitionException(where + " must be a JSON object");
        }
        Set<String> allowed = new LinkedHashSet<>(Set.of("Variable", "And", "Or", "Not", "Comment"));
        allowed.addAll(COMPARATORS);
        if (topLevel) {
            allowed.add("Next");
        } else if (c.has("Next")) {
            throw new DefinitionException(where + ": a nested rule must not have Next");
        }
        checkFields(c, allowed, where);
        if (c.has("And") || c.has("Or")) {
            String op = c.has("And") ? "And" : "Or";
            if (c.size() != (topLevel ? 2 : 1) + (c.has("Comment") ? 1 : 0)) {
                throw new DefinitionException(where + ": " + op + " must be the rule's only operator");
            }
            JsonNode list = c.get(op);
            requireArray(list, where + " " + op);
            if (list.isEmpty()) {
                throw new DefinitionException(where + ": " + op + " needs at least one rule");
            }
            List<Rule> rules = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                rules.add(compileRule(list.get(i), where + " " + op + "[" + i + "]", false));
            }
            return op.equals("And")
                    ? input -> rules.stream().allMatch(r -> r.test(input))
                    : input -> rules.stream().anyMatch(r -> r.test(input));
        }
        if (c.has("Not")) {
            if (c.has("Variable")) {
                throw new DefinitionException(where + ": Not must be the rule's only operator");
            }
            Rule inner = compileRule(c.get("Not"), where + " Not", false);
            return input -> !inner.test(input);
        }
        JsonPath variable = JsonPath.parse(requireText(c, "Variable", where), where + " Variable");
        List<String> ops = new ArrayList<>();
        c.fieldNames().forEachRemaining(f -> {
            if (COMPARATORS.contains(f)) {
                ops.add(f);
            }
        });
        if (ops.size() != 1) {
            throw new DefinitionException(where + " needs exactly one comparison operator, found " + ops);
        }
        String op = ops.get(0);
        JsonNode operand = c.get(op);
        String w = where + " " + op;
        switch (op) {
            case "IsPresent": {
                boolean expected = requireBoolean(operand, w);
                return input -> variable.isPresent(input) == expected;
            }
            case "IsNull": {
                boolean expected = requireBoolean(operand, w);
                return input -> (variable.isPresent(input) && variable.read(input) == null) == expected;
            }
            case "StringEquals": {
                if (!operand.isTextual()) {
                    throw new DefinitionException(w + " must be a string");
                }
                String expected = operand.asText();
                return input -> variable.read(input) instanceof String s && s.equals(expected);
            }
            case "StringEqualsPath": {
                JsonPath other = JsonPath.parse(operand.isTextual() ? operand.asText() : null, w);
                return input -> variable.read(input) instanceof String s && other.read(input) instanceof String t && s.equals(t);
            }
            case "BooleanEquals": {
                boolean expected = requireBoolean(operand, w);
                return input -> variable.read(input) instanceof Boolean b && b == expected;
            }
            default: {
                if (!operand.isNumber()) {
                    throw new DefinitionException(w + " must be a number");
                }
                double expected = operand.asDouble();
                return input -> {
                    if (!(variable.read(input) instanceof Number n)) {
                        return false;
                    }
                    double v = n.doubleValue();
                    return switch (op) {
                        case "NumericEquals" -> v == expected;
                        case "NumericLessThan" -> v < expected;
                        case "NumericLessThanEquals" -> v <= expected;
                        case "NumericGreaterThan" -> v > expected;
                        default -> v >= expected;
                    };
                };
            }
        }
    }

    private State compileWait(String name, JsonNode node, String where) {
        checkFields(node, Set.of("Type", "Comment", "Seconds", "SecondsPath", "InputPath", "OutputPath", "Next", "End"), where);
        if (node.has("Seconds") == node.has("SecondsPath")) {
            throw new DefinitionException(where + " needs exactly one of Seconds and SecondsPath"
                    + " (Timestamp and TimestampPath are not supported by the local runner)");
        }
        Double seconds = node.has("Seconds") ? requireNonNegativeNumber(node, "Seconds", where) : null;
        JsonPath secondsPath = node.has("SecondsPath") ? JsonPath.parse(requireText(node, "SecondsPath", where), where + " SecondsPath") : null;
        IoPath inputPath = IoPath.of(node, "InputPath", where);
        IoPath outputPath = IoPath.of(node, "OutputPath", where);
        Transition transition = transition(node, where);
        return new State(name, transition.targets(), (input, deadline) -> {
            Object effective = inputPath.apply(input);
            double s;
            if (seconds != null) {
                s = seconds;
            } else if (secondsPath.read(effective) instanceof Number n && n.doubleValue() >= 0) {
                s = n.doubleValue();
            } else {
                throw new JsonPath.PathException("SecondsPath '" + secondsPath + "' is not a non-negative number");
            }
            sleep(s, deadline);
            return transition.go(outputPath.apply(effective));
        });
    }

    private State compilePass(String name, JsonNode node, String where) {
        checkFields(node, Set.of("Type", "Comment", "Result", "Parameters", "ResultPath", "InputPath", "OutputPath", "Next", "End"), where);
        IoPath inputPath = IoPath.of(node, "InputPath", where);
        Parameters parameters = Parameters.of(node.get("Parameters"), where);
        Object result = node.has("Result") ? Json.toValue(node.get("Result")) : null;
        boolean hasResult = node.has("Result");
        ResultPath resultPath = ResultPath.of(node.get("ResultPath"), where);
        IoPath outputPath = IoPath.of(node, "OutputPath", where);
        Transition transition = transition(node, where);
        return new State(name, transition.targets(), (input, deadline) -> {
            Object effective = inputPath.apply(input);
            if (parameters != null) {
                effective = parameters.apply(effective);
            }
            Object value = hasResult ? Json.deepCopy(result) : effective;
            return transition.go(outputPath.apply(resultPath.apply(input, value)));
        });
    }

    private State compileSucceed(String name, JsonNode node, String where) {
        checkFields(node, Set.of("Type", "Comment", "InputPath", "OutputPath"), where);
        IoPath inputPath = IoPath.of(node, "InputPath", where);
        IoPath outputPath = IoPath.of(node, "OutputPath", where);
        return new State(name, List.of(), (input, deadline) -> {
            return new Step.Succeed(outputPath.apply(inputPath.apply(input)));
        });
    }

    private State compileFail(String name, JsonNode node, String where) {
        checkFields(node, Set.of("Type", "Comment", "Error", "Cause"), where);
        String error = node.has("Error") ? requireText(node, "Error", where) : null;
        String cause = node.has("Cause") ? requireText(node, "Cause", where) : null;
        return new State(name, List.of(), (input, deadline) -> {
            return new Step.Fail(error, cause);
        });
    }

    // ------------------------------------------------------------------ helpers

    /** What a Java Lambda reports for an unhandled exception (Step Functions passes it on as the Cause). */
    static String lambdaCause(Throwable e) {
        Map<String, Object> cause = new LinkedHashMap<>();
        cause.put("errorMessage", e.getMessage());
        cause.put("errorType", e.getClass().getName());
        cause.put("stackTrace", List.of());
        return Json.write(cause);
    }

    /** Index of the first list matching the error, -1 if none. */
    private static int match(List<List<String>> lists, String error) {
        for (int i = 0; i < lists.size(); i++) {
            for (String e : lists.get(i)) {
                if (e.equals(error) || e.equals("States.ALL")
                        || (e.equals("States.TaskFailed") && !error.equals("States.Timeout"))) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static List<String> errorEquals(JsonNode node, String where, boolean last) {
        JsonNode list = node.get("ErrorEquals");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new DefinitionException(where + " needs a non-empty ErrorEquals array");
        }
        List<String> errors = new ArrayList<>();
        list.forEach(n -> {
            if (!n.isTextual()) {
                throw new DefinitionException(where + ": ErrorEquals entries must be strings");
            }
            errors.add(n.asText());
        });
        if (errors.contains("States.ALL") && (errors.size() != 1 || !last)) {
            throw new DefinitionException(where + ": States.ALL must appear alone, in the last retrier or catcher");
        }
        return List.copyOf(errors);
    }

    private void sleep(double seconds, long deadline) throws InterruptedException {
        long millis = (long) (seconds * 1000 * waitScale);
        long remaining = deadline - System.currentTimeMillis();
        if (millis > 0) {
            Thread.sleep(Math.max(0, Math.min(millis, remaining + 1)));
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private static JsonNode substitute(JsonNode node, Map<String, String> substitutions, Set<String> missing) {
        if (node.isTextual()) {
            String text = node.asText();
            Matcher m = PLACEHOLDER.matcher(text);
            StringBuilder out = new StringBuilder();
            boolean found = false;
            while (m.find()) {
                found = true;
                String value = substitutions.get(m.group(1));
                if (value == null) {
                    missing.add(m.group(1));
                    value = m.group();
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            if (!found) {
                return node;
            }
            m.appendTail(out);
            return Json.MAPPER.getNodeFactory().textNode(out.toString());
        }
        if (node.isObject()) {
            var copy = Json.MAPPER.createObjectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), substitute(e.getValue(), substitutions, missing)));
            return copy;
        }
        if (node.isArray()) {
            var copy = Json.MAPPER.createArrayNode();
            node.forEach(n -> copy.add(substitute(n, substitutions, missing)));
            return copy;
        }
        return node;
    }

    private static void checkFields(JsonNode node, Set<String> allowed, String where) {
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new DefinitionException(where + ": field '" + f + "' is not supported by the local runner");
            }
        });
    }

    private static String requireText(JsonNode node, String field, String where) {
        JsonNode n = node.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw new DefinitionException(where + " needs a non-empty string " + field);
        }
        return n.asText();
    }

    private static boolean requireBoolean(JsonNode n, String where) {
        if (!n.isBoolean()) {
            throw new DefinitionException(where + " must be a boolean");
        }
        return n.asBoolean();
    }

    private static void requireArray(JsonNode n, String where) {
        if (!n.isArray()) {
            throw new DefinitionException(where + " must be an array");
        }
    }

    private static double requireNonNegativeNumber(JsonNode node, String field, String where) {
        JsonNode n = node.get(field);
        if (n == null || !n.isNumber() || n.asDouble() < 0) {
            throw new DefinitionException(where + ": " + field + " must be a number >= 0");
        }
        return n.asDouble();
    }

    private static double requirePositiveNumber(JsonNode node, String field, String where) {
        JsonNode n = node.get(field);
        if (n == null || !n.isNumber() || n.asDouble() <= 0) {
            throw new DefinitionException(where + ": " + field + " must be a number > 0");
        }
        return n.asDouble();
    }
}
