package personae.aws;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import personae.core.port.BlobStore;
import personae.core.port.BlobStore.BlobInfo;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class S3BlobStoreTest {
    static AwsEnvironment env;
    static BlobStore store;

    @BeforeAll
    static void start() {
        env = LocalAws.freshEnvironment("blobs");
        store = env.blobStore();
    }

    @AfterAll
    static void stop() {
        if (env != null) env.close();
    }

    static void put(String key, byte[] bytes) throws IOException {
        try (OutputStream out = store.create(key)) {
            out.write(bytes);
        }
    }

    static byte[] read(String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    @Test
    void smallRoundTripHeadAndDelete() throws IOException {
        Instant before = Instant.now().minusSeconds(5);
        byte[] csv = "email,city\na@example.com,Paris\n".getBytes(StandardCharsets.UTF_8);
        put("rt/one.csv", csv);
        assertArrayEquals(csv, read("rt/one.csv"));

        BlobInfo info = store.head("rt/one.csv").orElseThrow();
        assertEquals("rt/one.csv", info.key());
        assertEquals(csv.length, info.size());
        assertTrue(info.lastModified().isAfter(before), "lastModified " + info.lastModified());

        byte[] replaced = "v2".getBytes(StandardCharsets.UTF_8);
        put("rt/one.csv", replaced);
        assertArrayEquals(replaced, read("rt/one.csv"), "create overwrites");

        store.delete("rt/one.csv");
        assertTrue(store.head("rt/one.csv").isEmpty());
        assertThrows(BlobStore.NotFoundException.class, () -> store.open("rt/one.csv"));
        store.delete("rt/one.csv"); // deleting a missing key is not an error
    }

    @Test
    void emptyAndExactlyOnePartObjects() throws IOException {
        put("edge/empty", new byte[0]);
        assertEquals(0, read("edge/empty").length);
        assertEquals(0, store.head("edge/empty").orElseThrow().size());

        byte[] onePart = new byte[S3BlobStore.PART_SIZE];
        new Random(7).nextBytes(onePart);
        put("edge/8mib", onePart);
        assertArrayEquals(onePart, read("edge/8mib"));
    }

    @Test
    void copyReplacesTheTargetWholeAndAMissingSourceIsNotFound() throws IOException {
        put("copy/v1", "first version\n".getBytes(StandardCharsets.UTF_8));
        put("copy/v2", "the second, longer version\n".getBytes(StandardCharsets.UTF_8));
        store.copy("copy/v1", "copy/target");
        assertArrayEquals(read("copy/v1"), read("copy/target"), "the copy has the source's bytes");
        store.copy("copy/v2", "copy/target");
        assertArrayEquals(read("copy/v2"), read("copy/target"), "a second copy replaces the first whole");
        assertThrows(BlobStore.NotFoundException.class, () -> store.copy("copy/none", "copy/target"));
        assertArrayEquals(read("copy/v2"), read("copy/target"), "a failed copy leaves the target as it was");
    }

    @Test
    void missingKeys() {
        assertThrows(BlobStore.NotFoundException.class, () -> store.open("nope/never-written"));
        assertTrue(store.head("nope/never-written").isEmpty());
        assertEquals(List.of(), store.list("nope/"));
    }

    @Test
    void twentyMiBStreamedAsMultipart() throws Exception {
        int size = 20 << 20;
        Random random = new Random(42);
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        byte[] all = new byte[size];
        random.nextBytes(all);
        long t0 = System.nanoTime();
        try (OutputStream out = store.create("big/20mib.bin")) {
            // odd chunk sizes and single bytes, so part boundaries fall inside writes
            int off = 0;
            int chunk = 65_537;
            while (off < size) {
                if (off % 3 == 0) {
                    out.write(all[off++]);
                    continue;
                }
                int n = Math.min(chunk, size - off);
                out.write(all, off, n);
                off += n;
            }
        }
        written.update(all);
        assertEquals(size, store.head("big/20mib.bin").orElseThrow().size());
        byte[] back = read("big/20mib.bin");
        System.out.println("[s3] 20 MiB streamed put + get in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertEquals(size, back.length);
        assertArrayEquals(written.digest(), MessageDigest.getInstance("SHA-256").digest(back));
        // it really was a multipart upload: S3 ETags of multipart objects end in -<parts>
        String etag = env.s3().headObject(b -> b.bucket(env.bucket()).key("big/20mib.bin")).eTag();
        assertTrue(etag.replace("\"", "").endsWith("-3"), "3 parts (8 + 8 + 4 MiB), ETag " + etag);
    }

    @Test
    void failedMultipartIsAbortedAndLeavesNothing() throws Exception {
        S3Client real = env.s3();
        AtomicInteger uploadParts = new AtomicInteger();
        // a client that fails the second part
        S3Client flaky = (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(),
                new Class<?>[]{S3Client.class}, (proxy, method, args) -> {
                    if (method.getName().equals("uploadPart") && uploadParts.incrementAndGet() == 2) {
                        throw S3Exception.builder().message("injected failure").statusCode(500).build();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        BlobStore failing = new S3BlobStore(flaky, env.presigner(), env.bucket());
        byte[] block = new byte[1 << 20];
        IOException e = assertThrows(IOException.class, () -> {
            try (OutputStream out = failing.create("broken/upload.bin")) {
                for (int i = 0; i < 20; i++) out.write(block);
            }
        });
        assertTrue(e.getCause().getMessage().contains("injected failure"), e.toString());
        assertEquals(2, uploadParts.get());
        assertTrue(store.head("broken/upload.bin").isEmpty(), "no object");
        assertTrue(real.listMultipartUploads(b -> b.bucket(env.bucket())).uploads().stream()
                .noneMatch(u -> u.key().equals("broken/upload.bin")), "multipart upload aborted");
    }

    @Test
    void abortPublishesNothing() throws IOException {
        S3BlobStore s3store = (S3BlobStore) store;
        S3BlobStore.Upload small = s3store.create("aborted/small");
        small.write(new byte[10]);
        small.abort();
        small.close();
        assertTrue(store.head("aborted/small").isEmpty());

        S3BlobStore.Upload big = s3store.create("aborted/big");
        big.write(new byte[S3BlobStore.PART_SIZE + 1]); // one part sent
        assertEquals(1, env.s3().listMultipartUploads(b -> b.bucket(env.bucket())).uploads().stream()
                .filter(u -> u.key().equals("aborted/big")).count(), "multipart upload started");
        big.abort();
        big.close();
        assertThrows(IOException.class, () -> big.write(1));
        assertTrue(store.head("aborted/big").isEmpty());
        assertTrue(env.s3().listMultipartUploads(b -> b.bucket(env.bucket())).uploads().stream()
                .noneMatch(u -> u.key().equals("aborted/big")), "multipart upload aborted");
    }

    @Test
    void writeToMissingBucketFailsOnClose() {
        BlobStore nowhere = new S3BlobStore(env.s3(), env.presigner(), "no-such-bucket-personae");
        assertThrows(IOException.class, () -> {
            try (OutputStream out = nowhere.create("x")) {
                out.write(1);
            }
        });
    }

    @Test
    void listIsSortedAndHonoursThePrefix() throws IOException {
        for (String k : List.of("list/b/2.csv", "list/a.csv", "list/b/1.csv", "list/B.csv", "lister/x", "other/a")) {
            put(k, k.getBytes(StandardCharsets.UTF_8));
        }
        List<BlobInfo> under = store.list("list/");
        assertEquals(List.of("list/B.csv", "list/a.csv", "list/b/1.csv", "list/b/2.csv"),
                under.stream().map(BlobInfo::key).toList());
        assertEquals("list/b/1.csv".length(), under.get(2).size());
        assertEquals(List.of("list/B.csv", "list/a.csv", "list/b/1.csv", "list/b/2.csv", "lister/x"),
                store.list("list").stream().map(BlobInfo::key).toList());
    }

    @Test
    void presignedGetServesTheBytes() throws Exception {
        byte[] body = "presigned, not public\n".getBytes(StandardCharsets.UTF_8);
        put("share/file with space.txt", body);
        URI url = store.presignGet("share/file with space.txt", Duration.ofMinutes(5));
        assertEquals(env.s3().serviceClientConfiguration().endpointOverride().orElseThrow().getAuthority(),
                url.getAuthority(), "path-style on the emulator's host:port");
        assertTrue(url.getRawPath().startsWith("/" + env.bucket() + "/share/"), url.toString());
        assertTrue(url.getRawQuery().contains("X-Amz-Signature="), url.toString());
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(url).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertArrayEquals(body, r.body());
        }
    }
}
