package personae.local.statemachine;

import static personae.local.statemachine.Checks.checkFields;
import static personae.local.statemachine.Checks.requireNonNegativeNumber;
import static personae.local.statemachine.Checks.requireText;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/** The states that call nothing: Wait (Seconds or SecondsPath, scaled by the {@link Sleeper}), Pass, Succeed, Fail. */
final class SimpleStates {

    private SimpleStates() {
    }

    static State waitState(String name, JsonNode node, String where, Sleeper sleeper) {
        checkFields(node, Set.of("Type", "Comment", "Seconds", "SecondsPath", "InputPath", "OutputPath", "Next", "End"), where);
        if (node.has("Seconds") == node.has("SecondsPath")) {
            throw new DefinitionException(where + " needs exactly one of Seconds and SecondsPath"
                    + " (Timestamp and TimestampPath are not supported by the local runner)");
        }
        Double seconds = node.has("Seconds") ? requireNonNegativeNumber(node, "Seconds", where) : null;
        JsonPath secondsPath = node.has("SecondsPath") ? JsonPath.parse(requireText(node, "SecondsPath", where), where + " SecondsPath") : null;
        IoPath inputPath = IoPath.of(node, "InputPath", where);
        IoPath outputPath = IoPath.of(node, "OutputPath", where);
        Transition transition = Transition.of(node, where);
        return new State(name, transition.targets(), (input, deadline) -> {
            Object effective = inputPath.apply(input);
            double s;
            if (seconds != null) {
                s = seconds;
            } else if (secondsPath.read(effective) instanceof Number n && n.doubleValue() >= 0) {
                s = n.doubleValue();
            } else {
                throw new JsonPath.PathException("SecondsPath '" + secondsPath + "' is not a non-negative number");
            }
            sleeper.sleep(s, deadline);
            return transition.go(outputPath.apply(effective));
        });
    }

    static State pass(String name, JsonNode node, String where) {
        checkFields(node, Set.of("Type", "Comment", "Result", "Parameters", "ResultPath", "InputPath", "OutputPath", "Next", "End"), where);
        IoPath inputPath = IoPath.of(node, "InputPath", where);
        Parameters parameters = Parameters.of(node.get("Parameters"), where);
        Object result = node.has("Result") ? Json.toValue(node.get("Result")) : null;
        boolean hasResult = node.has("Result");
        ResultPath resultPath = ResultPath.of(node.get("ResultPath"), where);
        IoPath outputPath = IoPath.of(node, "OutputPath", where);
        Transition transition = Transition.of(node, where);
        return new State(name, transition.targets(), (input, deadline) -> {
            Object effective = inputPath.apply(input);
            if (parameters != null) {
                effective = parameters.apply(effective);
            }
            Object value = hasResult ? Json.deepCopy(result) : effective;
            return transition.go(outputPath.apply(resultPath.apply(input, value)));
        });
    }

    static State succeed(String name, JsonNode node, String where) {
        checkFields(node, Set.of("Type", "Comment", "InputPath", "OutputPath"), where);
        IoPath inputPath = IoPath.of(node, "InputPath", where);
        IoPath outputPath = IoPath.of(node, "OutputPath", where);
        return new State(name, List.of(), (input, deadline) -> new Step.Succeed(outputPath.apply(inputPath.apply(input))));
    }

    static State fail(String name, JsonNode node, String where) {
        checkFields(node, Set.of("Type", "Comment", "Error", "Cause"), where);
        String error = node.has("Error") ? requireText(node, "Error", where) : null;
        String cause = node.has("Cause") ? requireText(node, "Cause", where) : null;
        return new State(name, List.of(), (input, deadline) -> new Step.Fail(error, cause));
    }
}
