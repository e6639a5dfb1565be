package personae.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** The definition checks every state shares: unsupported fields are refused, required values typed. */
final class Checks {

    private Checks() {
    }

    static void checkFields(JsonNode node, Set<String> allowed, String where) {
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new DefinitionException(where + ": field '" + f + "' is not supported by the local runner");
            }
        });
    }

    static String requireText(JsonNode node, String field, String where) {
        JsonNode n = node.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw new DefinitionException(where + " needs a non-empty string " + field);
        }
        return n.asText();
    }

    static boolean requireBoolean(JsonNode n, String where) {
        if (!n.isBoolean()) {
            throw new DefinitionException(where + " must be a boolean");
        }
        return n.asBoolean();
    }

    static void requireArray(JsonNode n, String where) {
        if (!n.isArray()) {
            throw new DefinitionException(where + " must be an array");
        }
    }

    static double requireNonNegativeNumber(JsonNode node, String field, String where) {
        JsonNode n = node.get(field);
        if (n == null || !n.isNumber() || n.asDouble() < 0) {
            throw new DefinitionException(where + ": " + field + " must be a number >= 0");
        }
        return n.asDouble();
    }

    static double requirePositiveNumber(JsonNode node, String field, String where) {
        JsonNode n = node.get(field);
        if (n == null || !n.isNumber() || n.asDouble() <= 0) {
            throw new DefinitionException(where + ": " + field + " must be a number > 0");
        }
        return n.asDouble();
    }
}
