package personae.core.pipeline;

import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources.Stored;
import personae.core.target.TargetCsv;

/** A target's build: PublishTarget. */
final class TargetBuild {

    private final BuildContext ctx;

    TargetBuild(BuildContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Publishing a hosted CSV: the scope's output in the target's mode, filter, structure and limit; the columns
     * written become the target's {@code final_structure}.
     */
    void publish(BuildRequest r) {
        Stored target = ctx.running(r);
        TargetCsv.Result result = TargetPublication.write(ctx.services, target, Keys.targetOutput(r.account(), r.id()),
                TargetCsv.NO_CAP);
        ctx.resources.update(r.account(), ResourceType.TARGETS, r.id(),
                t -> t.doc().set("final_structure", result.structure()));
    }
}
