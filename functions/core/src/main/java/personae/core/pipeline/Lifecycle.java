package personae.core.pipeline;

import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceGraph;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources.Stored;
import personae.core.resource.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps every build shares, whatever its kind: CheckInputs at the start, MarkReady or MarkError at the end. A
 * kind whose outputs need switching or discarding as the build ends registers {@link Hooks}.
 */
final class Lifecycle {

    /** Waiting for inputs gives up after this many checks (about an hour at the definition's 2 s wait). */
    static final int MAX_INPUT_CHECKS = 1800;

    /**
     * What a kind does as its build ends: before the status changes, the metadata (a dataset switches to its new
     * build folder); the returned clean-up (deleting files no reader needs) runs after it, and its failure only logs,
     * so a good build is never turned into an error, nor an error left {@code running}, by a file that would not go.
     */
    interface Hooks {
        default Runnable beforeReady(BuildRequest r) { return () -> { }; }

        default Runnable beforeError(BuildRequest r) { return () -> { }; }
    }

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Lifecycle.class.getName());

    private static void bestEffort(Runnable cleanUp, BuildRequest r) {
        try {
            cleanUp.run();
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "clean-up after the build of " + r.kind() + " " + r.id()
                    + " failed; the files stay until the next build", e);
        }
    }

    private final BuildContext ctx;
    private final Builds builds;
    private final Map<ResourceType, Hooks> hooks;

    Lifecycle(BuildContext ctx, Map<ResourceType, Hooks> hooks) {
        this.ctx = ctx;
        this.builds = new Builds(ctx.services);
        this.hooks = hooks;
    }

    /** The outcome of CheckInputs, as the Choice state reads it. */
    record InputsCheck(String state, String message, int attempts) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("state", state);
            m.put("message", message);
            m.put("attempts", attempts);
            return m;
        }
    }

    /** ready, waiting, failed (message says which input and why) or gone (the resource was deleted). */
    InputsCheck checkInputs(BuildRequest r, int previousAttempts) {
        int attempts = previousAttempts + 1;
        ResourceType type = BuildContext.type(r);
        var found = ctx.resources.find(r.account(), type, r.id());
        if (found.isEmpty()) return new InputsCheck("gone", type.noun() + " " + r.id() + " was deleted", attempts);
        ResourceGraph.Inputs inputs = ctx.graph.inputs(found.get());
        if (!inputs.missing().isEmpty()) return new InputsCheck("failed", String.join("; ", inputs.missing()), attempts);
        List<String> waitingFor = new ArrayList<>();
        for (Stored in : inputs.found()) {
            Status st = in.status();
            if (st == Status.ERROR) {
                return new InputsCheck("failed", "input " + in.type().noun() + " '" + in.name() + "' (" + in.id()
                        + ") failed: " + Json.text(in.doc(), "status_error"), attempts);
            }
            if (st != Status.READY) waitingFor.add(in.type().noun() + " '" + in.name() + "' (" + st.wire() + ")");
        }
        if (!waitingFor.isEmpty()) {
            if (attempts >= MAX_INPUT_CHECKS) {
                return new InputsCheck("failed", "gave up waiting for " + String.join(", ", waitingFor), attempts);
            }
            return new InputsCheck("waiting", "waiting for " + String.join(", ", waitingFor), attempts);
        }
        ctx.resources.setStatus(r.account(), type, r.id(), Status.STARTING, null);
        return new InputsCheck("ready", "inputs ready", attempts);
    }

    /**
     * Status ready; then every resource built from this one rebuilds, so new data flows all the way to the targets
     * (see {@link Builds}: one build of a resource at a time). A rebuild asked for during this build starts instead.
     */
    void markReady(BuildRequest r) {
        ResourceType type = BuildContext.type(r);
        Runnable cleanUp = hooks(type).beforeReady(r);
        Optional<Stored> marked = ctx.resources.setStatus(r.account(), type, r.id(), Status.READY, null);
        marked.ifPresent(this::tell);
        bestEffort(cleanUp, r);
        if (marked.isEmpty()) ctx.blobs.deleteAll(Keys.outputs(type, r.account(), r.id())); // deleted while it built
        marked.ifPresent(ready -> {
            // a rebuild asked for during this build starts instead; the dependents follow that one
            if (!builds.startRequestedRebuild(r.account(), type, r.id())) builds.rebuildDependents(ready);
        });
    }

    /** Records why the build failed, as {@code status_error}. */
    void markError(BuildRequest r, String message) {
        ResourceType type = BuildContext.type(r);
        Runnable cleanUp = hooks(type).beforeError(r);
        Optional<Stored> stored = ctx.resources.setStatus(r.account(), type, r.id(), Status.ERROR, message);
        boolean marked = stored.isPresent();
        stored.ifPresent(this::tell);
        bestEffort(cleanUp, r);
        if (marked) {
            builds.startRequestedRebuild(r.account(), type, r.id());
        } else {
            ctx.blobs.deleteAll(Keys.outputs(type, r.account(), r.id())); // deleted while it built
        }
    }

    /** Hands the stored status change to the {@link personae.core.port.Notifier}; a failure there only logs. */
    private void tell(Stored s) {
        try {
            ctx.services.notifier().statusChanged(new personae.core.port.Notifier.StatusChange(s.account(),
                    s.type().wire(), s.id(), s.name(), s.status().wire(), Json.text(s.doc(), "status_error"),
                    Json.text(s.doc(), "status_changed_at")));
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "the notification of " + s.type().wire() + " " + s.id()
                    + " being " + s.status().wire() + " failed; the build is not affected", e);
        }
    }

    private Hooks hooks(ResourceType type) {
        return hooks.getOrDefault(type, new Hooks() { });
    }
}
