package personae.handlers.step;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.Services;
import personae.core.pipeline.BuildSteps;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;

import java.util.Map;

/**
 * MarkError: status error, with {@code status_error} taken from the caught error ({@code $.error.Cause}, the Lambda
 * error JSON whose {@code errorMessage} is the step's message) or from CheckInputs' {@code $.inputs.message}.
 */
public final class MarkErrorHandler extends StepHandler {

    public MarkErrorHandler() {
    }

    public MarkErrorHandler(Services services) {
        super(services);
    }

    @Override
    protected Map<String, Object> run(BuildSteps steps, BuildRequest request, Map<String, Object> input) {
        steps.markError(request, message(input));
        return input;
    }

    static String message(Map<String, Object> input) {
        if (input.get("error") instanceof Map<?, ?> error) {
            Object cause = error.get("Cause");
            if (cause instanceof String s && !s.isBlank()) {
                try {
                    JsonNode n = Json.read(s);
                    if (n.hasNonNull("errorMessage")) return n.get("errorMessage").asText();
                } catch (RuntimeException notJson) {
                    return s;
                }
                return s;
            }
            if (error.get("Error") instanceof String e) return e;
        }
        if (input.get("inputs") instanceof Map<?, ?> inputs && inputs.get("message") instanceof String m) return m;
        return "the build failed";
    }
}
