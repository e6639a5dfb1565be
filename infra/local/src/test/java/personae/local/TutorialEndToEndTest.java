package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import personae.core.ingest.Identity;
import personae.core.sample.OrdersGenerator;
import personae.local.Tutorial.Answer;
import smile.validation.metric.AdjustedRandIndex;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The persona tutorial end to end over HTTP against the local runtime (DynamoDB Local + S3Mock in-process, the real
 * state machine definition): six requests back to back, each resource awaited, the CSV downloaded and checked; then a
 * restart on the same data directory keeps everything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class TutorialEndToEndTest {

    public static final Path SAMPLE = Path.of("samples/orders.csv");
    static final String KEY = "e2e-test-key-0123456789";
    static final Duration BUILD = Duration.ofMinutes(3);

    Path dataDir;
    LocalRuntime runtime;
    Tutorial tutorial;

    @BeforeAll
    void start() throws IOException {
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-e2e-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
        tutorial = new Tutorial(runtime.baseUrl(), KEY);
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    @Test
    void tutorialProducesOneNamedPersonaPerIdentifiedCustomer() throws Exception {
        assertTrue(runtime.baseUrl().startsWith("http://127.0.0.1:"), runtime.baseUrl());
        Checked result = runTutorialAndCheck(tutorial);
        Tutorial.Ids ids = result.ids();
        Answer csv = result.csv();

        // the target also exposes a fresh presigned URL of the same file
        JsonNode target = tutorial.get("/targets/" + ids.target()).json();
        String url = target.get("options").get("output_url").asText();
        assertTrue(url.contains("X-Amz-Signature"), url);
        var viaUrl = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, viaUrl.statusCode());
        assertEquals(csv.body(), viaUrl.body());

        // locally the URL is served by the runtime's own HTTP server, never by S3Mock (whose port changes)
        assertTrue(url.startsWith("http://127.0.0.1:" + runtime.port() + "/files/"), url);

        // state survives a stop and a restart on the same data directory (and port)
        int port = runtime.port();
        runtime.close();
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY).withPort(port));
        tutorial = new Tutorial(runtime.baseUrl(), KEY);
        assertEquals("ready", tutorial.get("/persona_sets/" + ids.personaSet()).json().get("status").asText());
        assertEquals(csv.body(), tutorial.get("/targets/" + ids.target() + "/download.csv").body());
        assertTrue(tutorial.get("/uploads").body().contains("orders/orders.csv"));

        // the output_url handed out before the restart still works; tampered, expired or unsigned it does not
        assertEquals(200, fetch(url).statusCode(), "an output_url survives a restart on the same port");
        assertEquals(csv.body(), fetch(url).body());
        String otherKey = url.replace("/targets/", "/scopes/").replace(ids.target(), ids.scope());
        assertEquals(403, fetch(url.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200")).statusCode(),
                "a stretched expiry is refused");
        assertEquals(403, fetch(otherKey).statusCode(), "another path under the same signature is refused");
        assertEquals(403, fetch(url.substring(0, url.indexOf('?'))).statusCode(), "an unsigned GET is refused");
        String file = new java.net.URI(url).getRawPath().substring("/files/".length());
        java.net.URI shortLived = runtime.services().blobs().presignGet(file.substring(file.indexOf('/') + 1),
                Duration.ofSeconds(1));
        assertEquals(200, fetch(shortLived.toString()).statusCode(), "fresh, it works");
        Thread.sleep(2_100);
        assertEquals(403, fetch(shortLived.toString()).statusCode(), "expired, it is refused");
        // nor can anyone read the object from S3Mock without the credentials
        var direct = fetch(runtime.s3Endpoint() + "/" + LocalRuntime.BUCKET + "/" + file.substring(file.indexOf('/') + 1));
        assertEquals(403, direct.statusCode(), "a plain GET to S3Mock is refused: " + direct.body());
    }

    static java.net.http.HttpResponse<String> fetch(String url) throws Exception {
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The tutorial's ids and downloaded CSV, after every check of the tutorial passed. */
    public record Checked(Tutorial.Ids ids, Answer csv) {}

    /** Uploads the sample, runs the six requests back to back, awaits each resource and checks the CSV. */
    public static Checked runTutorialAndCheck(Tutorial tutorial) throws IOException {
        return runTutorialAndCheck(tutorial, () -> {
            Answer upload = tutorial.upload("orders", "orders.csv", SAMPLE);
            assertEquals(200, upload.status(), upload.body());
        });
    }

    /** The same, with another way of putting {@link #SAMPLE} into upload directory {@code orders} (the drop folder). */
    public static Checked runTutorialAndCheck(Tutorial tutorial, Runnable uploadSample) throws IOException {
        uploadSample.run();

        Tutorial.Ids ids = tutorial.createAll(true);
        Map<String, List<String>> statuses = tutorial.awaitAll(ids, BUILD);
        statuses.forEach((path, seen) -> {
            assertEquals("ready", seen.get(seen.size() - 1), path + " went " + seen);
            assertTrue(List.of("new", "starting", "running", "ready").containsAll(seen), path + " went " + seen);
        });

        JsonNode dataset = tutorial.get("/datasets/" + ids.dataset()).json();
        long customers = distinctCustomers(Files.readString(SAMPLE));
        assertEquals(customers, dataset.get("identified_count").asLong(),
                "identity resolution should find one person per customer (emails vary in case, spaces and +tags)");
        assertEquals(Files.readAllLines(SAMPLE).size() - 1, dataset.get("row_count").asLong());

        long cohortSize = tutorial.get("/cohorts/" + ids.cohort()).json().get("population_count").asLong();
        assertEquals(customers, cohortSize);

        JsonNode personaSet = tutorial.get("/persona_sets/" + ids.personaSet()).json();
        JsonNode personas = personaSet.get("personas");
        assertTrue(personas.size() >= 2 && personas.size() <= 8, "k chosen in 2..8, got " + personas.size());
        long sum = 0;
        Set<String> names = new HashSet<>();
        for (JsonNode p : personas) {
            assertFalse(p.get("name").asText().isBlank());
            assertTrue(names.add(p.get("name").asText()), "duplicate persona name " + p.get("name"));
            assertTrue(p.get("details").get("center").has("orders_total_value"), p.toString());
            sum += p.get("individuals_count").asLong();
        }
        assertEquals(cohortSize, sum, "persona counts sum to the cohort size");

        // the tutorial's exact curl: GET download.csv, no -L
        Answer csv = tutorial.get("/targets/" + ids.target() + "/download.csv");
        assertEquals(200, csv.status(), csv.body());
        assertTrue(csv.header("Content-Type").startsWith("text/csv"));
        List<CSVRecord> rows;
        List<String> header;
        try (CSVParser p = CSVParser.parse(new StringReader(csv.body()),
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            header = p.getHeaderNames();
            rows = p.getRecords();
        }
        assertEquals(Math.min(1000, cohortSize), rows.size(), "one row per identified person of the cohort (preview)");
        assertEquals(List.of("email", "person_first_name", "person_last_name", "house_number_and_street", "city",
                "state", "postcode", "phone"), header.subList(0, 8));
        String idCol = "fdy_persona_set_" + ids.personaSet().replace('-', '_') + "_persona_id";
        String nameCol = "fdy_persona_set_" + ids.personaSet().replace('-', '_') + "_persona_name";
        Map<String, Long> perPersona = new java.util.HashMap<>();
        for (CSVRecord r : rows) {
            assertFalse(r.get("email").isBlank());
            assertTrue(names.contains(r.get(nameCol)), "persona name " + r.get(nameCol));
            perPersona.merge(r.get(idCol), 1L, Long::sum);
        }
        for (JsonNode p : personas) {
            assertEquals(p.get("individuals_count").asLong(), perPersona.getOrDefault(p.get("id").asText(), 0L),
                    "rows assigned to " + p.get("name"));
        }

        // the sample was generated with planted customer groups (OrdersGenerator, seed 42): the personas find them
        Map<String, String> customerOfEmail = new java.util.HashMap<>();
        try (CSVParser p = CSVParser.parse(SAMPLE, java.nio.charset.StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            for (CSVRecord r : p) customerOfEmail.put(Identity.normalizeEmail(r.get("email")), r.get("customer_id"));
        }
        OrdersGenerator generator = new OrdersGenerator(42);
        int[] planted = new int[rows.size()];
        int[] found = new int[rows.size()];
        List<String> personaIds = new java.util.ArrayList<>(perPersona.keySet());
        for (int i = 0; i < rows.size(); i++) {
            String customer = customerOfEmail.get(Identity.normalizeEmail(rows.get(i).get("email")));
            planted[i] = generator.groupOf(customer).ordinal();
            found[i] = personaIds.indexOf(rows.get(i).get(idCol));
        }
        double ari = AdjustedRandIndex.of(planted, found);
        assertTrue(ari >= 0.8, "adjusted Rand index of personas vs planted groups: " + ari);

        return new Checked(ids, csv);
    }

    static long distinctCustomers(String csv) throws IOException {
        try (CSVParser p = CSVParser.parse(new StringReader(csv), CSVFormat.DEFAULT.builder().setHeader()
                .setSkipHeaderRecord(true).get())) {
            return p.getRecords().stream().map(r -> r.get("customer_id")).distinct().count();
        }
    }

    @Test
    void badInputGetsAClearFourHundred() throws IOException {
        Tutorial anonymous = new Tutorial(runtime.baseUrl(), null);
        Answer noKey = anonymous.get("/datasets");
        assertEquals(401, noKey.status());
        assertEquals("MISSING_API_KEY", noKey.json().get("error").asText());
        assertNotNull(noKey.json().get("id"));

        Answer wrongKey = new Tutorial(runtime.baseUrl(), "not-the-right-key").get("/datasets");
        assertEquals(401, wrongKey.status());

        Answer badJson = tutorial.postJson("/cohorts", "{\"name\": \"x\", ");
        assertEquals(400, badJson.status());
        assertTrue(badJson.json().get("note").asText().contains("line 1"), badJson.body());

        Answer unknown = tutorial.get("/persona_sets/00000000-0000-0000-0000-000000000000");
        assertEquals(404, unknown.status());
        assertEquals("NOT_FOUND", unknown.json().get("error").asText());

        Path ragged = dataDir.resolve("ragged.csv");
        Files.writeString(ragged, "email,first,total\na@x.com,Ann,10\nb@x.com,Bob\nc@x.com,Cy,5\n");
        Answer raggedUpload = tutorial.upload("broken", "ragged.csv", ragged);
        assertEquals(400, raggedUpload.status());
        String note = raggedUpload.json().get("note").asText();
        assertTrue(note.contains("line 3") && note.contains("'total'"), note);
        assertTrue(tutorial.get("/uploads").body().contains("broken/ragged.csv"), "the upload stays");

        Answer missingColumn = tutorial.postJson("/datasets", """
                {"name": "broken", "options": {"type": "hosted_csv", "upload_directory": "broken"},
                 "identity_sets": {"main": {"email": "e_mail"}}}""");
        assertEquals(400, missingColumn.status());
        assertEquals("VALIDATION_FAILED", missingColumn.json().get("error").asText());
        assertEquals("/identity_sets/main/email", missingColumn.json().get("validationErrors").get(0).get("path").asText());

        String id = tutorial.postJson("/datasets", """
                {"name": "broken", "options": {"type": "hosted_csv", "upload_directory": "broken"},
                 "identity_sets": {"main": {"email": "email"}}}""").json().get("id").asText();
        JsonNode failed = tutorial.awaitBuilt("/datasets/" + id, BUILD, new java.util.ArrayList<>());
        assertEquals("error", failed.get("status").asText());
        assertTrue(failed.get("status_error").asText().contains("line 3"), failed.toString());
    }
}
