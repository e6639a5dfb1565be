package personae.local.statemachine;

import static personae.local.statemachine.Checks.checkFields;
import static personae.local.statemachine.Checks.requireText;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Choice state: the first rule that matches names the next state, else Default; with neither the execution fails
 * with {@code States.NoChoiceMatched} (never caught, as in AWS).
 */
final class ChoiceState {

    private ChoiceState() {
    }

    static State compile(String name, JsonNode node, String where) {
        checkFields(node, Set.of("Type", "Comment", "Choices", "Default", "InputPath", "OutputPath"), where);
        JsonNode choicesNode = node.get("Choices");
        if (choicesNode == null || !choicesNode.isArray() || choicesNode.isEmpty()) {
            throw new DefinitionException(where + " needs a non-empty Choices array");
        }
        IoPath inputPath = IoPath.of(node, "InputPath", where);
        IoPath outputPath = IoPath.of(node, "OutputPath", where);
        List<ChoiceRule> rules = new ArrayList<>();
        List<String> nexts = new ArrayList<>();
        for (int i = 0; i < choicesNode.size(); i++) {
            String w = where + " Choices[" + i + "]";
            JsonNode c = choicesNode.get(i);
            rules.add(ChoiceRule.compile(c, w, true));
            nexts.add(requireText(c, "Next", w));
        }
        String defaultState = node.has("Default") ? requireText(node, "Default", where) : null;
        List<String> targets = new ArrayList<>(nexts);
        if (defaultState != null) {
            targets.add(defaultState);
        }
        return new State(name, targets, (input, deadline) -> {
            Object effective = inputPath.apply(input);
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).test(effective)) {
                    return new Step.Next(nexts.get(i), outputPath.apply(effective));
                }
            }
            if (defaultState != null) {
                return new Step.Next(defaultState, outputPath.apply(effective));
            }
            return new Step.Fail("States.NoChoiceMatched",
                    "No Choice Rules matched and no Default is specified in state '" + name + "'");
        });
    }
}
