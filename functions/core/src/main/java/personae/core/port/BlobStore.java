package personae.core.port;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where per-person data and user files live (S3 in production, S3Mock locally).
 * Keys are plain slash-separated paths; see docs/architecture.md for the layout.
 */
public interface BlobStore {

    /** Opens a stream for writing; the object becomes visible when the stream is closed. Any size. */
    Writer create(String key);

    /**
     * An object being written: {@code close()} publishes it; {@code abort()} discards it, leaving any previous object
     * under the key as it was (a failed upload must not replace a good file with half of a new one).
     */
    abstract class Writer extends OutputStream {
        /** Discards what was written; a later {@code close()} does nothing. */
        public abstract void abort();
    }

    /** Reads an object. Throws {@link NotFoundException} when the key does not exist. */
    InputStream open(String key);

    /** Size and last modification of an object, if it exists. */
    Optional<BlobInfo> head(String key);

    /** Every object under a prefix, sorted by key. */
    List<BlobInfo> list(String prefix);

    /**
     * Copies an object within the store: readers of {@code to} see the previous object or the copy, whole, never a
     * part (S3's CopyObject). Throws {@link NotFoundException} when {@code from} does not exist. It exists because S3
     * has no rename: an upload is written once to a key of its own and copied to where datasets read it.
     */
    void copy(String from, String to);

    /** Deletes an object; deleting a missing key is not an error. */
    void delete(String key);

    /** Deletes every object under a prefix. */
    default void deleteAll(String prefix) {
        for (BlobInfo b : list(prefix)) delete(b.key());
    }

    /** A time-limited URL that lets anyone holding it GET the object. */
    URI presignGet(String key, Duration ttl);

    /** One stored object. */
    record BlobInfo(String key, long size, java.time.Instant lastModified) {}

    /** The key was not found. */
    final class NotFoundException extends RuntimeException {
        public NotFoundException(String key) {
            super("no such object: " + key);
        }
    }
}
