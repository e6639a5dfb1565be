package personae.core.testing;

import personae.core.port.WorkflowStarter;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link WorkflowStarter} that only records what it was asked to start, for unit tests only. Every execution it
 * starts counts as running until the test ends it with {@link #finish} or {@link #killAll}.
 */
public final class RecordingWorkflowStarter implements WorkflowStarter {

    private final List<BuildRequest> requests = new CopyOnWriteArrayList<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();

    @Override
    public String startBuild(BuildRequest request) {
        requests.add(request);
        String id = "execution-" + counter.incrementAndGet();
        running.add(id);
        return id;
    }

    @Override
    public boolean isRunning(String executionId) {
        return running.contains(executionId);
    }

    /** Every request so far, in order. */
    public List<BuildRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests for one kind ({@code datasets}, {@code cohorts}...). */
    public List<BuildRequest> requests(String kind) {
        return requests.stream().filter(r -> r.kind().equals(kind)).toList();
    }

    /** The execution ends (or dies): {@link #isRunning} answers false from now on. */
    public void finish(String executionId) {
        running.remove(executionId);
    }

    /** Every execution dies at once, as in a process killed mid-build. */
    public void killAll() {
        running.clear();
    }

    public void clear() {
        requests.clear();
    }
}
