package personae.core.pipeline;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import personae.core.Services;
import personae.core.port.BlobStore;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Status;
import personae.core.testing.InMemoryBlobStore;
import personae.core.testing.InMemoryMetadataStore;
import personae.core.testing.RecordingWorkflowStarter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each dataset build writes its own folder; readers use the last published one, so a rebuild (or a failed one) never
 * shows them half-written or missing files; a resource deleted while it builds leaves nothing behind.
 */
class DatasetBuildFoldersTest {

    static final String ACCOUNT = "acct";
    InMemoryBlobStore blobs = new InMemoryBlobStore(Clock.systemUTC());
    Resources resources;
    BuildSteps steps;
    String dataset;

    @BeforeEach
    void setUp() throws IOException {
        Services services = new Services(new InMemoryMetadataStore(), blobs, new RecordingWorkflowStarter(),
                Clock.systemUTC(), Services.Settings.local());
        resources = services.resources();
        steps = new BuildSteps(services);
        upload("a.csv", "email,date,total\na@x.com,2025-01-01,10\nb@x.com,2025-01-02,20\n");
        dataset = resources.create(ACCOUNT, ResourceType.DATASETS, Json.readObject("""
                {"name": "orders", "options": {"type": "hosted_csv", "upload_directory": "orders"},
                 "identity_sets": {"c": {"email": "email"}},
                 "output_to_streams": {"orders": {"data_map": {"datetime": {"column_name": "date"},
                                                               "value": {"column_name": "total"}}}}}""")).id();
    }

    void upload(String file, String csv) throws IOException {
        try (OutputStream out = blobs.create(Keys.upload(ACCOUNT, "orders", file))) {
            out.write(csv.getBytes(StandardCharsets.UTF_8));
        }
    }

    BuildRequest request() {
        return new BuildRequest(ACCOUNT, "datasets", dataset);
    }

    String internal(String field) {
        return resources.require(ACCOUNT, ResourceType.DATASETS, dataset).internal().path(field).asText(null);
    }

    List<String> keys() {
        return blobs.list(Keys.dataset(ACCOUNT, dataset)).stream().map(BlobStore.BlobInfo::key).toList();
    }

    void build() {
        steps.ingestDataset(request());
        steps.enrichTraits(request());
        steps.markReady(request());
    }

    @Test
    void rebuildsPublishANewFolderAndKeepOnePrevious() throws IOException {
        build();
        String first = internal("output");
        assertTrue(keys().contains(Keys.datasetBuild(ACCOUNT, dataset, first) + Keys.PEOPLE), keys().toString());

        upload("b.csv", "email,date,total\nc@x.com,2025-01-03,30\n");
        steps.ingestDataset(request());
        assertEquals(first, internal("output"), "readers keep the published build while the next one is written");
        steps.enrichTraits(request());
        steps.markReady(request());
        String second = internal("output");
        assertNotEquals(first, second);
        assertEquals(first, internal("previous_output"));
        assertEquals(3, resources.require(ACCOUNT, ResourceType.DATASETS, dataset).doc().path("identified_count").asInt());

        build();
        assertTrue(keys().stream().noneMatch(k -> k.contains("/builds/" + first + "/")), "two generations back is gone");
        assertTrue(keys().stream().anyMatch(k -> k.contains("/builds/" + second + "/")), "the previous one stays");
    }

    @Test
    void aFailedBuildIsDiscardedAndTheLastGoodOneStays() throws IOException {
        build();
        String good = internal("output");
        upload("bad.csv", "email,date,total\nd@x.com,not a date,1\n");
        try {
            steps.ingestDataset(request());
        } catch (RuntimeException expected) {
            steps.markError(request(), expected.getMessage());
        }
        assertEquals(Status.ERROR, resources.require(ACCOUNT, ResourceType.DATASETS, dataset).status());
        assertEquals(good, internal("output"));
        assertNull(internal("building"));
        assertTrue(keys().stream().allMatch(k -> k.contains("/builds/" + good + "/")), keys().toString());
    }

    @Test
    void aDatasetDeletedWhileItBuildsLeavesNoFiles() {
        steps.ingestDataset(request());
        steps.enrichTraits(request());
        resources.delete(resources.require(ACCOUNT, ResourceType.DATASETS, dataset));
        steps.markReady(request());
        assertEquals(List.of(), keys());
    }

    @Test
    void aDatasetWhoseRowsIdentifyNobodyFailsNamingTheMappingToFix() throws IOException {
        blobs.deleteAll(Keys.uploadDirectory(ACCOUNT, "orders"));
        upload("ids.csv", "email,date,total\n17850,2025-01-01,10\n13047,2025-01-02,20\n"); // a customer id as email
        var e = org.junit.jupiter.api.Assertions.assertThrows(personae.core.Problem.class, () -> steps.ingestDataset(request()));
        assertTrue(e.getMessage().contains("identity_sets 'c' (email: email)") && e.getMessage().contains("2 rows"),
                "the error names the identity set, its mapping and the rows read: " + e.getMessage());
        assertTrue(e.getMessage().contains("the email column 'email' holds no email addresses")
                        && e.getMessage().contains("list its column in reference_key_columns"),
                "the error says which column holds no emails and how to map an id instead: " + e.getMessage());
        steps.markError(request(), e.getMessage());
        assertNull(internal("building"), "the failed build's folder is discarded");
        assertEquals(Status.ERROR, resources.require(ACCOUNT, ResourceType.DATASETS, dataset).status());
    }
}
