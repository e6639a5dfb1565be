package personae.handlers.step;

import personae.core.Services;
import personae.core.pipeline.BuildSteps;
import personae.core.port.WorkflowStarter.BuildRequest;

import java.util.Map;

/** ClusterPersonas: k-means++ on the cohort's traits (Smile), model.json. */
public final class ClusterPersonasHandler extends StepHandler {

    public ClusterPersonasHandler() {
    }

    public ClusterPersonasHandler(Services services) {
        super(services);
    }

    @Override
    protected Map<String, Object> run(BuildSteps steps, BuildRequest request, Map<String, Object> input) {
        steps.clusterPersonas(request);
        return input;
    }
}
