package personae.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import personae.core.Services;
import personae.core.api.Uploads;
import personae.core.pipeline.Keys;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The drop folder: an object created under {@code uploads/{account}/{directory}/{file}} in the data bucket (the way in
 * for files above API Gateway's 10 MB request cap) is registered as an upload, and the datasets reading that directory
 * rebuild. Objects the API already registered are skipped.
 */
public final class UploadFolderHandler implements RequestHandler<S3Event, String> {

    private final Services services;
    private final Uploads uploads;

    public UploadFolderHandler() {
        this(LambdaServices.get());
    }

    public UploadFolderHandler(Services services) {
        this.services = services;
        this.uploads = new Uploads(services);
    }

    @Override
    public String handleRequest(S3Event event, Context context) {
        List<String> done = new ArrayList<>();
        for (var record : event.getRecords()) {
            String key = record.getS3().getObject().getUrlDecodedKey();
            String[] parts = key.startsWith(Keys.UPLOADS) ? key.substring(Keys.UPLOADS.length()).split("/") : new String[0];
            if (parts.length != 3) {
                done.add("skipped " + key + ": expected uploads/{account}/{directory}/{file}");
                continue;
            }
            String account = parts[0];
            String dir = parts[1];
            String file = parts[2];
            if (services.resources().find(account, ResourceType.ACCOUNTS, account).isEmpty()) {
                done.add("skipped " + key + ": no account " + account);
                continue;
            }
            if (record.getEventName() != null && record.getEventName().endsWith(":Copy")
                    && apiManaged(account, dir + "/" + file)) {
                done.add("skipped " + key + ": the API's own copy of an upload");
                continue;
            }
            if (alreadyRegistered(account, key, dir + "/" + file)) {
                done.add("already registered " + key);
                continue;
            }
            String problem = uploads.register(account, dir, file);
            done.add(problem == null ? "registered " + key : "registered " + key + " (not valid CSV: " + problem + ")");
        }
        String summary = String.join("\n", done);
        if (context != null) context.getLogger().log(summary);
        return summary;
    }

    /** An upload the API stored: its record names the version it copies to the upload folder. */
    private boolean apiManaged(String account, String subpath) {
        return services.resources().find(account, ResourceType.UPLOADS, subpath)
                .map(s -> s.doc().path("_internal").hasNonNull("object")).orElse(false);
    }

    /** The API records an upload after storing it: a record newer than the object means this event is the API's own. */
    private boolean alreadyRegistered(String account, String key, String subpath) {
        var blob = services.blobs().head(key);
        var item = services.resources().find(account, ResourceType.UPLOADS, subpath);
        if (blob.isEmpty() || item.isEmpty()) return false;
        Instant recorded = Instant.parse(Json.text(item.get().doc(), "created_at"));
        return item.get().doc().path("file_size").asLong() == blob.get().size()
                && !recorded.isBefore(blob.get().lastModified().minusSeconds(1));
    }
}
