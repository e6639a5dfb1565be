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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * When a resource builds: at most one build of a resource runs at a time. A rebuild asked for while one runs (a
 * PATCH, a new upload, an input that was rebuilt) is remembered and starts when the running build ends, so two builds
 * never write the same files at once and the last configuration always wins.
 *
 * <p>Nothing stays stuck: every build started here records its execution ({@link #EXECUTION} in {@code _internal});
 * a resource still {@code new}, {@code starting} or {@code running} whose execution is no longer running (the
 * process running it was killed, or it failed outside the definition's Catch) counts as failed, so the next request
 * starts a new build at once. {@link #STALE} remains the fallback for documents that name no execution.
 */
public final class Builds {

    /** A build still not finished after this long is presumed lost (its execution timed out), and is replaced. */
    public static final Duration STALE = Duration.ofHours(25);
    /** In {@code _internal}: the execution of the current build, as {@code WorkflowStarter.startBuild} returned it. */
    public static final String EXECUTION = "execution";
    private static final String REBUILD = "rebuild_requested";
    /** In {@code _internal}: one token per build started, so a late record of one build's execution never lands on the next. */
    private static final String BUILD_TOKEN = "build_token";

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
        for (Resources.Stored d : new ResourceGraph(resources).rebuiltAfter(s)) {
            if (d.doc().hasNonNull("last_updated_output_at")) request(d.account(), d.type(), d.id());
        }
    }

    /** Starts the first build of a resource just created (its status is {@code new}). */
    public void first(String account, ResourceType type, String id) {
        start(account, type, id, null);
    }

    /**
     * Asks for a rebuild: starts one now when the resource is ready or in error (status back to {@code new}), or when
     * its build is dead (see the class comment) or stale; when it is {@code new}, its pending build has not read
     * anything yet and will see the change; when it is {@code starting} or {@code running}, remembers the request for
     * when that build ends.
     */
    public void request(String account, ResourceType type, String id) {
        String[] token = new String[1];
        Map<String, Boolean> alive = new HashMap<>(); // one question per execution, however often the update retries
        resources.update(account, type, id, s -> {
            token[0] = null;
            Status st = s.status();
            if (st == Status.READY || st == Status.ERROR || stale(s.doc()) || dead(s, alive)) {
                s.internal().remove(REBUILD);
                token[0] = toNew(s);
            } else if (st != Status.NEW) {
                s.internal().put(REBUILD, true);
            }
        });
        if (token[0] != null) start(account, type, id, token[0]);
    }

    /**
     * Called as a build ends (ready or error): true when a rebuild was asked for meanwhile, in which case it has been
     * started (status {@code new} again).
     */
    public boolean startRequestedRebuild(String account, ResourceType type, String id) {
        String[] token = new String[1];
        resources.update(account, type, id, s -> {
            token[0] = null;
            if (s.internal().path(REBUILD).asBoolean(false)) {
                s.internal().remove(REBUILD);
                token[0] = toNew(s);
            }
        });
        if (token[0] != null) start(account, type, id, token[0]);
        return token[0] != null;
    }

    /**
     * Starts a new build of every unfinished resource ({@code new}, {@code starting}, {@code running}) of every
     * account, for a process that knows none of the builds it ran is running any more: the local runtime as it
     * starts again after a stop or a kill. Returns the builds it started.
     */
    public List<BuildRequest> restartUnfinished() {
        List<BuildRequest> started = new ArrayList<>();
        for (String account : services.metadata().accounts()) {
            for (ResourceType t : ResourceType.values()) {
                if (!t.isBuilt()) continue;
                for (Resources.Stored s : resources.list(account, t)) {
                    if (s.status() == Status.READY || s.status() == Status.ERROR) continue;
                    String[] token = new String[1];
                    resources.update(account, t, s.id(), c -> {
                        token[0] = null;
                        if (c.status() == Status.READY || c.status() == Status.ERROR) return;
                        c.internal().remove(REBUILD); // the new build reads the latest configuration anyway
                        token[0] = toNew(c);
                    });
                    if (token[0] != null) {
                        start(account, t, s.id(), token[0]);
                        started.add(new BuildRequest(account, t.wire(), s.id()));
                    }
                }
            }
        }
        return started;
    }

    /** Starts the execution, then records it on the document unless another build has been started meanwhile. */
    private void start(String account, ResourceType type, String id, String token) {
        String execution = services.workflows().startBuild(new BuildRequest(account, type.wire(), id));
        if (execution == null) return;
        var current = resources.find(account, type, id);
        if (current.isEmpty() || !sameBuild(current.get(), token)) return;
        resources.update(account, type, id, s -> {
            if (sameBuild(s, token)) s.internal().put(EXECUTION, execution);
        });
    }

    private static boolean sameBuild(Resources.Stored s, String token) {
        ObjectNode in = s.doc().path(Resources.INTERNAL).isObject() ? s.internal() : null;
        String stored = in == null ? null : in.path(BUILD_TOKEN).asText(null);
        return Objects.equals(stored, token) && (in == null || !in.hasNonNull(EXECUTION));
    }

    /** Status {@code new} again, for a build about to start; returns that build's token. */
    private String toNew(Resources.Stored s) {
        ObjectNode d = s.doc();
        d.put("status", Status.NEW.wire());
        d.put("status_changed_at", resources.now());
        d.remove("status_error");
        String token = UUID.randomUUID().toString();
        s.internal().put(BUILD_TOKEN, token);
        s.internal().remove(EXECUTION);
        return token;
    }

    private boolean stale(ObjectNode d) {
        String changed = Json.text(d, "status_changed_at");
        return changed != null && Instant.parse(changed).isBefore(resources.clock().instant().minus(STALE));
    }

    /** The build's execution is known and no longer running. */
    private boolean dead(Resources.Stored s, Map<String, Boolean> alive) {
        if (!s.doc().path(Resources.INTERNAL).isObject()) return false;
        String execution = s.internal().path(EXECUTION).asText(null);
        if (execution == null) return false;
        return !alive.computeIfAbsent(execution, services.workflows()::isRunning);
    }
}
