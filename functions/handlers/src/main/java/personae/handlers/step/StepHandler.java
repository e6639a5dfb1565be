package personae.handlers.step;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import personae.core.Problem;
import personae.core.Services;
import personae.core.ingest.CsvProblem;
import personae.core.pipeline.BuildSteps;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.ResourceType;
import personae.handlers.LambdaServices;

import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Task state of the build state machine. The state's input is {@code {"account","kind","id", ...}}; each subclass
 * calls one {@link BuildSteps} method. Build steps run with {@code ResultPath: null}, so what they return is ignored.
 *
 * <p>A step's failure message becomes the resource's {@code status_error} (the state machine catches it and MarkError
 * stores it), so only messages written for users pass: a {@link Problem} or {@link CsvProblem} unchanged; anything
 * else (an SDK, I/O or programming error) is logged with an error id and replaced by a {@link BuildFailure} saying
 * what to do and quoting that id, never the exception's own text.
 */
public abstract class StepHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final Logger LOG = Logger.getLogger(StepHandler.class.getName());

    private final Services services;
    private final BuildSteps steps;

    protected StepHandler() {
        this(LambdaServices.get());
    }

    protected StepHandler(Services services) {
        this.services = services;
        this.steps = new BuildSteps(services);
    }

    /** The services the steps run with. */
    protected final Services services() {
        return services;
    }

    @Override
    public final Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        BuildRequest request = new BuildRequest(text(input, "account"), text(input, "kind"), text(input, "id"));
        try {
            return run(steps, request, input);
        } catch (Problem | CsvProblem | BuildFailure userFacing) {
            throw userFacing;
        } catch (RuntimeException | Error e) {
            String errorId = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "error " + errorId + " in " + getClass().getSimpleName() + " for " + request.kind()
                    + " " + request.id() + " of account " + request.account(), e);
            throw new BuildFailure(internalError(request, errorId));
        }
    }

    /** The sentence a user reads in {@code status_error} when a step failed for a reason of ours. */
    static String internalError(BuildRequest request, String errorId) {
        String kind = ResourceType.fromWire(request.kind()).map(ResourceType::noun).orElse(request.kind());
        return "the build of " + kind + " " + request.id() + " stopped on an internal error (error id " + errorId
                + "); rebuild it with PATCH" + (request.kind().equals("datasets") ? " or a new upload" : "")
                + ", and quote the error id if it happens again";
    }

    /**
     * A step that failed for a reason of ours, with a message for users (its cause was logged with an error id).
     * Its class name is the Lambda error type the state machine sees; its message is {@code status_error}.
     */
    public static final class BuildFailure extends RuntimeException {
        public BuildFailure(String message) {
            super(message, null, false, false);
        }
    }

    protected abstract Map<String, Object> run(BuildSteps steps, BuildRequest request, Map<String, Object> input);

    private static String text(Map<String, Object> input, String key) {
        Object v = input.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("the step input needs a string '" + key + "'; got " + input);
        }
        return s;
    }
}
