package personae.local.statemachine;

import static personae.local.statemachine.Checks.checkFields;
import static personae.local.statemachine.Checks.requireText;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The Task state: InputPath, Parameters, the registered {@link TaskFunction} (on deep copies, so it never aliases
 * execution state), ResultPath, OutputPath; an exception is a task error (Error = its class name, Cause = a
 * Lambda-style document) handed to {@link RetryCatch}.
 */
final class TaskState {

    private TaskState() {
    }

    @SuppressWarnings("unchecked")
    static State compile(String name, JsonNode node, String where, Map<String, TaskFunction> tasks, Sleeper sleeper) {
        checkFields(node, Set.of("Type", "Comment", "Resource", "InputPath", "Parameters", "ResultPath", "OutputPath",
                "Retry", "Catch", "Next", "End"), where);
        String resource = requireText(node, "Resource", where);
        TaskFunction function = tasks.get(resource);
        if (function == null) {
            throw new DefinitionException(where + ": no task function registered for Resource '" + resource + "'");
        }
        IoPath inputPath = IoPath.of(node, "InputPath", where);
        Parameters parameters = Parameters.of(node.get("Parameters"), where);
        ResultPath resultPath = ResultPath.of(node.get("ResultPath"), where);
        IoPath outputPath = IoPath.of(node, "OutputPath", where);
        RetryCatch errors = RetryCatch.of(node, where);
        Transition transition = Transition.of(node, where);
        List<String> targets = new ArrayList<>(transition.targets());
        targets.addAll(errors.targets());

        return new State(name, targets, (input, deadline) -> {
            Object effective = inputPath.apply(input);
            if (parameters != null) {
                effective = parameters.apply(effective);
            }
            int[] attempts = errors.newAttempts();
            while (true) {
                String error;
                String cause;
                try {
                    if (!(effective instanceof Map)) {
                        throw new JsonPath.PathException("The task input must be a JSON object, was " + Json.write(effective));
                    }
                    Map<String, Object> result = function.apply((Map<String, Object>) Json.deepCopy(effective));
                    Object output = resultPath.apply(input, Json.deepCopy(result));
                    return transition.go(outputPath.apply(output));
                } catch (JsonPath.PathException e) {
                    throw e;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    error = e.getClass().getName();
                    cause = RetryCatch.lambdaCause(e);
                }
                OptionalDouble delay = errors.retryDelay(error, attempts);
                if (delay.isPresent()) {
                    sleeper.sleep(delay.getAsDouble(), deadline);
                    continue;
                }
                return errors.caught(error, cause, input);
            }
        });
    }
}
