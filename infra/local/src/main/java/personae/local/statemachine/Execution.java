package personae.local.statemachine;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one execution.
 *
 * @param executionId   a local id (UUID)
 * @param status        SUCCEEDED, FAILED or ABORTED (interrupted, e.g. by {@link StateMachineRunner#close()})
 * @param output        the final output (SUCCEEDED), otherwise null
 * @param error         the error name (FAILED), e.g. "Personae.BuildFailed" or "States.Runtime"
 * @param cause         the cause text (FAILED)
 * @param visitedStates every state entered, in order (a state entered twice appears twice)
 */
public record Execution(String executionId, Status status, Object output, String error, String cause,
                        List<String> visitedStates) {

    public enum Status { SUCCEEDED, FAILED, ABORTED }

    public Execution {
        visitedStates = List.copyOf(visitedStates);
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    /** The output as a JSON object (empty if it is not one). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> outputAsMap() {
        return output instanceof Map<?, ?> ? (Map<String, Object>) output : Map.of();
    }
}
