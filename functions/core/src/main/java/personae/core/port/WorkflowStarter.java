package personae.core.port;

/**
 * Starts the build workflow (the Step Functions state machine) for one resource, and tells whether a started one is
 * still alive. The second question is what keeps a resource from being stuck: a build whose execution died (a process
 * killed mid-build, an execution that failed outside the definition's Catch) is replaced at the next PATCH or upload
 * instead of waiting for {@code pipeline/Builds.STALE}.
 */
public interface WorkflowStarter {

    /**
     * Starts a build of {@code kind}/{@code id} in {@code account}; returns at once, with the id of the execution
     * (on AWS its ARN; locally the in-process runner's id), to give to {@link #isRunning} later.
     */
    String startBuild(BuildRequest request);

    /**
     * True while the execution {@code executionId} (as returned by {@link #startBuild}) has neither finished nor died.
     * An id this starter does not know is not running. When the answer cannot be had (the service is unreachable), an
     * implementation answers true: a live build replaced by a second one would write the same files at once, which is
     * worse than a dead one waiting for the 25 h fallback.
     */
    boolean isRunning(String executionId);

    /**
     * A starter for a process that must not start builds: {@link #startBuild} fails with {@code why}; every execution
     * counts as running (so nothing is replaced from here).
     */
    static WorkflowStarter refusing(String why) {
        return new WorkflowStarter() {
            @Override
            public String startBuild(BuildRequest request) {
                throw new IllegalStateException(why);
            }

            @Override
            public boolean isRunning(String executionId) {
                return true;
            }
        };
    }

    /** The state machine's input. Field names are the JSON keys the definition file reads. */
    record BuildRequest(String account, String kind, String id) {}
}
