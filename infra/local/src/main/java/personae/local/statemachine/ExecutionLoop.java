package personae.local.statemachine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Runs one execution of a {@link Definition} from StartAt to its end, telling the listener of every state entered.
 * TimeoutSeconds is scaled like every wait; with waitScale 0 (no waiting at all) it is not enforced. A definition
 * error met at run time (a path that does not resolve) ends the execution {@code States.Runtime}; an interrupt ends it
 * ABORTED.
 */
final class ExecutionLoop {

    private final Definition definition;
    /** Null when there is no timeout to enforce. */
    private final Long timeoutMillis;
    private volatile BiConsumer<String, String> transitionListener = (executionId, state) -> { };

    ExecutionLoop(Definition definition, double waitScale) {
        this.definition = definition;
        double timeoutSeconds = definition.timeoutSeconds();
        this.timeoutMillis = timeoutSeconds > 0 && waitScale > 0 ? Math.max(1, (long) (timeoutSeconds * 1000 * waitScale)) : null;
    }

    void onTransition(BiConsumer<String, String> listener) {
        this.transitionListener = Objects.requireNonNull(listener);
    }

    Execution execute(String id, Object input) {
        List<String> visited = new ArrayList<>();
        long deadline = timeoutMillis == null ? Long.MAX_VALUE : System.currentTimeMillis() + timeoutMillis;
        String current = definition.startAt();
        Object data = input;
        try {
            while (true) {
                if (System.currentTimeMillis() > deadline) {
                    return new Execution(id, Execution.Status.FAILED, null, "States.Timeout",
                            "The execution exceeded its TimeoutSeconds", visited);
                }
                State state = definition.states().get(current);
                visited.add(current);
                transitionListener.accept(id, current);
                Step step = state.run(data, deadline);
                if (step instanceof Step.Next next) {
                    data = next.output();
                    current = next.state();
                } else if (step instanceof Step.Succeed succeed) {
                    return new Execution(id, Execution.Status.SUCCEEDED, succeed.output(), null, null, visited);
                } else if (step instanceof Step.Fail fail) {
                    return new Execution(id, Execution.Status.FAILED, null, fail.error(), fail.cause(), visited);
                }
            }
        } catch (JsonPath.PathException e) {
            return new Execution(id, Execution.Status.FAILED, null, "States.Runtime",
                    "An error occurred while executing the state '" + current + "'. " + e.getMessage(), visited);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Execution(id, Execution.Status.ABORTED, null, "States.Aborted", "The local runner was closed", visited);
        }
    }
}
