package personae.handlers.step;

import personae.core.Services;
import personae.core.pipeline.BuildSteps;
import personae.core.port.WorkflowStarter.BuildRequest;

import java.util.Map;

/** IngestDataset: the upload directory's files -> people, stream events and first-party traits. */
public final class IngestDatasetHandler extends StepHandler {

    public IngestDatasetHandler() {
    }

    public IngestDatasetHandler(Services services) {
        super(services);
    }

    @Override
    protected Map<String, Object> run(BuildSteps steps, BuildRequest request, Map<String, Object> input) {
        steps.ingestDataset(request);
        return input;
    }
}
