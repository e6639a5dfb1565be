package personae.local.statemachine;

import static personae.local.statemachine.Checks.checkFields;
import static personae.local.statemachine.Checks.requireArray;
import static personae.local.statemachine.Checks.requireBoolean;
import static personae.local.statemachine.Checks.requireText;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One Choice rule: Variable with exactly one comparison operator, or And / Or / Not of nested rules (which have no
 * Next). A comparison with a value of another type is false; a Variable that does not resolve is a
 * {@code States.Runtime} error (except for IsPresent and IsNull).
 */
@FunctionalInterface
interface ChoiceRule {

    Set<String> COMPARATORS = Set.of("StringEquals", "StringEqualsPath", "NumericEquals",
            "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
            "BooleanEquals", "IsPresent", "IsNull");

    boolean test(Object input);

    static ChoiceRule compile(JsonNode c, String where, boolean topLevel) {
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
            List<ChoiceRule> rules = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                rules.add(compile(list.get(i), where + " " + op + "[" + i + "]", false));
            }
            return op.equals("And")
                    ? input -> rules.stream().allMatch(r -> r.test(input))
                    : input -> rules.stream().anyMatch(r -> r.test(input));
        }
        if (c.has("Not")) {
            if (c.has("Variable")) {
                throw new DefinitionException(where + ": Not must be the rule's only operator");
            }
            ChoiceRule inner = compile(c.get("Not"), where + " Not", false);
            return input -> !inner.test(input);
        }
        return comparison(c, where);
    }

    private static ChoiceRule comparison(JsonNode c, String where) {
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
}
