package personae.local;

import com.sun.net.httpserver.HttpExchange;
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
    void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                text(exchange, 405, "only GET and HEAD");
                return;
            }
            URI uri = exchange.getRequestURI();
            SigV4.Request request = new SigV4.Request(method, uri.getRawPath(), uri.getRawQuery(), name -> {
                List<String> v = exchange.getRequestHeaders().get(name);
                return v == null ? List.of() : v;
            });
            Optional<String> problem = SigV4.verify(request, credentials, clock.instant());
            if (problem.isPresent()) {
                text(exchange, 403, "Access denied: " + problem.get()
                        + " (files are reachable through a fresh signed URL, e.g. a target's options.output_url,"
                        + " or through the API with a key)");
                return;
            }
            String path = uri.getPath();
            String start = PREFIX + "/" + bucket + "/";
            if (!path.startsWith(start) || path.length() == start.length()) {
                text(exchange, 404, "no such file");
                return;
            }
            String key = path.substring(start.length());
            Optional<BlobStore.BlobInfo> info = blobs.head(key);
            if (info.isEmpty()) {
                text(exchange, 404, "no such file");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", key.endsWith(".csv") ? "text/csv; charset=utf-8"
                    : key.endsWith(".json") ? "application/json" : "application/octet-stream");
            exchange.getResponseHeaders().set("Cache-Control", "private, no-store");
            if (method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Long.toString(info.get().size()));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, info.get().size() == 0 ? -1 : info.get().size());
            if (info.get().size() == 0) return;
            try (InputStream in = blobs.open(key); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    private static void text(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        S3Presigner p = presigner;
        if (p != null) p.close();
    }
}
