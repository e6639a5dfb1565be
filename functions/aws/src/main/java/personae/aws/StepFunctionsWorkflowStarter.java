package personae.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import personae.core.port.WorkflowStarter;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link WorkflowStarter} on a Step Functions state machine: one StartExecution per build, input
 * {@code {"account":"…","kind":"…","id":"…"}}, and a unique execution name ({@code kind-id-<uuid>}, at most 80
 * characters of {@code [A-Za-z0-9_-]}). The execution's ARN is the build's id; {@link #isRunning} asks
 * DescribeExecution (IAM: {@code states:DescribeExecution} on the state machine's executions,
 * {@code arn:aws:states:<region>:<account>:execution:<state machine name>:*}, for every function that starts builds).
 */
public final class StepFunctionsWorkflowStarter implements WorkflowStarter {

    /** Step Functions' limit on execution names. */
    static final int MAX_NAME = 80;
    private static final ObjectMapper JSON = personae.core.resource.Json.MAPPER; // the project's one mapper
    private static final Logger LOG = Logger.getLogger(StepFunctionsWorkflowStarter.class.getName());

    private final SfnClient sfn;
    private final String stateMachineArn;
    private final Supplier<UUID> uuids;

    public StepFunctionsWorkflowStarter(SfnClient sfn, String stateMachineArn) {
        this(sfn, stateMachineArn, UUID::randomUUID);
    }

    StepFunctionsWorkflowStarter(SfnClient sfn, String stateMachineArn, Supplier<UUID> uuids) {
        this.sfn = Objects.requireNonNull(sfn);
        this.stateMachineArn = Objects.requireNonNull(stateMachineArn);
        this.uuids = uuids;
    }

    @Override
    public String startBuild(BuildRequest request) {
        String input = inputJson(request);
        String name = executionName(request, uuids.get());
        return sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name).input(input)).executionArn();
    }

    /**
     * DescribeExecution's status is RUNNING. An execution Step Functions does not know is not running; any other
     * failure (throttling, a missing permission) answers true, as the port asks, and is logged.
     */
    @Override
    public boolean isRunning(String executionArn) {
        if (executionArn == null || executionArn.isBlank()) return false;
        try {
            return sfn.describeExecution(b -> b.executionArn(executionArn)).status() == ExecutionStatus.RUNNING;
        } catch (ExecutionDoesNotExistException | InvalidArnException gone) {
            return false;
        } catch (SdkException e) {
            LOG.log(Level.WARNING, "DescribeExecution of " + executionArn + " failed; taking it as running", e);
            return true;
        }
    }

    /** The state machine's input: exactly the three fields of the request, in that order. */
    static String inputJson(BuildRequest request) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("account", Objects.requireNonNull(request.account(), "account"));
        m.put("kind", Objects.requireNonNull(request.kind(), "kind"));
        m.put("id", Objects.requireNonNull(request.id(), "id"));
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code kind-id} with every character outside {@code [A-Za-z0-9_-]} replaced by {@code _}, cut so that
     * {@code -} and the 32 hex digits of {@code unique} fit in 80 characters.
     */
    static String executionName(BuildRequest request, UUID unique) {
        String suffix = "-" + unique.toString().replace("-", "");
        String readable = (request.kind() + "-" + request.id()).replaceAll("[^A-Za-z0-9_-]", "_");
        int room = MAX_NAME - suffix.length();
        if (readable.length() > room) readable = readable.substring(0, room);
        return readable + suffix;
    }
}
