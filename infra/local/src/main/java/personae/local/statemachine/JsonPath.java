package personae.local.statemachine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JSONPath subset the runner supports: {@code $} and simple dotted paths {@code $.a.b}. Anything else
 * (brackets, wildcards, filters, the context object {@code $$}, intrinsic functions) is rejected when the
 * definition is loaded.
 */
final class JsonPath {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    /** Thrown at run time when a path does not resolve (Step Functions: States.Runtime). */
    static final class PathException extends RuntimeException {
        PathException(String message) {
            super(message);
        }
    }

    private final String text;
    private final List<String> segments;

    private JsonPath(String text, List<String> segments) {
        this.text = text;
        this.segments = segments;
    }

    static JsonPath parse(String text, String where) {
        if (text == null) {
            throw new DefinitionException(where + ": a path must be a string");
        }
        if (text.startsWith("$$")) {
            throw new DefinitionException(where + ": context object paths ('" + text + "') are not supported by the local runner");
        }
        if (text.equals("$")) {
            return new JsonPath(text, List.of());
        }
        if (!text.startsWith("$.")) {
            throw new DefinitionException(where + ": unsupported path '" + text + "' (the local runner supports $ and $.a.b only)");
        }
        List<String> segments = new ArrayList<>();
        for (String s : text.substring(2).split("\\.", -1)) {
            if (!SEGMENT.matcher(s).matches()) {
                throw new DefinitionException(where + ": unsupported path '" + text + "' (the local runner supports $ and $.a.b only)");
            }
            segments.add(s);
        }
        return new JsonPath(text, List.copyOf(segments));
    }

    boolean isRoot() {
        return segments.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }

    /** True when the path resolves (to any value, null included). */
    boolean isPresent(Object document) {
        Object current = document;
        for (String s : segments) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(s)) {
                return false;
            }
            current = map.get(s);
        }
        return true;
    }

    Object read(Object document) {
        Object current = document;
        for (String s : segments) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(s)) {
                throw new PathException("The JSONPath '" + text + "' could not be found in the input '" + Json.write(document) + "'");
            }
            current = map.get(s);
        }
        return current;
    }

    /** A copy of {@code document} with {@code value} placed at this path (ResultPath semantics). */
    @SuppressWarnings("unchecked")
    Object write(Object document, Object value) {
        if (segments.isEmpty()) {
            return value;
        }
        if (!(document instanceof Map)) {
            throw new PathException("Unable to apply ResultPath '" + text + "' to a non-object input '" + Json.write(document) + "'");
        }
        Map<String, Object> root = (Map<String, Object>) Json.deepCopy(document);
        Map<String, Object> current = root;
        for (int i = 0; i < segments.size() - 1; i++) {
            String s = segments.get(i);
            Object next = current.get(s);
            if (next == null && !current.containsKey(s)) {
                next = new LinkedHashMap<String, Object>();
                current.put(s, next);
            } else if (!(next instanceof Map)) {
                throw new PathException("Unable to apply ResultPath '" + text + "': '" + s + "' is not an object");
            }
            current = (Map<String, Object>) next;
        }
        current.put(segments.get(segments.size() - 1), Json.deepCopy(value));
        return root;
    }
}
