package personae.core.port;

/** Starts the build workflow (the Step Functions state machine) for one resource. */
public interface WorkflowStarter {

    /** Starts a build of {@code kind}/{@code id} in {@code account}; returns at once. */
    void startBuild(BuildRequest request);

    /** The state machine's input. Field names are the JSON keys the definition file reads. */
    record BuildRequest(String account, String kind, String id) {}
}
