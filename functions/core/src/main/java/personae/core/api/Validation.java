package personae.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Collects every problem of a request body (not just the first), each with a JSON pointer, and throws one
 * {@code VALIDATION_FAILED} error at the end.
 */
public final class Validation {

    private final List<ApiError.ValidationError> errors = new ArrayList<>();

    public void fail(String path, String message, String errorType) {
        errors.add(new ApiError.ValidationError(path.isEmpty() ? "/" : path, message, errorType));
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** Throws the collected errors, if any. */
    public void throwIfFailed() {
        if (!errors.isEmpty()) throw ApiError.validation(errors);
    }

    /** Reports fields of {@code node} that are not in {@code allowed}. */
    public void onlyFields(ObjectNode node, String path, Collection<String> allowed) {
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                fail(path + "/" + f, "unknown field '" + f + "'; allowed here: " + String.join(", ", allowed),
                        "additionalProperties");
            }
        });
    }

    /** A JSON object at {@code node.field}; reports and returns null when missing (if required) or not an object. */
    public ObjectNode object(JsonNode node, String field, String path, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) fail(path + "/" + field, "is required", "required");
            return null;
        }
        if (!v.isObject()) {
            fail(path + "/" + field, "must be an object", "type");
            return null;
        }
        return (ObjectNode) v;
    }

    /** A string; blank strings are rejected (names must match ^(?!\s*$).+). */
    public String string(JsonNode node, String field, String path, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) fail(path + "/" + field, "is required", "required");
            return null;
        }
        if (!v.isTextual()) {
            fail(path + "/" + field, "must be a string", "type");
            return null;
        }
        if (v.asText().isBlank()) {
            fail(path + "/" + field, "must not be blank", "pattern");
            return null;
        }
        return v.asText();
    }

    public String enumString(JsonNode node, String field, String path, boolean required, Set<String> allowed) {
        String s = string(node, field, path, required);
        if (s != null && !allowed.contains(s)) {
            fail(path + "/" + field, "must be one of " + String.join(", ", allowed.stream().sorted().toList())
                    + " (got '" + s + "')", "enum");
            return null;
        }
        return s;
    }

    public String pattern(JsonNode node, String field, String path, boolean required, Pattern pattern, String what) {
        String s = string(node, field, path, required);
        if (s != null && !pattern.matcher(s).matches()) {
            fail(path + "/" + field, what + " (got '" + s + "')", "pattern");
            return null;
        }
        return s;
    }

    public Boolean bool(JsonNode node, String field, String path, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) fail(path + "/" + field, "is required", "required");
            return null;
        }
        if (!v.isBoolean()) {
            fail(path + "/" + field, "must be true or false", "type");
            return null;
        }
        return v.asBoolean();
    }

    public Double number(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isNumber()) {
            fail(path + "/" + field, "must be a number", "type");
            return null;
        }
        return v.asDouble();
    }

    public Integer integer(JsonNode node, String field, String path, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            fail(path + "/" + field, "must be a whole number", "type");
            return null;
        }
        if (v.asInt() < min || v.asInt() > max) {
            fail(path + "/" + field, "must be between " + min + " and " + max + " (got " + v.asInt() + ")", "range");
            return null;
        }
        return v.asInt();
    }

    /** A list of strings; each element is passed to {@code each} (may be null). */
    public List<String> strings(JsonNode node, String field, String path, boolean required, Consumer<String> each) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) fail(path + "/" + field, "is required", "required");
            return null;
        }
        if (!v.isArray()) {
            fail(path + "/" + field, "must be an array of strings", "type");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual() || e.asText().isBlank()) {
                fail(path + "/" + field + "/" + i, "must be a non-blank string", "type");
            } else {
                out.add(e.asText());
                if (each != null) each.accept(e.asText());
            }
        }
        return out;
    }
}
