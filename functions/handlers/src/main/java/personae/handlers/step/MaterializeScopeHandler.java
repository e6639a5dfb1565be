package personae.handlers.step;

import personae.core.Services;
import personae.core.pipeline.BuildSteps;
import personae.core.port.WorkflowStarter.BuildRequest;

import java.util.Map;

/** MaterializeScope: the population's identity fields and persona assignments into one CSV. */
public final class MaterializeScopeHandler extends StepHandler {

    public MaterializeScopeHandler() {
    }

    public MaterializeScopeHandler(Services services) {
        super(services);
    }

    @Override
    protected Map<String, Object> run(BuildSteps steps, BuildRequest request, Map<String, Object> input) {
        steps.materializeScope(request);
        return input;
    }
}
