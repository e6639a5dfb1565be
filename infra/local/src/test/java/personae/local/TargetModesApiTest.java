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
import personae.local.Tutorial.Answer;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static personae.local.Tutorial.created;

/**
 * The target modes through the local HTTP API, against the test's own reading of a generated file of 1,200 customers
 * (some sharing an address, some without a customer id, some with a tagged upper-case email): identified per person
 * and per residence, hashed, referenced, aggregated by state, human-readable names, {@code final_structure}, the
 * preview of the first 1,000 rows, and the options Personae refuses naming the field.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TargetModesApiTest {

    static final String KEY = "target-modes-key-0123456789";
    static final Duration BUILD = Duration.ofMinutes(3);
    static final int PEOPLE = 1200;
    static final String[] STATES = {"MA", "NY", "CA", "TX", "WA"};

    /** One generated customer. */
    record Person(String email, String first, String last, String street, String city, String state, String postcode,
                  String customerId) {
        String normalisedEmail() {
            String e = email.toLowerCase(Locale.ROOT);
            int plus = e.indexOf('+');
            return plus < 0 ? e : e.substring(0, plus) + e.substring(e.indexOf('@'));
        }
    }

    final List<Person> people = new ArrayList<>();
    Path dataDir;
    LocalRuntime runtime;
    Tutorial api;
    String dataset;
    String personaSet;
    String scope;

    @BeforeAll
    void start() throws IOException {
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-targets-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
        api = new Tutorial(runtime.baseUrl(), KEY);
        StringBuilder csv = new StringBuilder("customer_id,email,first_name,last_name,address,city,state,postcode,"
                + "order_datetime,order_total\n");
        for (int i = 0; i < PEOPLE; i++) {
            int home = i % 4 == 1 ? i - 1 : i; // every fourth customer lives with the one before
            Person p = new Person(i % 10 == 3 ? "Cust" + i + "+news@Example.com" : "cust" + i + "@example.com",
                    "First" + i, "Last" + i, (100 + home) + " Main Street", "Town" + home % 7,
                    STATES[home % STATES.length], String.format("%05d", 1000 + home % 90),
                    i % 7 == 2 ? "" : "C" + i);
            people.add(p);
            for (int o = 0; o <= i % 3; o++) {
                csv.append(String.join(",", p.customerId(), p.email(), p.first(), p.last(), p.street(), p.city(),
                        p.state(), p.postcode(), "2024-0" + (1 + o) + "-1" + (i % 9) + "T10:00:00Z",
                        Integer.toString(5 + (i % 4) * 40 + o))).append('\n');
            }
        }
        Path file = dataDir.resolve("customers.csv");
        Files.writeString(file, csv);
        assertEquals(200, api.upload("customers", "customers.csv", file).status());
        dataset = created(api.postJson("/datasets", """
                {"name": "customers", "options": {"type": "hosted_csv", "upload_directory": "customers"},
                 "reference_key_columns": ["customer_id"],
                 "identity_sets": {"customer": {"email": "email", "person_first_name": "first_name",
                   "person_last_name": "last_name", "house_number_and_street": ["address"], "city": "city",
                   "state": "state", "postcode": "postcode"}},
                 "output_to_streams": {"purchases": {"data_map": {
                   "datetime": {"column_name": "order_datetime", "format": "date_iso8601"},
                   "value": {"column_name": "order_total", "format": "currency_dollars"}}}}}"""));
        String cohort = created(api.postJson("/cohorts", "{\"name\": \"Buyers\", \"stream_name\": \"purchases\"}"));
        personaSet = created(api.postJson("/persona_sets", "{\"name\": \"Buyer personas\", \"cohort_id\": \"" + cohort
                + "\", \"number_of_clusters\": 3}"));
        scope = created(api.postJson("/scopes", "{\"name\": \"Buyers\", \"population\": {\"cohort_ids\": [\"" + cohort
                + "\"]}, \"payload\": {\"persona_set_ids\": [\"" + personaSet + "\"]}, \"preview\": false}"));
        for (String path : List.of("/datasets/" + dataset, "/cohorts/" + cohort, "/persona_sets/" + personaSet,
                "/scopes/" + scope)) {
            JsonNode doc = api.awaitBuilt(path, BUILD, new ArrayList<>());
            assertEquals("ready", doc.path("status").asText(), path + ": " + doc);
        }
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    /** A target of the scope with these extra fields, built; its document. */
    JsonNode target(String name, String fields) {
        Answer posted = api.postJson("/targets", "{\"name\": \"" + name + "\", \"scope_id\": \"" + scope
                + "\", \"options\": {\"type\": \"hosted_csv\"}" + fields + "}");
        String id = created(posted);
        assertFalse(posted.json().has("final_structure"), "final_structure is present only once built: " + posted.body());
        JsonNode doc = api.awaitBuilt("/targets/" + id, BUILD, new ArrayList<>());
        assertEquals("ready", doc.path("status").asText(), doc.toString());
        return doc;
    }

    /** The header (first) and rows of a CSV. */
    static List<List<String>> rows(String csv) {
        List<List<String>> out = new ArrayList<>();
        try (CSVParser p = CSVParser.parse(new StringReader(csv), CSVFormat.DEFAULT)) {
            for (CSVRecord r : p) out.add(r.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    List<List<String>> download(JsonNode target) {
        Answer a = api.get("/targets/" + target.path("id").asText() + "/download.csv");
        assertEquals(200, a.status(), a.body());
        return rows(a.body());
    }

    static List<String> column(List<List<String>> rows, String name) {
        int i = rows.get(0).indexOf(name);
        assertTrue(i >= 0, "the CSV has a column " + name + ": " + rows.get(0));
        return rows.subList(1, rows.size()).stream().map(r -> r.get(i)).toList();
    }

    String personaIdColumn() {
        return "fdy_persona_set_" + personaSet.replace('-', '_') + "_persona_id";
    }

    static List<String> outputCols(JsonNode target) {
        List<String> out = new ArrayList<>();
        target.path("final_structure").forEach(c -> out.add(c.path("output_col").asText()));
        return out;
    }

    @Test
    void anIdentifiedTargetHasEveryPersonAndItsFinalStructureIsItsHeader() {
        JsonNode t = target("Everyone", "");
        List<List<String>> rows = download(t);
        assertEquals(PEOPLE, rows.size() - 1, "one row per person of the scope");
        assertEquals(people.stream().map(Person::email).collect(Collectors.toSet()), Set.copyOf(column(rows, "email")),
                "the people's emails in clear");
        assertEquals(rows.get(0), outputCols(t), "final_structure lists the written columns in order: " + t);
        assertTrue(t.has("managed") && !t.path("managed").asBoolean(true), "a publication is not managed: " + t);
        JsonNode identity = t.path("final_structure").get(rows.get(0).indexOf("email"));
        assertTrue(identity.path("is_identity_col").asBoolean(), "an identity column says so: " + identity);
        JsonNode persona = t.path("final_structure").get(rows.get(0).indexOf(personaIdColumn()));
        assertFalse(persona.path("is_identity_col").asBoolean(), "a payload column is no identity column: " + persona);
    }

    @Test
    void aResidenceTargetHasOneRowPerHousehold() {
        List<List<String>> rows = download(target("Households", ", \"representation\": {\"mode\": \"identified\","
                + " \"aggregate\": \"residence\"}"));
        long households = people.stream().map(p -> p.street() + "|" + p.postcode()).distinct().count();
        assertEquals(households, rows.size() - 1, "one row per street and postcode");
        List<String> streets = column(rows, "house_number_and_street");
        List<String> postcodes = column(rows, "postcode");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < streets.size(); i++) {
            assertTrue(seen.add(streets.get(i) + "|" + postcodes.get(i)), "no household twice: " + streets.get(i));
        }
    }

    @Test
    void aHashedTargetHasNoClearIdentityItsHashesAreTheNormalisedOnesAndItsShuffleIsReproducible() {
        JsonNode t = target("Hashed", ", \"representation\": {\"mode\": \"hashed\"}");
        Answer first = api.get("/targets/" + t.path("id").asText() + "/download.csv");
        List<List<String>> rows = rows(first.body());
        assertEquals(List.of("email_hash", "name_address_hash", personaIdColumn(),
                personaIdColumn().replace("_persona_id", "_persona_name")), rows.get(0), "hashes, then the payload");
        assertFalse(first.body().contains("@") || first.body().contains("Main"), "no email or street in clear");
        assertEquals(people.stream().map(p -> personae.core.util.Hashes.sha256Hex(p.normalisedEmail())).collect(Collectors.toSet()),
                Set.copyOf(column(rows, "email_hash")), "SHA-256 of each lower-cased email without its +tag");
        assertEquals(people.stream().map(p -> personae.core.util.Hashes.sha256Hex(Identity.nameAddress(p.first() + "|" + p.last(),
                p.street(), p.postcode()))).collect(Collectors.toSet()), Set.copyOf(column(rows, "name_address_hash")),
                "SHA-256 of the normalised name and address, as identity resolution reads them");
        List<String> scopeOrder = people.stream().map(p -> personae.core.util.Hashes.sha256Hex(p.normalisedEmail())).toList();
        assertNotEquals(scopeOrder, column(rows, "email_hash"), "rows are shuffled");

        Answer renamed = api.send("PATCH", "/targets/" + t.path("id").asText(), "application/json",
                HttpRequest.BodyPublishers.ofString("{\"name\": \"Hashed again\"}"));
        assertEquals(200, renamed.status(), renamed.body());
        JsonNode rebuilt = api.awaitBuilt("/targets/" + t.path("id").asText(), BUILD, new ArrayList<>());
        assertEquals("ready", rebuilt.path("status").asText(), rebuilt.toString());
        assertEquals(first.body(), api.get("/targets/" + t.path("id").asText() + "/download.csv").body(),
                "the shuffle is seeded by the target: a rebuild writes the same file");
    }

    @Test
    void aPatchNamingAnotherModeSwitchesTheTargetToIt() {
        String id = target("Switched", "").path("id").asText();
        Answer patched = api.send("PATCH", "/targets/" + id, "application/json+merge-patch",
                HttpRequest.BodyPublishers.ofString("{\"representation\": {\"mode\": \"hashed\"}}"));
        assertEquals(200, patched.status(), patched.body());
        assertEquals("{\"mode\":\"hashed\"}", patched.json().path("representation").toString(),
                "the identified mode's aggregate is gone with it");
        JsonNode doc = api.awaitBuilt("/targets/" + id, BUILD, new ArrayList<>());
        assertEquals("ready", doc.path("status").asText(), doc.toString());
        assertEquals("email_hash", download(doc).get(0).get(0), "rebuilt hashed");
    }

    @Test
    void aReferencedTargetIsKeyedOnlyByTheDatasetsReferenceColumn() {
        List<List<String>> rows = download(target("Referenced", ", \"representation\": {\"mode\": \"referenced\","
                + " \"reference\": {\"dataset_id\": \"" + dataset + "\", \"column_name\": \"customer_id\"}}"));
        assertEquals(List.of("customer_id", personaIdColumn(), personaIdColumn().replace("_persona_id", "_persona_name")),
                rows.get(0), "the key, then the payload; no other identity");
        assertEquals(people.stream().map(Person::customerId).filter(c -> !c.isEmpty()).collect(Collectors.toSet()),
                Set.copyOf(column(rows, "customer_id")), "the people that have a key");
        assertEquals(rows.size() - 1, Set.copyOf(column(rows, "customer_id")).size(), "one row per key");
    }

    @Test
    void aReferencedTargetOnAColumnThatIsNoReferenceKeyIsAnErrorNamingIt() {
        String id = created(api.postJson("/targets", "{\"name\": \"Wrong key\", \"scope_id\": \"" + scope
                + "\", \"options\": {\"type\": \"hosted_csv\"}, \"representation\": {\"mode\": \"referenced\","
                + " \"reference\": {\"dataset_id\": \"" + dataset + "\", \"column_name\": \"email\"}}}"));
        JsonNode doc = api.awaitBuilt("/targets/" + id, BUILD, new ArrayList<>());
        assertEquals("error", doc.path("status").asText(), doc.toString());
        assertTrue(doc.path("status_error").asText().contains("'email' is not a reference key column"),
                "the error names the column and the rule: " + doc.path("status_error"));
    }

    @Test
    void anAggregatedTargetCountsPeopleAndEachPersonaPerState() {
        JsonNode t = target("By state", ", \"representation\": {\"mode\": \"aggregated\", \"aggregate\": \"state\"}");
        List<List<String>> rows = download(t);
        Map<String, Long> expected = new TreeMap<>(people.stream().collect(Collectors.groupingBy(Person::state,
                Collectors.counting())));
        Map<String, Long> counted = new TreeMap<>();
        List<String> states = column(rows, "state");
        List<String> counts = column(rows, "count");
        for (int i = 0; i < states.size(); i++) counted.put(states.get(i), Long.parseLong(counts.get(i)));
        assertEquals(expected, counted, "one row per state, counting its people");

        JsonNode personas = api.get("/persona_sets/" + personaSet).json().path("personas");
        List<Integer> countif = new ArrayList<>();
        for (int c = 0; c < t.path("final_structure").size(); c++) {
            if (t.path("final_structure").get(c).path("aggregation").asText().equals("countif")) countif.add(c);
        }
        assertEquals(personas.size(), countif.size(), "a countif column per persona: " + t.path("final_structure"));
        for (int c : countif) {
            JsonNode col = t.path("final_structure").get(c);
            assertEquals(personaIdColumn(), col.path("scope_col").asText(), col.toString());
        }
        for (List<String> r : rows.subList(1, rows.size())) {
            long sum = countif.stream().mapToLong(c -> Long.parseLong(r.get(c))).sum();
            assertEquals(Long.parseLong(r.get(rows.get(0).indexOf("count"))), sum,
                    "every person of a state is in one persona: " + r);
        }
        long members = 0;
        for (JsonNode p : personas) members += p.path("individuals_count").asLong();
        assertEquals(PEOPLE, members, "the personas cover the scope");
    }

    @Test
    void humanReadableNamesThePayloadColumnsByTheScopesReadableNames() {
        JsonNode t = target("Readable", ", \"human_readable\": true");
        List<List<String>> rows = download(t);
        JsonNode payload = api.get("/scopes/" + scope).json().path("columns").path("payload_columns");
        for (JsonNode c : payload) {
            assertTrue(rows.get(0).contains(c.path("human_name").asText()), "header has " + c + ": " + rows.get(0));
            assertFalse(rows.get(0).contains(c.path("name").asText()), "not the machine name " + c);
        }
        for (JsonNode c : t.path("final_structure")) {
            if (c.path("scope_col").asText().startsWith("fdy_")) {
                assertNotEquals(c.path("scope_col").asText(), c.path("output_col").asText(), c.toString());
            }
        }
    }

    @Test
    void aPreviewBuildsTheFirstThousandRowsAndLeavesTheTargetAsItIs() throws Exception {
        JsonNode t = target("Preview me", "");
        String id = t.path("id").asText();
        Answer a = api.send("POST", "/targets/" + id + "/preview", null, null);
        assertEquals(200, a.status(), a.body());
        JsonNode body = a.json();
        assertEquals(id, body.path("target_id").asText(), a.body());
        assertTrue(body.path("message").isTextual() && !body.path("message").asText().isBlank(), a.body());
        HttpResponse<String> file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(body.path("output_url").asText())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, file.statusCode(), file.body());
        List<List<String>> preview = rows(file.body());
        List<List<String>> full = download(t);
        assertEquals(1000, preview.size() - 1, "a preview is the first 1,000 rows");
        assertEquals(1000, body.path("row_count").asLong(), a.body());
        assertEquals(full.subList(0, 1001), preview, "the target's first rows, as the build writes them");
        assertEquals(PEOPLE, full.size() - 1, "the target's own file is unchanged");
        assertEquals("ready", api.get("/targets/" + id).json().path("status").asText());
    }

    @Test
    void optionsOutsideTheSubsetAreRefusedNamingTheField() {
        Map<String, String> refused = new TreeMap<>(Map.of(
                "/connection_id", ", \"connection_id\": \"" + java.util.UUID.randomUUID() + "\"",
                "/representation/transform_preset", ", \"representation\": {\"mode\": \"hashed\", \"transform_preset\":"
                        + " \"facebook\"}",
                "/representation/aggregate", ", \"representation\": {\"mode\": \"aggregated\", \"aggregate\": \"dma\"}",
                "/representation/include_geometry", ", \"representation\": {\"mode\": \"aggregated\", \"aggregate\":"
                        + " \"postcode\", \"include_geometry\": true}",
                "/representation/reference", ", \"representation\": {\"mode\": \"referenced\"}",
                "/place_conditions", ", \"place_conditions\": []"));
        for (var e : refused.entrySet()) {
            Answer a = api.postJson("/targets", "{\"name\": \"Refused\", \"scope_id\": \"" + scope
                    + "\", \"options\": {\"type\": \"hosted_csv\"}" + e.getValue() + "}");
            assertEquals(400, a.status(), e.getKey() + ": " + a.body());
            assertEquals(List.of(e.getKey()), paths(a), "the error names " + e.getKey() + ": " + a.body());
        }
        Answer replication = api.postJson("/targets", "{\"name\": \"Refused\", \"scope_id\": \"" + scope
                + "\", \"options\": {\"type\": \"s3\"}}");
        assertEquals(400, replication.status(), replication.body());
        assertEquals(List.of("/options/type"), paths(replication), replication.body());
        assertTrue(api.get("/targets").json().findValuesAsText("name").stream().noneMatch("Refused"::equals),
                "nothing refused is stored");
    }

    static List<String> paths(Answer a) {
        List<String> out = new ArrayList<>();
        a.json().path("validationErrors").forEach(e -> out.add(e.path("path").asText()));
        return out;
    }
}
