package personae.core;

import personae.core.port.BlobStore;
import personae.core.port.MetadataStore;
import personae.core.port.Notifier;
import personae.core.port.WorkflowStarter;
import personae.core.resource.Resources;

import java.time.Clock;
import java.time.Duration;

/**
 * Everything the domain needs from the outside world: the four ports, a clock and the settings. Built once per
 * process by the Lambda handlers (AWS adapters) or the local runtime (the same adapters, pointed at the emulators).
 */
public record Services(MetadataStore metadata, BlobStore blobs, WorkflowStarter workflows, Clock clock,
                       Settings settings, Notifier notifier) {

    /** Services whose status changes are only logged ({@link Notifier#LOG_ONLY}). */
    public Services(MetadataStore metadata, BlobStore blobs, WorkflowStarter workflows, Clock clock, Settings settings) {
        this(metadata, blobs, workflows, clock, settings, Notifier.LOG_ONLY);
    }

    /** The same services, telling {@code other} of status changes. */
    public Services withNotifier(Notifier other) {
        return new Services(metadata, blobs, workflows, clock, settings, other);
    }

    public Resources resources() {
        return new Resources(metadata, clock);
    }

    /**
     * @param inlineDownloadLimit bytes up to which {@code download.csv} answers with the CSV in the body; above it the
     *                            answer is a redirect to a presigned URL (Lambda responses stop at 6 MB)
     * @param uploadBodyLimit     largest upload accepted through the API, or -1 for no limit (local runtime); on AWS
     *                            larger files go through the bucket's upload folder
     * @param presignTtl          how long presigned URLs stay valid
     * @param downloadWait        how long {@code download.csv} waits for a target that is still building
     * @param dropFolder          where files above {@code uploadBodyLimit} go instead (named in the 413 error)
     */
    public record Settings(long inlineDownloadLimit, long uploadBodyLimit, Duration presignTtl, Duration downloadWait,
                           String dropFolder) {
        /**
         * 3 MiB inline downloads (Lambda responses stop at 6 MB, and a gzip body grows by a third in base64, quoted CSV
         * by its escaped quotes in the response JSON) and 4 MiB uploads (a base64 body must stay under Lambda's 6 MB
         * payload).
         *
         * @param bucket the data bucket, whose {@code uploads/} folder takes larger files
         */
        public static Settings lambda(String bucket) {
            return new Settings(3L << 20, 4L << 20, Duration.ofHours(1), Duration.ofSeconds(20),
                    "s3://" + bucket + "/uploads/");
        }

        /** The local runtime streams both ways, so neither limit applies. */
        public static Settings local() {
            return new Settings(Long.MAX_VALUE, -1, Duration.ofHours(1), Duration.ofSeconds(60), null);
        }
    }
}
