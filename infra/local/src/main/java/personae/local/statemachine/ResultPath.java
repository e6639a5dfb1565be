package personae.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;

/** ResultPath (of a Task, Pass or Catch): absent means $, JSON null means discard the result. */
record ResultPath(JsonPath path, boolean discard) {

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
