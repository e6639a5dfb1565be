package personae.handlers.step;

import personae.core.Services;
import personae.core.pipeline.BuildSteps;
import personae.core.port.WorkflowStarter.BuildRequest;

import java.util.Map;

/** EnrichTraits: behavioural traits per person from the dataset's events. */
public final class EnrichTraitsHandler extends StepHandler {

    public EnrichTraitsHandler() {
    }

    public EnrichTraitsHandler(Services services) {
        super(services);
    }

    @Override
    protected Map<String, Object> run(BuildSteps steps, BuildRequest request, Map<String, Object> input) {
        steps.enrichTraits(request);
        return input;
    }
}
