package personae.handlers.step;

import personae.core.Services;
import personae.core.pipeline.BuildSteps;
import personae.core.port.WorkflowStarter.BuildRequest;

import java.util.Map;

/**
 * CheckInputs: are the resource's inputs ready? Returns {@code {"state": ready|waiting|failed|gone, "message",
 * "attempts"}}, which the definition stores at {@code $.inputs}; the previous attempts are read from there.
 */
public final class CheckInputsHandler extends StepHandler {

    public CheckInputsHandler() {
    }

    public CheckInputsHandler(Services services) {
        super(services);
    }

    @Override
    protected Map<String, Object> run(BuildSteps steps, BuildRequest request, Map<String, Object> input) {
        int previous = input.get("inputs") instanceof Map<?, ?> m && m.get("attempts") instanceof Number n
                ? n.intValue() : 0;
        return steps.checkInputs(request, previous);
    }
}
