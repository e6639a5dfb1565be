package personae.local.statemachine;

import java.util.Map;

/**
 * What a Task state's {@code Resource} runs locally: the in-process stand-in for a Lambda function.
 * Like a Java Lambda handler it may throw; the runner turns the exception into a Step Functions error
 * (Error = the exception's class name, Cause = a Lambda-style JSON error document).
 */
@FunctionalInterface
public interface TaskFunction {
    Map<String, Object> apply(Map<String, Object> input) throws Exception;
}
