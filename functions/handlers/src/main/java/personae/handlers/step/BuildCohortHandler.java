package personae.handlers.step;

import personae.core.Services;
import personae.core.pipeline.BuildSteps;
import personae.core.port.WorkflowStarter.BuildRequest;

import java.util.Map;

/** BuildCohort: the people with qualifying events in the cohort's stream. */
public final class BuildCohortHandler extends StepHandler {

    public BuildCohortHandler() {
    }

    public BuildCohortHandler(Services services) {
        super(services);
    }

    @Override
    protected Map<String, Object> run(BuildSteps steps, BuildRequest request, Map<String, Object> input) {
        steps.buildCohort(request);
        return input;
    }
}
