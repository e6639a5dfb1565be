package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The persona tutorial ({@code shared/seeds/000_7ca525cd8090cf9e.txt}) exactly as a user pastes it: its six requests
 * with their JSON bodies byte for byte and its headers, only host, key and ids changed. The bodies are test resources
 * ({@code tutorial/*.json}); when the seed is beside the repository they are checked against it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TutorialVerbatimTest {

    static final String KEY = "verbatim-test-key-0123456789";
    static final List<String> BODIES = List.of("datasets", "cohorts", "persona_sets", "scopes", "targets");
    static final Path SEED = Path.of("../shared/seeds/000_7ca525cd8090cf9e.txt");

    final HttpClient http = HttpClient.newHttpClient();
    Path dataDir;
    LocalRuntime runtime;

    @BeforeAll
    void start() throws IOException {
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-verbatim-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    @Test
    void theTutorialsBodiesAreTheSeedsBodies() throws IOException {
        Assumptions.assumeTrue(Files.exists(SEED), "the seed is not beside the repository (" + SEED + ")");
        Matcher m = Pattern.compile("--data '(.*?)'\n", Pattern.DOTALL).matcher(Files.readString(SEED));
        List<String> fromSeed = new ArrayList<>();
        while (m.find()) fromSeed.add(m.group(1));
        assertEquals(BODIES.size(), fromSeed.size(), "the tutorial has one JSON body per create request");
        for (int i = 0; i < BODIES.size(); i++) {
            assertEquals(fromSeed.get(i), body(BODIES.get(i)), "tutorial/" + BODIES.get(i) + ".json is the seed's body");
        }
    }

    @Test
    void theSixRequestsAsWrittenRunToADownloadedCsv() throws Exception {
        // the tutorial's dataset maps account_email and updated_at: the sample orders with those headers
        Path csv = dataDir.resolve("acme_orders.csv");
        List<String> lines = Files.readAllLines(TutorialEndToEndTest.SAMPLE);
        lines.set(0, lines.get(0).replace(",email,", ",account_email,").replace(",order_datetime,", ",updated_at,"));
        Files.write(csv, lines);

        HttpResponse<String> upload = send(HttpRequest.newBuilder(uri("/uploads/orders/file1.csv"))
                .header("Accept", "application/json").header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(csv)));
        assertEquals(200, upload.statusCode(), "the upload is accepted: " + upload.body());

        JsonNode dataset = create("datasets", body("datasets"));
        assertEquals("orders", dataset.get("name").asText(), "a dataset without a name is named after its directory");
        JsonNode cohort = create("cohorts", body("cohorts"));
        String cohortId = cohort.get("id").asText();
        JsonNode personaSet = create("persona_sets", body("persona_sets").replace("YOUR_CUSTOMERS_COHORT_ID", cohortId));
        assertEquals("Customers personas", personaSet.get("name").asText(),
                "a persona set without a name is named after its cohort");
        String personaSetId = personaSet.get("id").asText();
        JsonNode scope = create("scopes", body("scopes").replace("YOUR_PERSONA_SET_ID", personaSetId)
                .replace("YOUR_CUSTOMERS_COHORT_ID", cohortId));
        String scopeId = scope.get("id").asText();
        JsonNode target = create("targets", body("targets").replace("YOUR_SCOPE_ID", scopeId));
        assertEquals("identified", target.path("representation").path("mode").asText(),
                "a target without a representation is identified: " + target);
        assertEquals("person", target.path("representation").path("aggregate").asText(),
                "an identified target without an aggregate is per person: " + target);

        Tutorial poll = new Tutorial(runtime.baseUrl(), KEY);
        for (String path : List.of("/datasets/" + dataset.get("id").asText(), "/cohorts/" + cohortId,
                "/persona_sets/" + personaSetId, "/scopes/" + scopeId, "/targets/" + target.get("id").asText())) {
            JsonNode built = poll.awaitBuilt(path, Duration.ofMinutes(3), new ArrayList<>());
            assertEquals("ready", built.get("status").asText(), path + " builds: " + built.path("status_error"));
        }
        JsonNode personas = poll.get("/persona_sets/" + personaSetId).json().get("personas");
        assertTrue(personas.size() >= 2, "the persona set has personas: " + personas);

        HttpResponse<String> download = send(HttpRequest.newBuilder(uri("/targets/" + target.get("id").asText()
                        + "/download.csv")).header("Accept", "text/csv").header("Authorization", "Bearer " + KEY).GET());
        assertEquals(200, download.statusCode(), download.body());
        List<String> rows = download.body().lines().toList();
        String header = rows.get(0);
        assertTrue(header.startsWith("email,"), "the CSV starts with the identity the dataset mapped: " + header);
        String column = "fdy_persona_set_" + personaSetId.replace('-', '_');
        assertTrue(header.contains(column + "_persona_id") && header.contains(column + "_persona_name"),
                "the CSV has the persona set's id and name columns: " + header);
        long people = poll.get("/cohorts/" + cohortId).json().get("population_count").asLong();
        assertEquals(Math.min(people, 1000), rows.size() - 1, "a preview scope has one row per person, at most 1,000");
        long named = rows.stream().skip(1).filter(r -> personas.findValuesAsText("name").stream().anyMatch(r::endsWith)).count();
        assertEquals(rows.size() - 1, named, "every row carries one of the set's persona names");
    }

    /** POSTs a body exactly as the tutorial's curl does (Accept and Content-Type JSON) and expects 201. */
    private JsonNode create(String kind, String body) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/" + kind)).header("Accept", "application/json")
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(201, r.statusCode(), "POST /v1/" + kind + " with the tutorial's body is created: " + r.body());
        return Json.read(r.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(runtime.baseUrl() + path);
    }

    static String body(String kind) throws IOException {
        try (InputStream in = TutorialVerbatimTest.class.getResourceAsStream("/tutorial/" + kind + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
