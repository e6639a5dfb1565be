package personae.handlers.step;

import personae.core.Services;
import personae.core.pipeline.BuildSteps;
import personae.core.port.WorkflowStarter.BuildRequest;

import java.util.Map;

/** PublishTarget: the target's hosted CSV from its scope's output. */
public final class PublishTargetHandler extends StepHandler {

    public PublishTargetHandler() {
    }

    public PublishTargetHandler(Services services) {
        super(services);
    }

    @Override
    protected Map<String, Object> run(BuildSteps steps, BuildRequest request, Map<String, Object> input) {
        steps.publishTarget(request);
        return input;
    }
}
