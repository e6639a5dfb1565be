package personae.core.pipeline;

import personae.core.Services;
import personae.core.ingest.CsvFiles;
import personae.core.port.BlobStore.BlobInfo;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Resources.Stored;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;

/**
 * The datasets' {@link RefreshSchedule}s, run by a clock tick (hourly on AWS from EventBridge Scheduler, every minute
 * on the local runtime): a dataset whose slot has come looks at its upload directory; if the files differ from those
 * its last build read, it rebuilds (and everything built from it follows, as after an upload); if not, nothing changes
 * and its {@code last_refresh} says so. Each dataset's outcome is its read-only {@code last_refresh}
 * ({@code {"at", "result": "rebuilt" | "no_new_files"}}).
 */
public final class ScheduledRefresh {

    /** In a dataset's internal state: the fingerprint of the files its last ingestion read. */
    static final String INPUT_FILES = "input_files";
    public static final String LAST_REFRESH = "last_refresh";

    private static final Logger LOG = Logger.getLogger(ScheduledRefresh.class.getName());

    private final Services services;
    private final Resources resources;
    private final Builds builds;

    public ScheduledRefresh(Services services) {
        this.services = services;
        this.resources = services.resources();
        this.builds = new Builds(services);
    }

    /** One due dataset's outcome. */
    public record Outcome(String account, String datasetId, String result) {}

    /** Runs every due refresh of every account; returns what each due dataset did. */
    public List<Outcome> runDue() {
        Instant now = services.clock().instant();
        List<Outcome> out = new ArrayList<>();
        for (String account : services.metadata().accounts()) {
            for (Stored ds : resources.list(account, ResourceType.DATASETS)) {
                RefreshSchedule schedule = RefreshSchedule.of(ds.doc());
                if (schedule == null) continue;
                String lastText = Json.text(ds.doc().path(LAST_REFRESH), "at");
                Instant last = Instant.parse(lastText != null ? lastText : Json.text(ds.doc(), "created_at"));
                if (!schedule.isDue(last, now)) continue;
                out.add(refresh(ds, now));
            }
        }
        return out;
    }

    private Outcome refresh(Stored ds, Instant now) {
        String directory = Json.text(ds.doc().path("options"), "upload_directory");
        String seen = fingerprint(services.blobs().list(Keys.uploadDirectory(ds.account(), directory)));
        boolean changed = !seen.equals(ds.internal().path(INPUT_FILES).asText(""));
        String result = changed ? "rebuilt" : "no_new_files";
        resources.update(ds.account(), ResourceType.DATASETS, ds.id(), s -> s.doc().putObject(LAST_REFRESH)
                .put("at", now.toString()).put("result", result));
        if (changed) builds.request(ds.account(), ResourceType.DATASETS, ds.id());
        LOG.info(() -> "scheduled refresh of dataset " + ds.id() + " (" + ds.name() + "): " + result);
        return new Outcome(ds.account(), ds.id(), result);
    }

    /** One uploaded file as it is now: its key and upload time (a file uploaded again is another version). */
    static String fileVersion(BlobInfo file) {
        return file.key() + "@" + file.lastModified();
    }

    /** The readable files of a directory, by key and upload time, as one string (the same files give the same one). */
    static String fingerprint(List<BlobInfo> files) {
        StringBuilder b = new StringBuilder();
        files.stream().filter(f -> CsvFiles.isReadable(f.key())).sorted(Comparator.comparing(BlobInfo::key))
                .forEach(f -> b.append(fileVersion(f)).append('\n'));
        return personae.core.util.Hashes.sha256Hex(b.toString());
    }
}
