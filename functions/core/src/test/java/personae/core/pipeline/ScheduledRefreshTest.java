package personae.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import personae.core.Services;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduled refresh with an injected clock: a due dataset with new files rebuilds, a not-due one does not. */
class ScheduledRefreshTest {

    static final String ACCOUNT = "acct";
    BuildsTest.MutableClock clock = new BuildsTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    RecordingWorkflowStarter workflows = new RecordingWorkflowStarter();
    Services services;
    Resources resources;
    ScheduledRefresh refresh;

    @BeforeEach
    void setUp() throws IOException {
        services = new Services(new InMemoryMetadataStore(), new InMemoryBlobStore(clock), workflows, clock,
                Services.Settings.local());
        resources = services.resources();
        refresh = new ScheduledRefresh(services);
        upload("orders", "jan.csv");
    }

    void upload(String directory, String file) throws IOException {
        try (OutputStream out = services.blobs().create(Keys.uploadDirectory(ACCOUNT, directory) + file)) {
            out.write("email,total\na@x.com,1\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A ready dataset on {@code directory} whose last build read the directory as it is now. */
    String readyDataset(String name, String directory, String refreshJson) {
        ObjectNode fields = Json.object();
        fields.put("name", name);
        fields.putObject("options").put("type", "hosted_csv").put("upload_directory", directory);
        if (refreshJson != null) fields.set(RefreshSchedule.FIELD, Json.read(refreshJson));
        String id = resources.create(ACCOUNT, ResourceType.DATASETS, fields).id();
        String seen = ScheduledRefresh.fingerprint(services.blobs().list(Keys.uploadDirectory(ACCOUNT, directory)));
        resources.update(ACCOUNT, ResourceType.DATASETS, id, s -> s.internal().put(ScheduledRefresh.INPUT_FILES, seen));
        resources.setStatus(ACCOUNT, ResourceType.DATASETS, id, Status.READY, null);
        return id;
    }

    String lastResult(String id) {
        return resources.require(ACCOUNT, ResourceType.DATASETS, id).doc().path(ScheduledRefresh.LAST_REFRESH)
                .path("result").asText(null);
    }

    @Test
    void aDailyRefreshRunsOncePerDayAtItsTimeAndRebuildsOnlyWhenThereAreNewFiles() throws IOException {
        String daily = readyDataset("daily", "orders", "{\"every\": \"day\", \"at\": \"06:00\"}");

        clock.advance(Duration.ofHours(5)); // 05:00, before the first slot
        assertEquals(List.of(), refresh.runDue(), "nothing is due before 06:00");

        clock.advance(Duration.ofMinutes(90)); // 06:30
        assertEquals(List.of(new ScheduledRefresh.Outcome(ACCOUNT, daily, "no_new_files")), refresh.runDue());
        assertEquals("no_new_files", lastResult(daily), "the dataset says its refresh found nothing new");
        assertEquals(List.of(), workflows.requests(), "a refresh without new files changes nothing");

        clock.advance(Duration.ofMinutes(30)); // 07:00: the 06:00 slot is done
        assertEquals(List.of(), refresh.runDue(), "a slot runs once");

        upload("orders", "feb.csv");
        clock.advance(Duration.ofHours(23)); // 06:00 the next day
        assertEquals(List.of(new ScheduledRefresh.Outcome(ACCOUNT, daily, "rebuilt")), refresh.runDue());
        assertEquals(List.of(new BuildRequest(ACCOUNT, "datasets", daily)), workflows.requests(),
                "new files in the directory: the dataset rebuilds");
        assertEquals(Status.NEW, resources.require(ACCOUNT, ResourceType.DATASETS, daily).status());
    }

    @Test
    void aDatasetWithoutAScheduleOrNotDueIsLeftAlone() throws IOException {
        readyDataset("manual", "orders", null);
        String weekly = readyDataset("weekly", "orders", "{\"every\": \"week\", \"on\": \"friday\", \"at\": \"09:30\"}");
        upload("orders", "new.csv");
        clock.advance(Duration.ofHours(24)); // Friday 2026-01-02 00:00, before 09:30
        assertEquals(List.of(), refresh.runDue(), "the weekly slot is Friday 09:30");
        clock.advance(Duration.ofHours(10)); // Friday 10:00
        assertEquals(List.of(new ScheduledRefresh.Outcome(ACCOUNT, weekly, "rebuilt")), refresh.runDue(),
                "only the scheduled dataset refreshes");
        assertEquals(List.of(new BuildRequest(ACCOUNT, "datasets", weekly)), workflows.requests());
    }

    @Test
    void anHourlyRefreshIsDueAtTheStartOfEachHour() {
        RefreshSchedule hourly = RefreshSchedule.of(Json.read("{\"refresh\": {\"every\": \"hour\"}}"));
        Instant last = Instant.parse("2026-01-01T10:00:00Z");
        assertTrue(!hourly.isDue(last, Instant.parse("2026-01-01T10:59:59Z")), "not within the same hour");
        assertTrue(hourly.isDue(last, Instant.parse("2026-01-01T11:00:00Z")), "due at the next hour");
    }
}
