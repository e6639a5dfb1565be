package personae.core.api;

import personae.core.Problem;
import personae.core.Services;
import personae.core.api.Router.Call;
import personae.core.pipeline.Keys;
import personae.core.pipeline.TargetPublication;
import personae.core.port.BlobStore;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Resources.Stored;
import personae.core.resource.Status;
import personae.core.target.TargetCsv;

import java.io.InputStream;

/**
 * {@code GET /v1/targets/{id}/download.csv}: the CSV in the body (as Faraday's tutorial curl expects, no -L), or,
 * above the inline limit, a 302 to a presigned URL of the same file. A target still building is waited for briefly.
 */
final class Downloads {

    private final Services services;
    private final Resources resources;

    Downloads(Services services) {
        this.services = services;
        this.resources = services.resources();
    }

    ApiResponse download(Call c) throws InterruptedException {
        String id = c.param("id");
        Stored t = resources.require(c.account(), ResourceType.TARGETS, id);
        LookupRoutes.refuseCsv(t);
        long deadline = System.nanoTime() + services.settings().downloadWait().toNanos();
        while (t.status() != Status.READY && t.status() != Status.ERROR && System.nanoTime() < deadline) {
            Thread.sleep(250);
            t = resources.require(c.account(), ResourceType.TARGETS, id);
        }
        if (t.status() == Status.ERROR) {
            throw ApiError.conflict("Target " + id + " failed to build: " + Json.text(t.doc(), "status_error"));
        }
        if (t.status() != Status.READY) {
            throw ApiError.conflict("Target " + id + " is still building (status " + t.status().wire()
                    + "); try again in a few seconds");
        }
        String key = Keys.targetOutput(c.account(), id);
        var blob = services.blobs().head(key);
        if (blob.isEmpty()) throw missing(id);
        if (blob.get().size() > services.settings().inlineDownloadLimit()) {
            return ApiResponse.redirect(services.blobs().presignGet(key, services.settings().presignTtl()).toString());
        }
        boolean gzip = t.doc().path("options").path("gzip").asBoolean(false);
        InputStream opened;
        try {
            opened = services.blobs().open(key); // here, not in the body: a missing file is an error, not an empty 200
        } catch (BlobStore.NotFoundException e) {
            throw missing(id);
        }
        ApiResponse r = new ApiResponse(200, PersonaeApi.csvHeaders(), out -> {
            try (InputStream in = opened) {
                in.transferTo(out);
            }
        });
        return gzip ? r.withHeader("Content-Encoding", "gzip") : r;
    }

    /**
     * {@code POST /v1/targets/{id}/preview}: the target's first {@value TargetPublication#PREVIEW_ROWS} rows, built
     * now (reading the scope's output only as far as they need, except an aggregated target, which counts every row
     * into at most that many areas, and a hashed one, which shuffles its first rows), into a file beside the target's
     * own; the answer is the reference's {@code {message, target_id}} plus the rows written and a presigned
     * {@code output_url} of the preview. The target's status and file are unchanged. A scope that has been built reads
     * its last build's output while it rebuilds; one never built is a 409.
     */
    ApiResponse preview(Call c) {
        String id = c.param("id");
        Stored t = resources.require(c.account(), ResourceType.TARGETS, id);
        LookupRoutes.refuseCsv(t);
        String scopeId = Json.text(t.doc(), "scope_id");
        Stored scope = resources.require(c.account(), ResourceType.SCOPES, scopeId);
        // a scope rebuilding (a new dataset relinks every cohort's people) previews from its last build's output
        if (scope.status() != Status.READY && !scope.doc().hasNonNull("last_updated_output_at")) {
            throw Problem.conflict("Target " + id + " cannot be previewed yet: its scope " + scopeId + " is "
                    + scope.status().wire() + (scope.status() == Status.ERROR ? " (" + Json.text(scope.doc(),
                    "status_error") + ")" : "; try again when it is ready"));
        }
        String key = Keys.targetPreview(c.account(), id);
        TargetCsv.Result result = TargetPublication.write(services, t, key, TargetPublication.PREVIEW_ROWS);
        var body = Json.MAPPER.createObjectNode()
                .put("message", "Preview of target " + id + " built: " + result.rows() + " rows (at most "
                        + TargetPublication.PREVIEW_ROWS + "); download it from output_url")
                .put("target_id", id)
                .put("row_count", result.rows())
                .put("output_url", services.blobs().presignGet(key, services.settings().presignTtl()).toString());
        body.set("final_structure", result.structure());
        return PersonaeApi.ok(body);
    }

    /** A ready target whose file is gone (deleted from the bucket by hand, or lost): say how to get it back. */
    private static Problem missing(String id) {
        return Problem.conflict("Target " + id + " is ready but its CSV file is missing from storage; rebuild it"
                + " (PATCH /v1/targets/" + id + " with the body {}) and download it again");
    }
}
