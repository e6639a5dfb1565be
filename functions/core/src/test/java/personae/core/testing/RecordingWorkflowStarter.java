package personae.core.testing;

import personae.core.port.WorkflowStarter;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link WorkflowStarter} that only records what it was asked to start, for unit tests only. */
public final class RecordingWorkflowStarter implements WorkflowStarter {

    private final List<BuildRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public void startBuild(BuildRequest request) {
        requests.add(request);
    }

    /** Every request so far, in order. */
    public List<BuildRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests for one kind ({@code datasets}, {@code cohorts}...). */
    public List<BuildRequest> requests(String kind) {
        return requests.stream().filter(r -> r.kind().equals(kind)).toList();
    }

    public void clear() {
        requests.clear();
    }
}
