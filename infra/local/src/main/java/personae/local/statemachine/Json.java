package personae.local.statemachine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain-Java JSON values (Map, List, String, Number, Boolean, null) and their conversions. */
final class Json {
    /** The project's one mapper (its settings, unknown properties ignored and streams left open, change nothing here). */
    static final ObjectMapper MAPPER = personae.core.resource.Json.MAPPER;

    private Json() {
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DefinitionException("The definition is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Object toValue(JsonNode node) {
        return node == null ? null : MAPPER.convertValue(node, Object.class);
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** Deep copy of a JSON-like value, so a task or the caller can never alias execution state. */
    static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(deepCopy(v)));
            return copy;
        }
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        // anything else a task returned (a record, a bean): normalise through Jackson like Lambda serialisation would
        return MAPPER.convertValue(value, Object.class);
    }
}
