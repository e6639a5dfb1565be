package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import personae.core.resource.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent writes over HTTP against the local runtime's real storage (DynamoDB Local + S3Mock): uploads of one path
 * leave a listed size and MD5 that describe the bytes GET returns (and the bytes datasets read), and concurrent
 * PATCHes of one cohort all succeed or answer 409, never a 5xx, leaving a consistent record.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentWritesHttpTest {

    static final String KEY = "concurrent-test-key-0123456789";

    Path dataDir;
    LocalRuntime runtime;
    HttpClient http;
    String base;

    @BeforeAll
    void start() throws IOException {
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-concurrent-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
        base = runtime.baseUrl();
        http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    private HttpResponse<byte[]> send(String method, String path, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) b.header("Content-Type", type);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    @Test
    void thirtyParallelUploadsOfOnePathLeaveAListingThatDescribesTheStoredBytes() throws Exception {
        int n = 30;
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder csv = new StringBuilder("id,value\n");
            for (int r = 0; r <= i * 37; r++) csv.append(r).append(",upload-").append(i).append('\n');
            contents.add(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
            for (byte[] c : contents) answers.add(pool.submit(() -> send("POST", "/uploads/race/same.csv", "application/octet-stream", c)));
            for (Future<HttpResponse<byte[]>> f : answers) {
                statuses.merge(f.get().statusCode(), 1, Integer::sum);
                if (f.get().statusCode() != 200) System.out.println("[ConcurrentWritesHttpTest] " + new String(f.get().body(), StandardCharsets.UTF_8));
            }
        }
        System.out.println("[ConcurrentWritesHttpTest] 30 parallel uploads of one path: " + statuses);
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 200 || s == 409), "every upload is 200 or 409: " + statuses);

        JsonNode listed = null;
        for (JsonNode u : Json.read(new String(send("GET", "/uploads", null, null).body(), StandardCharsets.UTF_8))) {
            if (u.path("subpath").asText().equals("race/same.csv")) listed = u;
        }
        assertTrue(listed != null, "the file is listed");
        byte[] got = send("GET", "/uploads/race/same.csv", null, null).body();
        assertEquals(got.length, listed.path("file_size").asLong(), "the listed size is the size of the bytes GET returns");
        assertEquals(md5(got), listed.path("md5_hash").asText(), "the listed MD5 is the MD5 of the bytes GET returns");
        Set<String> sent = new java.util.HashSet<>();
        for (byte[] c : contents) sent.add(md5(c));
        assertTrue(sent.contains(md5(got)), "the stored file is one of the uploads, whole");
        byte[] datasetsRead;
        try (InputStream in = runtime.services().blobs().open("uploads/" + runtime.accountId() + "/race/same.csv")) {
            datasetsRead = in.readAllBytes();
        }
        assertArrayEquals(got, datasetsRead, "the file datasets read is the listed one");
        long versions = runtime.services().blobs().list("upload-versions/" + runtime.accountId() + "/").size();
        assertEquals(1, versions, "superseded versions are deleted: one version is kept per uploaded path");
    }

    @Test
    void fiftyParallelPatchesOfOneCohortAreNever5xxAndLeaveAConsistentRecord() throws Exception {
        HttpResponse<byte[]> created = send("POST", "/cohorts", "application/json",
                "{\"name\": \"start\", \"stream_name\": \"orders\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, created.statusCode(), new String(created.body(), StandardCharsets.UTF_8));
        String id = Json.read(new String(created.body(), StandardCharsets.UTF_8)).path("id").asText();
        int n = 50;
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> bad = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] body = ("{\"name\": \"name-" + i + "\", \"min_count\": " + (i + 1) + "}").getBytes(StandardCharsets.UTF_8);
                answers.add(pool.submit(() -> send("PATCH", "/cohorts/" + id, "application/merge-patch+json", body)));
            }
            for (Future<HttpResponse<byte[]>> f : answers) {
                HttpResponse<byte[]> r = f.get();
                statuses.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() >= 500) bad.add(new String(r.body(), StandardCharsets.UTF_8));
            }
        }
        System.out.println("[ConcurrentWritesHttpTest] 50 parallel PATCHes of one cohort: " + statuses);
        assertTrue(bad.isEmpty(), "no PATCH is a 5xx: " + bad);
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 200 || s == 409), "every PATCH is 200 or 409: " + statuses);
        JsonNode cohort = Json.read(new String(send("GET", "/cohorts/" + id, null, null).body(), StandardCharsets.UTF_8));
        String name = cohort.path("name").asText();
        assertTrue(name.startsWith("name-"), "the final name is one of the PATCHes': " + name);
        int i = Integer.parseInt(name.substring(5));
        assertEquals(i + 1, cohort.path("min_count").asInt(), "name and min_count come from the same PATCH (no torn write)");
        Set<String> fields = new java.util.TreeSet<>();
        cohort.fieldNames().forEachRemaining(fields::add);
        assertTrue(fields.containsAll(Set.of("id", "status", "created_at", "updated_at")), "the record is whole: " + fields);
        assertTrue(statuses.getOrDefault(200, 0) >= 1, "some PATCHes succeed: " + statuses);
        System.out.println("[ConcurrentWritesHttpTest] final cohort name " + name + ", status " + cohort.path("status").asText()
                + ", fields " + fields.stream().collect(Collectors.joining(",")));
    }
}
