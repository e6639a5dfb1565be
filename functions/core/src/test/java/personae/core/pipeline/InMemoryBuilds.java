package personae.core.pipeline;

import personae.core.Services;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.testing.InMemoryBlobStore;
import personae.core.testing.InMemoryMetadataStore;
import personae.core.testing.RecordingWorkflowStarter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** The build steps over in-memory ports, for tests that run whole builds step by step in one account. */
final class InMemoryBuilds {

    static final String ACCOUNT = "acct";

    final InMemoryBlobStore blobs = new InMemoryBlobStore(Clock.systemUTC());
    final Services services = new Services(new InMemoryMetadataStore(), blobs, new RecordingWorkflowStarter(),
            Clock.systemUTC(), Services.Settings.local());
    final Resources resources = services.resources();
    final BuildSteps steps = new BuildSteps(services);

    /** Creates a dataset from its body and builds it to ready (ingest, enrich, mark ready); its id. */
    String readyDataset(String body) {
        String id = resources.create(ACCOUNT, ResourceType.DATASETS, Json.readObject(body)).id();
        BuildRequest d = new BuildRequest(ACCOUNT, "datasets", id);
        steps.ingestDataset(d);
        steps.enrichTraits(d);
        steps.markReady(d);
        return id;
    }

    /** Creates a cohort from its body and builds it to ready; its id. */
    String readyCohort(String body) {
        String id = resources.create(ACCOUNT, ResourceType.COHORTS, Json.readObject(body)).id();
        steps.buildCohort(new BuildRequest(ACCOUNT, "cohorts", id));
        steps.markReady(new BuildRequest(ACCOUNT, "cohorts", id));
        return id;
    }

    /** Builds a persona set that exists (cluster, name), then marks it ready. */
    void readyPersonaSet(String id) {
        BuildRequest p = new BuildRequest(ACCOUNT, "persona_sets", id);
        steps.clusterPersonas(p);
        steps.namePersonas(p);
        steps.markReady(p);
    }

    /** A file in the account's upload directory {@code orders}. */
    void upload(String file, String text) throws IOException {
        upload("orders", file, text);
    }

    /** A file in one of the account's upload directories. */
    void upload(String directory, String file, String text) throws IOException {
        try (OutputStream out = blobs.create(Keys.upload(ACCOUNT, directory, file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
