package personae.handlers.step;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import personae.core.Services;
import personae.core.pipeline.BuildSteps;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.handlers.LambdaServices;

import java.util.Map;

/**
 * A Task state of the build state machine. The state's input is {@code {"account","kind","id", ...}}; each subclass
 * calls one {@link BuildSteps} method. Build steps run with {@code ResultPath: null}, so what they return is ignored.
 */
public abstract class StepHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

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
        return run(steps, request, input);
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
