package personae.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Limits;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Collects every problem of a request body (not just the first), each with a JSON pointer, and throws one
 * {@code VALIDATION_FAILED} error at the end. Every string has a maximum length ({@link Limits#MAX_STRING_CHARS}
 * unless a field asks for another) and every list a maximum size, and a message quotes at most
 * {@link Limits#MAX_ECHO_CHARS} characters of what the client sent; {@link #bounds} checks a whole body's shape.
 */
public final class Validation {

    /** At most this many problems are reported for one request. */
    static final int MAX_ERRORS = 50;

    private final List<ApiError.ValidationError> errors = new ArrayList<>();

    public void fail(String path, String message, String errorType) {
        if (errors.size() >= MAX_ERRORS) return; // a body with thousands of problems gets the first ones
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
                fail(path + "/" + Limits.excerpt(f), "unknown field '" + Limits.excerpt(f) + "'; allowed here: " + String.join(", ", allowed),
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

    /** A string of at most {@link Limits#MAX_STRING_CHARS}; blank strings are rejected (names match ^(?!\s*$).+). */
    public String string(JsonNode node, String field, String path, boolean required) {
        return string(node, field, path, required, Limits.MAX_STRING_CHARS);
    }

    /** A non-blank string of at most {@code maxChars} characters. */
    public String string(JsonNode node, String field, String path, boolean required, int maxChars) {
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
        if (v.asText().length() > maxChars) {
            fail(path + "/" + field, "must be at most " + maxChars + " characters (got " + v.asText().length() + ")",
                    "maxLength");
            return null;
        }
        return v.asText();
    }

    public String enumString(JsonNode node, String field, String path, boolean required, Set<String> allowed) {
        String s = string(node, field, path, required);
        if (s != null && !allowed.contains(s)) {
            fail(path + "/" + field, "must be one of " + String.join(", ", allowed.stream().sorted().toList())
                    + " (got '" + Limits.excerpt(s) + "')", "enum");
            return null;
        }
        return s;
    }

    public String pattern(JsonNode node, String field, String path, boolean required, Pattern pattern, String what) {
        String s = string(node, field, path, required);
        if (s != null && !pattern.matcher(s).matches()) {
            fail(path + "/" + field, what + " (got '" + Limits.excerpt(s) + "')", "pattern");
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
        if (v.size() > Limits.MAX_ARRAY_ITEMS) {
            fail(path + "/" + field, "must have at most " + Limits.MAX_ARRAY_ITEMS + " items (got " + v.size() + ")",
                    "maxItems");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual() || e.asText().isBlank()) {
                fail(path + "/" + field + "/" + i, "must be a non-blank string", "type");
            } else if (e.asText().length() > Limits.MAX_STRING_CHARS) {
                fail(path + "/" + field + "/" + i, "must be at most " + Limits.MAX_STRING_CHARS + " characters (got "
                        + e.asText().length() + ")", "maxLength");
            } else {
                out.add(e.asText());
                if (each != null) each.accept(e.asText());
            }
        }
        return out;
    }

    /**
     * The shape bounds every body obeys, whatever its spec: nesting depth, string length, field name length and the
     * size of arrays and objects ({@link Limits}). Specs check the meaning afterwards.
     */
    public void bounds(JsonNode node) {
        bounds(node, "", 0);
    }

    private void bounds(JsonNode node, String path, int depth) {
        if (errors.size() >= MAX_ERRORS) return;
        if (depth > Limits.MAX_JSON_DEPTH) {
            fail(path, "is nested more than " + Limits.MAX_JSON_DEPTH + " levels deep", "maxDepth");
            return;
        }
        if (node.isTextual() && node.asText().length() > Limits.MAX_STRING_CHARS) {
            fail(path, "must be at most " + Limits.MAX_STRING_CHARS + " characters (got " + node.asText().length()
                    + ")", "maxLength");
        } else if (node.isArray()) {
            if (node.size() > Limits.MAX_ARRAY_ITEMS) {
                fail(path, "must have at most " + Limits.MAX_ARRAY_ITEMS + " items (got " + node.size() + ")", "maxItems");
                return;
            }
            for (int i = 0; i < node.size(); i++) bounds(node.get(i), path + "/" + i, depth + 1);
        } else if (node.isObject()) {
            if (node.size() > Limits.MAX_ARRAY_ITEMS) {
                fail(path, "must have at most " + Limits.MAX_ARRAY_ITEMS + " fields (got " + node.size() + ")",
                        "maxProperties");
                return;
            }
            for (var e : node.properties()) {
                String key = e.getKey();
                if (key.length() > Limits.MAX_FIELD_NAME_CHARS) {
                    fail(path + "/" + Limits.excerpt(key), "field names must be at most " + Limits.MAX_FIELD_NAME_CHARS
                            + " characters (got " + key.length() + ")", "maxLength");
                    continue;
                }
                if (key.isEmpty()) {
                    fail(path + "/", "field names must not be empty", "pattern");
                    continue;
                }
                bounds(e.getValue(), path + "/" + pointer(key), depth + 1);
            }
        }
    }

    /** A field name as a JSON pointer token (RFC 6901). */
    private static String pointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
