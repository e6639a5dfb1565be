package personae.core.pipeline;

import personae.core.cohort.CohortBuilder;
import personae.core.cohort.CohortSpec;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources.Stored;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A cohort's build: BuildCohort. */
final class CohortBuild {

    private final BuildContext ctx;

    CohortBuild(BuildContext ctx) {
        this.ctx = ctx;
    }

    /** The cohort's members from every ready dataset that outputs to its stream. */
    void build(BuildRequest r) {
        Stored cohort = ctx.running(r);
        CohortBuilder.Rules rules = CohortSpec.KIND.parse(cohort.doc());
        List<CohortBuilder.Source> sources = new ArrayList<>();
        long members;
        try {
            for (Stored ds : ctx.graph.inputs(cohort).found()) {
                sources.add(new CohortBuilder.Source(ds.id(),
                        ctx.blobs.open(ctx.datasetFolder(r.account(), ds.id()) + Keys.streamEvents(rules.streamName()))));
            }
            try (OutputStream out = ctx.blobs.create(Keys.cohortMembers(r.account(), r.id()))) {
                members = CohortBuilder.build(rules, sources, ctx.services.clock().instant(), out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (CohortBuilder.Source s : sources) BuildContext.closeQuietly(s.events());
        }
        ctx.resources.update(r.account(), ResourceType.COHORTS, r.id(), s -> s.doc().put("population_count", members));
    }
}
