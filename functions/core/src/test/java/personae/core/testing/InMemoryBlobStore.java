package personae.core.testing;

import personae.core.port.BlobStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A thread-safe {@link BlobStore} in memory, for unit tests only. Like S3, an object written with {@link #create}
 * becomes visible (atomically, replacing any previous one) only when its stream is closed, and closing twice
 * publishes once.
 */
public final class InMemoryBlobStore implements BlobStore {

    private record Blob(byte[] bytes, Instant lastModified) {}

    private final ConcurrentSkipListMap<String, Blob> blobs = new ConcurrentSkipListMap<>();
    private final Clock clock;

    public InMemoryBlobStore() {
        this(Clock.systemUTC());
    }

    public InMemoryBlobStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Writer create(String key) {
        return new Writer() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            private boolean closed;

            @Override
            public synchronized void write(int b) {
                bytes.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                bytes.write(b, off, len);
            }

            @Override
            public synchronized void abort() {
                closed = true;
            }

            @Override
            public synchronized void close() {
                if (closed) return;
                closed = true;
                blobs.put(key, new Blob(bytes.toByteArray(), clock.instant()));
            }
        };
    }

    @Override
    public InputStream open(String key) {
        Blob b = blobs.get(key);
        if (b == null) throw new NotFoundException(key);
        return new ByteArrayInputStream(b.bytes());
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        Blob b = blobs.get(key);
        return b == null ? Optional.empty() : Optional.of(new BlobInfo(key, b.bytes().length, b.lastModified()));
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        List<BlobInfo> out = new ArrayList<>();
        for (Map.Entry<String, Blob> e : blobs.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) break;
            out.add(new BlobInfo(e.getKey(), e.getValue().bytes().length, e.getValue().lastModified()));
        }
        return out;
    }

    @Override
    public void copy(String from, String to) {
        Blob b = blobs.get(from);
        if (b == null) throw new NotFoundException(from);
        blobs.put(to, new Blob(b.bytes(), clock.instant()));
    }

    @Override
    public void delete(String key) {
        blobs.remove(key);
    }

    @Override
    public URI presignGet(String key, Duration ttl) {
        return URI.create("memory://blobs/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/")
                + "?expires=" + clock.instant().plus(ttl).getEpochSecond());
    }

    // ------------------------------------------------------------ test helpers

    /** Stores bytes directly (as if a stream had been written and closed). */
    public void put(String key, byte[] bytes) {
        blobs.put(key, new Blob(bytes.clone(), clock.instant()));
    }

    public void put(String key, String text) {
        put(key, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes of an object, or null. */
    public byte[] bytes(String key) {
        Blob b = blobs.get(key);
        return b == null ? null : b.bytes().clone();
    }

    /** The object as UTF-8 text, or null. */
    public String text(String key) {
        byte[] b = bytes(key);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Every key, sorted. */
    public List<String> keys() {
        return List.copyOf(blobs.keySet());
    }
}
