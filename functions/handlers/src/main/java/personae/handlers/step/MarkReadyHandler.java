package personae.handlers.step;

import personae.core.Services;
import personae.core.pipeline.BuildSteps;
import personae.core.port.WorkflowStarter.BuildRequest;

import java.util.Map;

/** MarkReady: status ready, last_updated_output_at now. */
public final class MarkReadyHandler extends StepHandler {

    public MarkReadyHandler() {
    }

    public MarkReadyHandler(Services services) {
        super(services);
    }

    @Override
    protected Map<String, Object> run(BuildSteps steps, BuildRequest request, Map<String, Object> input) {
        steps.markReady(request);
        return input;
    }
}
