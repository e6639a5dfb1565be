package personae.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import personae.core.api.ApiRequest;
import personae.core.api.ApiResponse;
import personae.core.api.PersonaeApi;
import personae.core.ingest.Identity;
import personae.core.lookup.Lookup;
import personae.core.persona.Feature;
import personae.core.persona.PersonaModel;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.sample.OrdersGenerator;
import personae.core.util.Csv;

import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/targets/{id}/lookup} over a built scope (seeded orders of 400 customers): known people by each
 * identifier kind against the test's own reading of the scope's output, unknown people placed by the model, no match,
 * malformed bodies, a hosted_csv target, the options a lookup target refuses, and a rebuild while lookups run.
 */
class LookupApiTest {

    static final String A = InMemoryBuilds.ACCOUNT;
    static final String KEY = "lookup-key-0123456789";
    static final InMemoryBuilds builds = new InMemoryBuilds();
    static PersonaeApi api;
    static String cohort, setId, scopeId, lookupId, hostedId;

    @BeforeAll
    static void build() throws Exception {
        StringWriter csv = new StringWriter();
        new OrdersGenerator(23).write(csv, 400, 2400);
        builds.upload("orders.csv", csv.toString());
        builds.readyDataset(OrdersGenerator.DATASET_BODY);
        cohort = builds.readyCohort("{\"name\":\"everyone\",\"stream_name\":\"orders\"}");
        setId = builds.resources.create(A, ResourceType.PERSONA_SETS, Json.readObject(
                "{\"name\":\"p\",\"cohort_id\":\"" + cohort + "\",\"number_of_clusters\":3}")).id();
        buildPersonaSet();
        scopeId = builds.resources.create(A, ResourceType.SCOPES, Json.readObject("{\"name\":\"S\",\"population\":"
                + "{\"cohort_ids\":[\"" + cohort + "\"]},\"payload\":{\"persona_set_ids\":[\"" + setId + "\"]}}")).id();
        buildScope();
        PersonaeApi.ensureAccount(builds.services, A, "lookup", KEY);
        api = new PersonaeApi(builds.services);
        lookupId = created(call("POST", "/v1/targets", "{\"name\": \"Lookup\", \"scope_id\": \"" + scopeId
                + "\", \"options\": {\"type\": \"lookup_api\"}}"));
        hostedId = created(call("POST", "/v1/targets", "{\"name\": \"CSV\", \"scope_id\": \"" + scopeId
                + "\", \"options\": {\"type\": \"hosted_csv\"}}"));
        buildTarget(lookupId);
        buildTarget(hostedId);
    }

    static void buildPersonaSet() {
        builds.readyPersonaSet(setId);
    }

    static void buildScope() {
        builds.steps.materializeScope(new BuildRequest(A, "scopes", scopeId));
        builds.steps.markReady(new BuildRequest(A, "scopes", scopeId));
    }

    static void buildTarget(String id) {
        builds.steps.publishTarget(new BuildRequest(A, "targets", id));
        builds.steps.markReady(new BuildRequest(A, "targets", id));
    }

    record Answer(int status, JsonNode json) {}

    static Answer call(String method, String path, String body) {
        return raw(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    static Answer raw(String method, String path, byte[] body) {
        ApiResponse r = api.handle(ApiRequest.of(method, path, Map.of("Authorization", "Bearer " + KEY,
                "Host", "personae.test:8080"), body));
        String text = r.bodyText();
        return new Answer(r.status(), text == null || text.isEmpty() ? null : Json.read(text));
    }

    static String created(Answer a) {
        assertEquals(201, a.status(), "a target is created: " + a.json());
        return a.json().path("id").asText();
    }

    static Answer lookup(String target, Map<String, ?> body) {
        return call("POST", "/v1/targets/" + target + "/lookup", Json.write(body));
    }

    static String idColumn() {
        return "fdy_persona_set_" + setId.replace('-', '_') + "_persona_id";
    }

    static String nameColumn() {
        return "fdy_persona_set_" + setId.replace('-', '_') + "_persona_name";
    }

    /** The scope's output, as the test reads it: per row its cells by column. */
    static List<Map<String, String>> scopeRows() throws Exception {
        List<Map<String, String>> out = new ArrayList<>();
        try (InputStream in = builds.blobs.open(Keys.scopeOutput(A, scopeId)); var p = Csv.read(in)) {
            for (CSVRecord r : p) out.add(r.toMap());
        }
        return out;
    }

    /**
     * Per row, whether it is the first of the output with its value of {@code key} (the first person keeps a key
     * several share); rows without the key are left out.
     */
    static List<Map<String, String>> firstBy(List<Map<String, String>> rows, Function<Map<String, String>, String> key) {
        Set<String> seen = new HashSet<>();
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> r : rows) {
            String k = key.apply(r);
            if (k != null && seen.add(k)) out.add(r);
        }
        return out;
    }

    static void assertAnswers(Map<String, String> row, Map<String, String> request, String matchType) {
        Answer a = lookup(lookupId, request);
        assertEquals(200, a.status(), a.json().toString());
        request.forEach((k, v) -> assertEquals(v, a.json().path(k).asText(), "the identifier " + k + " is echoed unchanged"));
        assertEquals(row.get(idColumn()), a.json().path(idColumn()).asText(), "the person's persona id, for " + request);
        assertEquals(row.get(nameColumn()), a.json().path(nameColumn()).asText(), "the person's persona name");
        assertEquals(matchType, a.json().path("match_type").asText());
        assertFalse(a.json().has("error"), "a found person has no error: " + a.json());
        List<String> fields = new ArrayList<>();
        a.json().fieldNames().forEachRemaining(fields::add);
        assertEquals(new ArrayList<>(request.keySet()), fields.subList(0, request.size()),
                "the identifiers sent come first, in their order");
    }

    @Test
    void aKnownPersonIsFoundByEmail() throws Exception {
        List<Map<String, String>> rows = firstBy(scopeRows(), r -> Identity.normalizeEmail(r.get("email")));
        assertTrue(rows.size() > 300, "most of the 400 customers have an email");
        for (Map<String, String> r : rows.subList(0, 60)) {
            assertAnswers(r, Map.of("email", "  " + r.get("email").toUpperCase(Locale.ROOT)), "email_only");
        }
    }

    @Test
    void aKnownPersonIsFoundByPhoneAndLastName() throws Exception {
        List<Map<String, String>> rows = firstBy(scopeRows(), r -> {
            String p = Identity.normalizePhone(r.get("phone"));
            String last = Identity.fold(r.get("person_last_name"));
            return p == null || last.isEmpty() ? null : p + "|" + last;
        });
        assertTrue(rows.size() > 100, "many customers have a phone: " + rows.size());
        for (Map<String, String> r : rows.subList(0, 60)) {
            String e164 = Identity.normalizePhone(r.get("phone"));
            String e123 = "+1 " + e164.substring(2, 5) + " " + e164.substring(5, 8) + " " + e164.substring(8);
            Map<String, String> request = new LinkedHashMap<>();
            request.put("phone", e123);
            request.put("person_last_name", r.get("person_last_name"));
            assertAnswers(r, request, "phone_last_name");
        }
    }

    @Test
    void aKnownPersonIsFoundByStreetCityAndState() throws Exception {
        List<Map<String, String>> rows = firstBy(scopeRows(), r -> {
            String s = Identity.normalizeStreet(r.get("house_number_and_street"));
            String c = Identity.fold(r.get("city")), st = Identity.fold(r.get("state"));
            return s.isEmpty() || c.isEmpty() || st.isEmpty() ? null : s + "|" + c + "|" + st;
        });
        assertTrue(rows.size() > 100, "many customers have an address: " + rows.size());
        for (Map<String, String> r : rows.subList(0, 60)) {
            Map<String, String> request = new LinkedHashMap<>();
            request.put("house_number_and_street", r.get("house_number_and_street"));
            request.put("city", r.get("city").toLowerCase(Locale.ROOT));
            request.put("state", r.get("state"));
            request.put("person_first_name", "Someone");
            assertAnswers(r, request, "address_only");
        }
    }

    @Test
    void anUnknownPersonIsPlacedByTheModelFromTheTraitsSentAndTheAnswerSaysWhich() {
        PersonaModel model = readModel();
        JsonNode personas = builds.resources.require(A, ResourceType.PERSONA_SETS, setId).doc().path("personas");
        for (int p = 0; p < model.k(); p++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("email", "prospect" + p + "@nowhere.example");
            double[] row = new double[model.features().size()];
            List<String> sent = new ArrayList<>();
            for (int f = 0; f < row.length; f++) {
                Feature feature = model.features().get(f);
                Double centre = model.centers().get(p).get(feature.name());
                row[f] = Double.NaN;
                if (feature.kind() == Feature.Kind.CATEGORY || centre == null) continue;
                row[f] = centre;
                body.put(feature.trait(), centre);
                if (!sent.contains(feature.trait())) sent.add(feature.trait());
            }
            int expected = model.assign(row);
            Answer a = lookup(lookupId, body);
            assertEquals(200, a.status(), a.json().toString());
            assertEquals(personas.get(expected).path("id").asText(), a.json().path(idColumn()).asText(),
                    "the model's own assignment of persona " + p + "'s centre");
            assertEquals(personas.get(expected).path("name").asText(), a.json().path(nameColumn()).asText());
            List<String> placed = new ArrayList<>();
            a.json().path("personae_placed_by").path(setId).forEach(t -> placed.add(t.asText()));
            assertEquals(sent, placed, "the answer names the traits that placed the person");
            assertFalse(a.json().has("match_type"), "an unknown person has no match type");
            assertEquals("prospect" + p + "@nowhere.example", a.json().path("email").asText());
        }
    }

    static PersonaModel readModel() {
        try (InputStream in = builds.blobs.open(Keys.personaModel(A, setId))) {
            return Json.MAPPER.readValue(in, PersonaModel.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anUnknownPersonWithNothingUsableGetsTheReferencesNoMatchError() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("person_first_name", "Nobody");
        body.put("email", "nobody@nowhere.example");
        body.put("postcode", "02139");
        Answer a = lookup(lookupId, body);
        assertEquals(200, a.status(), "no match is a 200 whose error says so: " + a.json());
        assertEquals(Lookup.NO_MATCH, a.json().path("error").asText());
        body.forEach((k, v) -> assertEquals(v, a.json().path(k).asText(), "the identifiers are echoed"));
        a.json().fieldNames().forEachRemaining(f -> assertFalse(f.startsWith("fdy_"), "no payload without a match: " + f));
        assertEquals(Lookup.NO_MATCH, lookup(lookupId, Map.of()).json().path("error").asText(), "an empty body has no match");
    }

    static void assertError(Answer a, int status, String code, String path) {
        assertEquals(status, a.status(), "answered " + status + ": " + a.json());
        assertEquals(code, a.json().path("error").asText());
        assertFalse(a.json().path("id").asText().isEmpty(), "the error body has an id");
        assertFalse(a.json().path("note").asText().isEmpty(), "the error body has a note");
        if (path != null) {
            List<String> paths = new ArrayList<>();
            a.json().path("validationErrors").forEach(e -> paths.add(e.path("path").asText()));
            assertEquals(List.of(path), paths, "the error names the field");
        }
    }

    @Test
    void malformedBodiesAre4xxWithTheReferencesErrorBody() {
        String path = "/v1/targets/" + lookupId + "/lookup";
        assertError(call("POST", path, "{\"email\": "), 400, "BAD_REQUEST", null);
        assertError(call("POST", path, "[\"a@b.c\"]"), 400, "BAD_REQUEST", null);
        assertError(call("POST", path, "{\"email\": 42}"), 400, "VALIDATION_FAILED", "/email");
        assertError(call("POST", path, "{\"postcode\": 2139}"), 400, "VALIDATION_FAILED", "/postcode");
        assertError(call("POST", path, "{\"favourite_colour\": \"blue\"}"), 400, "VALIDATION_FAILED", "/favourite_colour");
        assertError(call("POST", path, "{\"latitude\": 42.3}"), 400, "VALIDATION_FAILED", "/latitude");
        String numeric = readModel().features().stream().filter(f -> f.kind() == Feature.Kind.FREQUENCY).findFirst()
                .orElseThrow().trait();
        assertError(call("POST", path, "{\"" + numeric + "\": {\"a\": 1}}"), 400, "VALIDATION_FAILED", "/" + numeric);
        Answer text = call("POST", path, "{\"" + numeric + "\": \"many\"}");
        assertError(text, 400, "BAD_REQUEST", null);
        assertTrue(text.json().path("note").asText().contains(numeric), "the note names the trait: " + text.json());
    }

    @Test
    void aLookupOnAHostedCsvTargetIs400AndOnNoTarget404() {
        Answer a = lookup(hostedId, Map.of("email", "a@b.c"));
        assertError(a, 400, "BAD_REQUEST", null);
        assertTrue(a.json().path("note").asText().contains("lookup_api"), a.json().toString());
        assertError(lookup("00000000-0000-4000-8000-000000000000", Map.of("email", "a@b.c")), 404, "NOT_FOUND", null);
    }

    @Test
    void aLookupTargetsOutputUrlIsItsLookupEndpointAndItsStructureThePayload() {
        JsonNode t = call("GET", "/v1/targets/" + lookupId, null).json();
        assertEquals("http://personae.test:8080/v1/targets/" + lookupId + "/lookup", t.path("options").path("output_url").asText());
        List<String> cols = new ArrayList<>();
        t.path("final_structure").forEach(c -> cols.add(c.path("output_col").asText()));
        assertEquals(List.of(idColumn(), nameColumn()), cols);
    }

    @Test
    void aLookupTargetHasNoCsvToDownloadOrPreview() {
        for (String path : List.of("/download.csv", "/preview")) {
            Answer a = call(path.equals("/preview") ? "POST" : "GET", "/v1/targets/" + lookupId + path, null);
            assertError(a, 400, "BAD_REQUEST", null);
            assertTrue(a.json().path("note").asText().contains("/lookup"), "the note names the lookup endpoint: " + a.json());
        }
    }

    @Test
    void aLookupTargetRefusesFiltersLimitsOtherModesAndCsvOptionsNamingTheField() {
        String base = "{\"name\": \"L\", \"scope_id\": \"" + scopeId + "\", \"options\": {\"type\": \"lookup_api\"";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(base + "}, \"filter\": {\"persona\": [{\"persona_set_id\": \"" + setId + "\", \"persona_id\": \"x\","
                + " \"_eq\": true}]}}", "/filter");
        cases.put(base + "}, \"limit\": {\"method\": \"row_count\", \"threshold\": 10}}", "/limit");
        cases.put(base + "}, \"representation\": {\"mode\": \"hashed\"}}", "/representation");
        cases.put(base + "}, \"representation\": {\"mode\": \"identified\", \"aggregate\": \"residence\"}}", "/representation");
        cases.put(base + ", \"delimiter\": \";\"}}", "/options/delimiter");
        cases.forEach((body, field) -> assertError(call("POST", "/v1/targets", body), 400, "VALIDATION_FAILED", field));
        Answer patched = call("PATCH", "/v1/targets/" + lookupId, "{\"options\": {\"type\": \"lookup_api\"},"
                + " \"limit\": {\"method\": \"row_count\", \"threshold\": 10}}");
        assertError(patched, 400, "VALIDATION_FAILED", "/limit");
    }

    @Test
    void aTargetRebuiltWhileServingSwitchesToTheNewModelWithNoErrorInBetween() throws Exception {
        List<Map<String, String>> before = firstBy(scopeRows(), r -> Identity.normalizeEmail(r.get("email")));
        List<Map<String, String>> sample = before.subList(0, 40);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int offset = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = offset; !stop.get(); i++) {
                    Map<String, String> r = sample.get(i % sample.size());
                    Answer a = lookup(lookupId, Map.of("email", r.get("email")));
                    if (a.status() != 200 || !a.json().has(idColumn())) failures.add(a.status() + " " + a.json());
                    answered.incrementAndGet();
                }
            }));
        }
        builds.resources.update(A, ResourceType.PERSONA_SETS, setId, s -> ((ObjectNode) s.doc()).put("number_of_clusters", 5));
        buildPersonaSet();
        buildScope();
        buildTarget(lookupId);
        Thread.sleep(1500); // beyond the API's one-second recheck
        stop.set(true);
        for (Thread t : threads) t.join(10_000);
        assertTrue(answered.get() > 100, "lookups ran during the rebuild: " + answered.get());
        assertEquals(List.of(), new ArrayList<>(failures), "no lookup failed while the target rebuilt");
        PersonaModel model = readModel();
        assertEquals(5, model.k(), "the persona set was re-fitted with five personas");
        Map<String, Map<String, String>> after = new LinkedHashMap<>();
        for (Map<String, String> r : scopeRows()) after.putIfAbsent(Identity.normalizeEmail(r.get("email")), r);
        for (Map<String, String> r : sample) {
            assertAnswers(after.get(Identity.normalizeEmail(r.get("email"))), Map.of("email", r.get("email")), "email_only");
        }
        JsonNode personas = builds.resources.require(A, ResourceType.PERSONA_SETS, setId).doc().path("personas");
        Set<String> answeredIds = new HashSet<>();
        for (int p = 0; p < 5; p++) {
            Map<String, Object> body = new LinkedHashMap<>();
            double[] row = new double[model.features().size()];
            for (int f = 0; f < row.length; f++) {
                Feature feature = model.features().get(f);
                Double centre = model.centers().get(p).get(feature.name());
                row[f] = feature.kind() == Feature.Kind.CATEGORY || centre == null ? Double.NaN : centre;
                if (!Double.isNaN(row[f])) body.put(feature.trait(), centre);
            }
            String id = lookup(lookupId, body).json().path(idColumn()).asText();
            assertEquals(personas.get(model.assign(row)).path("id").asText(), id, "unknown people are placed by the new model");
            answeredIds.add(id);
        }
        assertTrue(answeredIds.size() > 3, "the new model's personas answer (more than the old model's three): " + answeredIds);
    }
}
