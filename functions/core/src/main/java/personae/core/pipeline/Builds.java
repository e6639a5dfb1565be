package personae.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Services;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceGraph;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Status;

import java.time.Duration;
import java.time.Instant;

/**
 * When a resource builds: at most one build of a resource runs at a time. A rebuild asked for while one runs (a
 * PATCH, a new upload, an input that was rebuilt) is remembered and starts when the running build ends, so two builds
 * never write the same files at once and the last configuration always wins.
 */
public final class Builds {

    /** A build still not finished after this long is presumed lost (its execution timed out), and is replaced. */
    public static final Duration STALE = Duration.ofHours(25);
    private static final String REBUILD = "rebuild_requested";

    private final Services services;
    private final Resources resources;

    public Builds(Services services) {
        this.services = services;
        this.resources = services.resources();
    }

    /**
     * Rebuilds what was built from {@code s} (cohorts from a dataset, persona sets and scopes from a cohort, ...).
     * A dependent never built yet is waiting for {@code s} anyway.
     */
    public void rebuildDependents(Resources.Stored s) {
        for (Resources.Stored d : new ResourceGraph(resources).dependents(s)) {
            if (d.doc().hasNonNull("last_updated_output_at")) request(d.account(), d.type(), d.id());
        }
    }

    /** Starts the first build of a resource just created (its status is {@code new}). */
    public void first(String account, ResourceType type, String id) {
        services.workflows().startBuild(new BuildRequest(account, type.wire(), id));
    }

    /**
     * Asks for a rebuild: starts one now when the resource is ready or in error (status back to {@code new}); when it
     * is {@code new}, its pending build has not read anything yet and will see the change; when it is {@code starting}
     * or {@code running}, remembers the request for when that build ends.
     */
    public void request(String account, ResourceType type, String id) {
        boolean[] start = new boolean[1];
        resources.update(account, type, id, s -> {
            start[0] = false;
            Status st = s.status();
            if (st == Status.READY || st == Status.ERROR || stale(s.doc())) {
                s.internal().remove(REBUILD);
                toNew(s.doc());
                start[0] = true;
            } else if (st != Status.NEW) {
                s.internal().put(REBUILD, true);
            }
        });
        if (start[0]) services.workflows().startBuild(new BuildRequest(account, type.wire(), id));
    }

    /**
     * Called as a build ends (ready or error): true when a rebuild was asked for meanwhile, in which case it has been
     * started (status {@code new} again).
     */
    public boolean startRequestedRebuild(String account, ResourceType type, String id) {
        boolean[] start = new boolean[1];
        resources.update(account, type, id, s -> {
            start[0] = s.internal().path(REBUILD).asBoolean(false);
            if (start[0]) {
                s.internal().remove(REBUILD);
                toNew(s.doc());
            }
        });
        if (start[0]) services.workflows().startBuild(new BuildRequest(account, type.wire(), id));
        return start[0];
    }

    private void toNew(ObjectNode d) {
        d.put("status", Status.NEW.wire());
        d.put("status_changed_at", resources.now());
        d.remove("status_error");
    }

    private boolean stale(ObjectNode d) {
        String changed = Json.text(d, "status_changed_at");
        return changed != null && Instant.parse(changed).isBefore(resources.clock().instant().minus(STALE));
    }
}
