package personae.handlers.step;

import personae.core.Services;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every Task of the build state machine, by the name its ARN placeholder carries in
 * {@code infra/statemachine/personae.asl.json} ({@code ${IngestDatasetFunctionArn}} is {@code IngestDataset}), and the
 * handler that runs it. template.yaml deploys each as {@code <name>Function}; the local runtime runs them in-process
 * from this list; {@code StepsMatchDefinitionTest} checks the three agree.
 */
public final class Steps {

    private static final Map<String, Class<? extends StepHandler>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("CheckInputs", CheckInputsHandler.class);
        ALL.put("IngestDataset", IngestDatasetHandler.class);
        ALL.put("EnrichTraits", EnrichTraitsHandler.class);
        ALL.put("BuildCohort", BuildCohortHandler.class);
        ALL.put("ClusterPersonas", ClusterPersonasHandler.class);
        ALL.put("NamePersonas", NamePersonasHandler.class);
        ALL.put("MaterializeScope", MaterializeScopeHandler.class);
        ALL.put("PublishTarget", PublishTargetHandler.class);
        ALL.put("MarkReady", MarkReadyHandler.class);
        ALL.put("MarkError", MarkErrorHandler.class);
    }

    private Steps() {}

    /** Step name to its handler class, in the definition's order. */
    public static Map<String, Class<? extends StepHandler>> all() {
        return Collections.unmodifiableMap(ALL);
    }

    /** The step's handler over {@code services} (each handler has a constructor taking them, for tests and local). */
    public static StepHandler create(String step, Services services) {
        Class<? extends StepHandler> type = ALL.get(step);
        if (type == null) throw new IllegalArgumentException("no step " + step);
        try {
            return type.getConstructor(Services.class).newInstance(services);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " needs a public constructor taking Services", e);
        }
    }
}
