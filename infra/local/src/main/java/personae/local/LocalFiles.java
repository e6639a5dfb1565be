package personae.local;

import personae.core.port.BlobStore;
import personae.emulators.SigV4;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;

/**
 * Presigned GETs of the local runtime, served by its own HTTP server rather than by S3Mock: a URL such as
 * {@code http://127.0.0.1:8080/files/personae-local/targets/<account>/<id>/output.csv?X-Amz-...&X-Amz-Signature=...}
 * is signed by the SDK's presigner (SigV4, with the credentials kept in the data directory) and verified here with
 * {@link SigV4} before the object is streamed from the {@link BlobStore}. So a URL stays valid across restarts on the
 * same port and data directory (S3Mock's port changes at every start), until it expires; a tampered or expired one,
 * or a plain GET, gets 403.
 */
final class LocalFiles implements AutoCloseable {

    /** The HTTP path prefix of the files. */
    static final String PREFIX = "/files";

    private final BlobStore blobs;
    private final String bucket;
    private final SigV4.Credentials credentials;
    private final Clock clock;
    private volatile S3Presigner presigner;

    LocalFiles(BlobStore blobs, String bucket, SigV4.Credentials credentials, Clock clock) {
        this.blobs = Objects.requireNonNull(blobs);
        this.bucket = Objects.requireNonNull(bucket);
        this.credentials = Objects.requireNonNull(credentials);
        this.clock = clock;
    }

    /** Called once the HTTP server listens: URLs name this port. */
    void listening(int port) {
        presigner = S3Presigner.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port + PREFIX))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    URI presign(String key, Duration ttl) {
        S3Presigner p = presigner;
        if (p == null) throw new IllegalStateException("the local HTTP server is not listening yet");
        try {
            return p.presignGetObject(r -> r.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(key)))
                    .url().toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code blobs}, with presigned URLs pointing here. */
    BlobStore presigningHere(BlobStore inner) {
        return new BlobStore() {
            @Override
            public Writer create(String key) {
                return inner.create(key);
            }

            @Override
            public InputStream open(String key) {
                return inner.open(key);
            }

            @Override
            public Optional<BlobInfo> head(String key) {
                return inner.head(key);
            }

            @Override
            public List<BlobInfo> list(String prefix) {
                return inner.list(prefix);
            }

            @Override
            public void delete(String key) {
                inner.delete(key);
            }

            @Override
            public void deleteAll(String prefix) {
                inner.deleteAll(prefix);
            }

            @Override
            public void copy(String from, String to) {
                inner.copy(from, to);
            }

            @Override
            public URI presignGet(String key, Duration ttl) {
                return presign(key, ttl);
            }
        };
    }

    /** Answers a request under {@link #PREFIX}. */
    void serve(HttpCall call) throws IOException {
        String method = call.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            text(call, 405, "only GET and HEAD");
            return;
        }
        SigV4.Request request = new SigV4.Request(method, call.rawPath(), call.rawQuery(), call::header);
        Optional<String> problem = SigV4.verify(request, credentials, clock.instant());
        if (problem.isPresent()) {
            text(call, 403, "Access denied: " + problem.get()
                    + " (files are reachable through a fresh signed URL, e.g. a target's options.output_url,"
                    + " or through the API with a key)");
            return;
        }
        String path = java.net.URLDecoder.decode(call.rawPath().replace("+", "%2B"), StandardCharsets.UTF_8);
        String start = PREFIX + "/" + bucket + "/";
        if (!path.startsWith(start) || path.length() == start.length()) {
            text(call, 404, "no such file");
            return;
        }
        String key = path.substring(start.length());
        Optional<BlobStore.BlobInfo> info = blobs.head(key);
        if (info.isEmpty()) {
            text(call, 404, "no such file");
            return;
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Content-Type", key.endsWith(".csv") ? "text/csv; charset=utf-8"
                : key.endsWith(".json") ? "application/json" : "application/octet-stream");
        headers.put("Cache-Control", "private, no-store");
        if (method.equals("HEAD")) {
            headers.put("Content-Length", Long.toString(info.get().size()));
            call.respond(200, headers, -1).close();
            return;
        }
        try (OutputStream out = call.respond(200, headers, info.get().size())) {
            if (info.get().size() > 0) {
                try (InputStream in = blobs.open(key)) {
                    in.transferTo(out);
                }
            }
        }
    }

    private static void text(HttpCall call, int status, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = call.respond(status, Map.of("Content-Type", "text/plain; charset=utf-8"), body.length)) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        S3Presigner p = presigner;
        if (p != null) p.close();
    }
}
