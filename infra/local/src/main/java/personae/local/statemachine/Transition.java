package personae.local.statemachine;

import static personae.local.statemachine.Checks.requireText;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Next or End, as Task, Pass and Wait have. */
record Transition(String next) {

    static Transition of(JsonNode node, String where) {
        boolean end = node.has("End");
        boolean hasNext = node.has("Next");
        if (end == hasNext) {
            throw new DefinitionException(where + " needs exactly one of Next and End");
        }
        if (end) {
            if (!node.get("End").isBoolean() || !node.get("End").asBoolean()) {
                throw new DefinitionException(where + ": End must be true");
            }
            return new Transition(null);
        }
        return new Transition(requireText(node, "Next", where));
    }

    Step go(Object output) {
        return next == null ? new Step.Succeed(output) : new Step.Next(next, output);
    }

    List<String> targets() {
        return next == null ? List.of() : List.of(next);
    }
}
