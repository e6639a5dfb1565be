package personae.handlers.step;

import personae.core.Services;
import personae.core.pipeline.BuildSteps;
import personae.core.port.WorkflowStarter.BuildRequest;

import java.util.Map;

/** NamePersonas: each persona named from its most distinctive traits. */
public final class NamePersonasHandler extends StepHandler {

    public NamePersonasHandler() {
    }

    public NamePersonasHandler(Services services) {
        super(services);
    }

    @Override
    protected Map<String, Object> run(BuildSteps steps, BuildRequest request, Map<String, Object> input) {
        steps.namePersonas(request);
        return input;
    }
}
