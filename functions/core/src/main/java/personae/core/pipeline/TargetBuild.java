package personae.core.pipeline;

import personae.core.Problem;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Resources.Stored;
import personae.core.target.TargetCsv;
import personae.core.target.TargetSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** A target's build: PublishTarget. */
final class TargetBuild {

    private final BuildContext ctx;

    TargetBuild(BuildContext ctx) {
        this.ctx = ctx;
    }

    /** Publishing a hosted CSV: the scope's output, with the target's custom structure and row limit applied. */
    void publish(BuildRequest r) {
        Stored target = ctx.running(r);
        TargetSpec spec = TargetSpec.KIND.parse(target.doc());
        try (InputStream in = ctx.blobs.open(Keys.scopeOutput(r.account(), spec.scopeId()));
             OutputStream out = ctx.blobs.create(Keys.targetOutput(r.account(), r.id()))) {
            TargetCsv.transform(target.doc(), in, out);
        } catch (IllegalArgumentException e) { // the target names columns or persona sets its scope does not have
            throw Problem.invalid(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
