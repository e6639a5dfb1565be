package personae.core.pipeline;

import personae.core.Services;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.ResourceType;

import java.util.Map;

/**
 * The state machine's Task states ({@code infra/statemachine/personae.asl.json}), one method each, as the Lambda
 * handlers (and the local runner) call them. Each kind's build is its own class ({@link DatasetBuild},
 * {@link CohortBuild}, {@link PersonaSetBuild}, {@link ScopeBuild}, {@link TargetBuild}); {@link Lifecycle} has the
 * steps every build shares (CheckInputs, MarkReady, MarkError). Plain Java: handlers only translate the state's JSON.
 */
public final class BuildSteps {

    private final Lifecycle lifecycle;
    private final DatasetBuild datasets;
    private final CohortBuild cohorts;
    private final PersonaSetBuild personaSets;
    private final ScopeBuild scopes;
    private final TargetBuild targets;

    public BuildSteps(Services services) {
        BuildContext ctx = new BuildContext(services);
        this.datasets = new DatasetBuild(ctx);
        this.cohorts = new CohortBuild(ctx);
        this.personaSets = new PersonaSetBuild(ctx);
        this.scopes = new ScopeBuild(ctx);
        this.targets = new TargetBuild(ctx);
        this.lifecycle = new Lifecycle(ctx, Map.of(ResourceType.DATASETS, datasets));
    }

    /** CheckInputs: {@code {state: ready|waiting|failed|gone, message, attempts}}, as the Choice state reads it. */
    public Map<String, Object> checkInputs(BuildRequest r, int previousAttempts) {
        return lifecycle.checkInputs(r, previousAttempts).toMap();
    }

    public void ingestDataset(BuildRequest r) { datasets.ingest(r); }

    public void enrichTraits(BuildRequest r) { datasets.enrich(r); }

    public void buildCohort(BuildRequest r) { cohorts.build(r); }

    public void clusterPersonas(BuildRequest r) { personaSets.cluster(r); }

    public void namePersonas(BuildRequest r) { personaSets.name(r); }

    public void materializeScope(BuildRequest r) { scopes.materialize(r); }

    public void publishTarget(BuildRequest r) { targets.publish(r); }

    public void markReady(BuildRequest r) { lifecycle.markReady(r); }

    public void markError(BuildRequest r, String message) { lifecycle.markError(r, message); }
}
