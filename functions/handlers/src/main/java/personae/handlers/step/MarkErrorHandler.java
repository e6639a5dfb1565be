package personae.handlers.step;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.Services;
import personae.core.pipeline.BuildSteps;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Status;

import java.util.Map;

/**
 * MarkError: status error, with {@code status_error} taken from the caught error ({@code $.error.Cause}, the Lambda
 * error JSON whose {@code errorMessage} is the step's message) or from CheckInputs' {@code $.inputs.message}.
 *
 * <p>It never leaves the resource {@code running}: when {@link BuildSteps#markError} fails part-way (deleting the
 * failed build's files, starting a rebuild queued meanwhile), the status is still set to error, and then the failure
 * is rethrown so the execution records it (the definition retries MarkError, then ends in MarkErrorFailed).
 */
public final class MarkErrorHandler extends StepHandler {

    public MarkErrorHandler() {
    }

    public MarkErrorHandler(Services services) {
        super(services);
    }

    @Override
    protected Map<String, Object> run(BuildSteps steps, BuildRequest request, Map<String, Object> input) {
        String message = message(input);
        try {
            steps.markError(request, message);
        } catch (RuntimeException failed) {
            try {
                ResourceType type = ResourceType.fromWire(request.kind()).filter(ResourceType::isBuilt).orElseThrow(
                        () -> new IllegalArgumentException("not a buildable kind: " + request.kind()));
                services().resources().setStatus(request.account(), type, request.id(), Status.ERROR, message);
            } catch (RuntimeException alsoFailed) {
                failed.addSuppressed(alsoFailed);
            }
            throw failed;
        }
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
