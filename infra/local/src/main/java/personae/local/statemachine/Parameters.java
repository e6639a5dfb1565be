package personae.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parameters: a JSON template; keys ending in ".$" take the value of a path in the state's input. */
record Parameters(JsonNode template) {

    /** Null when the state has no Parameters. */
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
