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
import personae.core.lookup.Lookup;
import personae.core.resource.Json;
import personae.core.sample.OrdersGenerator;
import personae.local.Tutorial.Answer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lookup_api target through the local HTTP API, on its {@code options.output_url}: known customers by each
 * identifier kind against the same scope's hosted CSV, an unknown one, a hosted_csv target, a malformed body, and a
 * persona renamed while lookups run (the target rebuilds; answers switch to the new name with no error in between).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LookupHttpTest {

    static final String KEY = "lookup-http-key-0123456789";
    static final Duration BUILD = Duration.ofMinutes(3);

    Path dataDir;
    LocalRuntime runtime;
    Tutorial api;
    Tutorial.Ids ids;
    String lookupUrl;
    final HttpClient http = HttpClient.newHttpClient();
    /** The hosted CSV of the same scope: the test's reading of each person's persona. */
    List<Map<String, String>> rows;

    @BeforeAll
    void start() throws IOException {
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-lookup-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
        api = new Tutorial(runtime.baseUrl(), KEY);
        Path csv = dataDir.resolve("orders.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            new OrdersGenerator(5).write(w, 400, 2400);
        }
        assertEquals(200, api.upload("orders", "orders.csv", csv).status());
        ids = api.createAll(false);
        api.awaitAll(ids, BUILD);
        Answer created = api.postJson("/targets", "{\"name\": \"Lookup\", \"scope_id\": \"" + ids.scope()
                + "\", \"options\": {\"type\": \"lookup_api\"}}");
        assertEquals(201, created.status(), created.body());
        String id = created.json().path("id").asText();
        lookupUrl = created.json().path("options").path("output_url").asText();
        JsonNode doc = api.awaitBuilt("/targets/" + id, BUILD, new ArrayList<>());
        assertEquals("ready", doc.path("status").asText(), doc.toString());
        rows = download();
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    List<Map<String, String>> download() throws IOException {
        Answer a = api.get("/targets/" + ids.target() + "/download.csv");
        assertEquals(200, a.status(), a.body());
        List<Map<String, String>> out = new ArrayList<>();
        try (CSVParser p = CSVParser.parse(new StringReader(a.body()), CSVFormat.DEFAULT.builder().setHeader()
                .setSkipHeaderRecord(true).get())) {
            for (CSVRecord r : p) out.add(r.toMap());
        }
        return out;
    }

    String idColumn() {
        return "fdy_persona_set_" + ids.personaSet().replace('-', '_') + "_persona_id";
    }

    String nameColumn() {
        return "fdy_persona_set_" + ids.personaSet().replace('-', '_') + "_persona_name";
    }

    record Reply(int status, JsonNode json) {}

    Reply lookup(String url, String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), Json.read(r.body()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply lookup(Map<String, String> body) {
        return lookup(lookupUrl, Json.write(body));
    }

    @Test
    void theOutputUrlIsTheLookupEndpointOnThisHost() {
        assertTrue(lookupUrl.startsWith(runtime.baseUrl() + "/targets/") && lookupUrl.endsWith("/lookup"),
                "output_url names the lookup endpoint: " + lookupUrl);
    }

    @Test
    void knownCustomersAreFoundByEachIdentifierKindWithTheirHostedCsvPersona() {
        Set<String> emails = new HashSet<>(), phones = new HashSet<>(), streets = new HashSet<>();
        int[] checked = new int[3];
        for (Map<String, String> r : rows) {
            String email = Identity.normalizeEmail(r.get("email"));
            String phone = Identity.normalizePhone(r.get("phone"));
            String street = Identity.normalizeStreet(r.get("house_number_and_street")) + "|"
                    + Identity.fold(r.get("city")) + "|" + Identity.fold(r.get("state"));
            List<Map<String, String>> requests = new ArrayList<>();
            if (email != null && emails.add(email) && checked[0]++ < 40) requests.add(Map.of("email", r.get("email")));
            if (phone != null && phones.add(phone + "|" + Identity.fold(r.get("person_last_name"))) && checked[1]++ < 40) {
                requests.add(Map.of("phone", r.get("phone"), "person_last_name", r.get("person_last_name")));
            }
            if (!r.get("house_number_and_street").isBlank() && streets.add(street) && checked[2]++ < 40) {
                requests.add(Map.of("house_number_and_street", r.get("house_number_and_street"), "city", r.get("city"),
                        "state", r.get("state")));
            }
            for (Map<String, String> q : requests) {
                Reply a = lookup(q);
                assertEquals(200, a.status(), a.json().toString());
                assertEquals(r.get(idColumn()), a.json().path(idColumn()).asText(), "the hosted CSV's persona for " + q);
                assertEquals(r.get(nameColumn()), a.json().path(nameColumn()).asText());
                q.forEach((k, v) -> assertEquals(v, a.json().path(k).asText(), "identifiers are echoed unchanged"));
            }
        }
        assertTrue(checked[0] >= 40 && checked[1] >= 40 && checked[2] >= 40,
                "forty customers checked by each identifier kind: " + java.util.Arrays.toString(checked));
    }

    @Test
    void anUnknownCustomerGetsTheNoMatchAnswerAndAHostedCsvTargetA400() {
        Reply a = lookup(Map.of("email", "nobody@nowhere.example"));
        assertEquals(200, a.status());
        assertEquals(Lookup.NO_MATCH, a.json().path("error").asText(), a.json().toString());
        Reply hosted = lookup(runtime.baseUrl() + "/targets/" + ids.target() + "/lookup", "{\"email\": \"a@b.c\"}");
        assertEquals(400, hosted.status(), hosted.json().toString());
        assertEquals("BAD_REQUEST", hosted.json().path("error").asText());
        Reply malformed = lookup(lookupUrl, "{\"email\": [\"a@b.c\"]}");
        assertEquals(400, malformed.status());
        assertEquals("VALIDATION_FAILED", malformed.json().path("error").asText());
        assertEquals("/email", malformed.json().path("validationErrors").path(0).path("path").asText());
    }

    @Test
    void aPersonaRenamedWhileLookupsRunSwitchesTheAnswersWithNoErrorInBetween() throws Exception {
        Map<String, String> person = rows.stream().filter(r -> Identity.normalizeEmail(r.get("email")) != null)
                .findFirst().orElseThrow();
        String personaId = person.get(idColumn());
        String oldName = person.get(nameColumn());
        String newName = "Renamed " + System.nanoTime();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> names = new ConcurrentLinkedQueue<>();
        Thread t = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                Reply a = lookup(Map.of("email", person.get("email")));
                if (a.status() != 200 || !personaId.equals(a.json().path(idColumn()).asText())) {
                    failures.add(a.status() + " " + a.json());
                }
                String name = a.json().path(nameColumn()).asText();
                if (names.isEmpty() || !name.equals(new ArrayList<>(names).getLast())) names.add(name);
                answered.incrementAndGet();
            }
        });
        Answer renamed = api.send("PATCH", "/persona_sets/" + ids.personaSet() + "/personas/" + personaId,
                "application/json", HttpRequest.BodyPublishers.ofString("{\"name\": \"" + newName + "\"}"));
        assertEquals(200, renamed.status(), renamed.body());
        long deadline = System.nanoTime() + BUILD.toNanos();
        while (!names.contains(newName) && System.nanoTime() < deadline) Thread.sleep(100);
        Thread.sleep(300);
        stop.set(true);
        t.join(10_000);
        assertEquals(List.of(), new ArrayList<>(failures), "no lookup failed while the scope and target rebuilt");
        assertEquals(List.of(oldName, newName), new ArrayList<>(names),
                "the answers carried the old name, then the new one, and never went back (" + answered.get() + " lookups)");
    }
}
