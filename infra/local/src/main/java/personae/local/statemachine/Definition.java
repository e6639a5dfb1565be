package personae.local.statemachine;

import static personae.local.statemachine.Checks.checkFields;
import static personae.local.statemachine.Checks.requirePositiveNumber;
import static personae.local.statemachine.Checks.requireText;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loaded and checked definition: {@code ${Name}} placeholders substituted (like DefinitionSubstitutions), every
 * field outside the supported subset refused, every state compiled and every transition pointing at a state that
 * exists. All of it happens at load, so a definition never fails mid-run for being unsupported.
 *
 * @param timeoutSeconds the top-level TimeoutSeconds, 0 when absent
 */
record Definition(String startAt, Map<String, State> states, double timeoutSeconds) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Set<String> TOP_FIELDS = Set.of("Comment", "StartAt", "States", "Version", "TimeoutSeconds");

    /** Reads a definition's text from the classpath. */
    static String read(String classpathResource) {
        try (InputStream in = Definition.class.getClassLoader().getResourceAsStream(classpathResource)) {
            if (in == null) {
                throw new IllegalStateException("No state machine definition on the classpath at " + classpathResource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses, substitutes, checks and compiles; throws {@link DefinitionException} naming what is not supported. */
    static Definition load(String definitionJson, Map<String, String> substitutions, Map<String, TaskFunction> tasks,
                           Sleeper sleeper) {
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
        String startAt = requireText(root, "StartAt", "The definition");
        JsonNode statesNode = root.get("States");
        if (statesNode == null || !statesNode.isObject() || statesNode.isEmpty()) {
            throw new DefinitionException("The definition needs a non-empty States object");
        }
        double timeoutSeconds = root.has("TimeoutSeconds") ? requirePositiveNumber(root, "TimeoutSeconds", "The definition") : 0;

        Map<String, State> compiled = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = statesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            compiled.put(e.getKey(), compileState(e.getKey(), e.getValue(), tasks, sleeper));
        }
        Map<String, State> states = Map.copyOf(compiled);
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
        return new Definition(startAt, states, timeoutSeconds);
    }

    private static State compileState(String name, JsonNode node, Map<String, TaskFunction> tasks, Sleeper sleeper) {
        String where = "State '" + name + "'";
        if (!node.isObject()) {
            throw new DefinitionException(where + " must be a JSON object");
        }
        String type = requireText(node, "Type", where);
        return switch (type) {
            case "Task" -> TaskState.compile(name, node, where, tasks, sleeper);
            case "Choice" -> ChoiceState.compile(name, node, where);
            case "Wait" -> SimpleStates.waitState(name, node, where, sleeper);
            case "Pass" -> SimpleStates.pass(name, node, where);
            case "Succeed" -> SimpleStates.succeed(name, node, where);
            case "Fail" -> SimpleStates.fail(name, node, where);
            default -> throw new DefinitionException(where + ": state type '" + type
                    + "' is not supported by the local runner (supported: Task, Choice, Wait, Pass, Succeed, Fail)");
        };
    }

    /** Replaces {@code ${Name}} in every string value; names without a substitution are collected in {@code missing}. */
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
}
