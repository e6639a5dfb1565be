package personae.core.pipeline;

import personae.core.Services;
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

    /** A file in the account's upload directory {@code orders}. */
    void upload(String file, String text) throws IOException {
        try (OutputStream out = blobs.create(Keys.upload(ACCOUNT, "orders", file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
