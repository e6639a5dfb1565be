package personae.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;

/** InputPath / OutputPath: absent means $, JSON null means {}. */
record IoPath(JsonPath path, boolean nullPath) {

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
