package personae.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import personae.core.Services;
import personae.core.pipeline.Keys;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.testing.InMemoryBlobStore;
import personae.core.testing.InMemoryMetadataStore;
import personae.core.testing.RecordingWorkflowStarter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PersonaeApiTest {

    static final String KEY = "test-key-0123456789";
    static final String ACCOUNT = "acct-1";
    static final long UPLOAD_LIMIT = 10_000;

    InMemoryMetadataStore metadata;
    InMemoryBlobStore blobs;
    RecordingWorkflowStarter workflows;
    PersonaeApi api;

    static final String DATASET = """
            {"name": "orders", "options": {"type": "hosted_csv", "upload_directory": "orders"},
             "identity_sets": {"customer": {"email": "email"}},
             "output_to_streams": {"orders": {"data_map": {"datetime": {"column_name": "date", "format": "yyyy_mm_dd_dash"},
                                                           "value": {"column_name": "total", "format": "currency_dollars"}}}},
             "output_to_traits": {"tier": {"column_name": "tier"}}}""";

    @BeforeEach
    void setUp() {
        metadata = new InMemoryMetadataStore();
        Clock clock = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);
        blobs = new InMemoryBlobStore(clock);
        workflows = new RecordingWorkflowStarter();
        Services services = new Services(metadata, blobs, workflows, clock, new Services.Settings(5L << 20, UPLOAD_LIMIT,
                Duration.ofHours(1), Duration.ofMillis(10), "s3://data-bucket/uploads/"));
        PersonaeApi.ensureAccount(services, ACCOUNT, "Test account", KEY);
        api = new PersonaeApi(services);
    }

    record Answer(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            return Json.read(body);
        }

        Answer expect(int expected) {
            assertEquals(expected, status, body);
            return this;
        }
    }

    Answer call(String method, String path, String body, String... headers) {
        return call(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Answer call(String method, String path, byte[] body, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + KEY);
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i + 1] == null) h.remove(headers[i]);
            else h.put(headers[i], headers[i + 1]);
        }
        ApiResponse r = api.handle(ApiRequest.of(method, path, h, body));
        return new Answer(r.status(), r.headers(), r.bodyText());
    }

    static void assertErrorBody(Answer a, String code) {
        JsonNode j = a.json();
        assertEquals(code, j.path("error").asText(), a.body());
        assertFalse(j.path("id").asText().isBlank(), a.body());
        assertFalse(j.path("note").asText().isBlank(), a.body());
    }

    static List<String> paths(Answer a) {
        List<String> out = new ArrayList<>();
        a.json().path("validationErrors").forEach(e -> out.add(e.path("path").asText()));
        return out;
    }

    // ---------------------------------------------------------------- auth

    @Test
    void missingOrWrongKeyIs401() {
        Answer a = call("GET", "/v1/datasets", (String) null, "Authorization", null).expect(401);
        assertErrorBody(a, "MISSING_API_KEY");
        a = call("GET", "/v1/datasets", (String) null, "Authorization", "Bearer wrong-key-0123456789").expect(401);
        assertErrorBody(a, "INVALID_AUTHORIZATION");
        a = call("GET", "/v1/datasets", (String) null, "Authorization", "Basic " + KEY).expect(401);
        assertErrorBody(a, "INVALID_AUTHORIZATION");
        call("GET", "/v1/datasets", (String) null, "authorization", "bearer " + KEY).expect(200);
        assertEquals(ACCOUNT, call("GET", "/v1/accounts/current", (String) null).expect(200).json().path("id").asText());
    }

    // ---------------------------------------------------------------- bodies

    @Test
    void invalidJsonIs400WithLineAndColumn() {
        Answer a = call("POST", "/v1/datasets", "{\n  \"name\": \"x\",\n  oops\n}").expect(400);
        assertErrorBody(a, "BAD_REQUEST");
        assertTrue(a.json().path("note").asText().contains("line 3, column"), a.body());
        assertEquals("application/json", a.headers().get("Content-Type"));
        assertErrorBody(call("POST", "/v1/datasets", "").expect(400), "BAD_REQUEST");
        assertErrorBody(call("POST", "/v1/datasets", "[1]").expect(400), "BAD_REQUEST");
        assertTrue(workflows.requests().isEmpty());
    }

    @Test
    void validationFailuresListEveryPath() {
        String noDirectory = DATASET.replace("\"upload_directory\": \"orders\"", "\"delimiter\": \",\"");
        Answer a = call("POST", "/v1/datasets", noDirectory).expect(400);
        assertErrorBody(a, "VALIDATION_FAILED");
        assertEquals(List.of("/options/upload_directory"), paths(a));

        a = call("POST", "/v1/datasets", DATASET.replace("yyyy_mm_dd_dash", "dd.mm.yyyy")).expect(400);
        assertEquals(List.of("/output_to_streams/orders/data_map/datetime/format"), paths(a));
        assertTrue(a.json().path("note").asText().contains("dd.mm.yyyy"), a.body());

        a = call("POST", "/v1/datasets", DATASET.replace("{\"name\": \"orders\",", "{\"name\": \"orders\", \"colour\": \"blue\",")).expect(400);
        assertEquals(List.of("/colour"), paths(a));
        assertEquals("additionalProperties", a.json().path("validationErrors").get(0).path("context").path("errorType").asText());

        // several problems at once
        a = call("POST", "/v1/datasets", "{\"options\": {\"type\": \"hosted_csv\", \"upload_directory\": \"has space\"}, \"identity_sets\": {}}").expect(400);
        assertEquals(List.of("/name", "/options/upload_directory", "/identity_sets"), paths(a));
        assertEquals(0, metadata.count(ACCOUNT, "datasets"));
    }

    @Test
    void aDatasetIdentifiedByReferenceKeysAloneNeedsNoIdentitySet() {
        String byId = DATASET.replace("{\"customer\": {\"email\": \"email\"}}", "{}");
        Answer a = call("POST", "/v1/datasets", byId).expect(400);
        assertEquals(List.of("/identity_sets"), paths(a));
        assertTrue(a.body().contains("reference_key_columns"), "the error says how to identify people by id: " + a.body());
        call("POST", "/v1/datasets", byId.replace("\"identity_sets\": {}",
                "\"identity_sets\": {}, \"reference_key_columns\": [\"customer_id\"]")).expect(201);
        call("POST", "/v1/datasets", byId.replace("\"identity_sets\": {}",
                "\"identity_sets\": {}, \"reference_key_column\": \"customer_id\"")).expect(201);
        a = call("POST", "/v1/datasets", DATASET.replace("\"identity_sets\"",
                "\"reference_key_columns\": [\"id\", \"email\"], \"identity_sets\"")).expect(400);
        assertEquals(List.of("/reference_key_columns/1"), paths(a), "a key column cannot also be a mapped identity key");
    }

    @Test
    void aValueMayBeMultipliedByASecondColumnAndOnlyANumberMay() {
        call("POST", "/v1/datasets", DATASET.replace("\"format\": \"currency_dollars\"",
                "\"format\": \"currency_dollars\", \"multiply_by_column\": \"quantity\"")).expect(201);
        Answer a = call("POST", "/v1/datasets", DATASET.replace("\"format\": \"yyyy_mm_dd_dash\"",
                "\"format\": \"yyyy_mm_dd_dash\", \"multiply_by_column\": \"quantity\"")).expect(400);
        assertEquals(List.of("/output_to_streams/orders/data_map/datetime/multiply_by_column"), paths(a));
        a = call("POST", "/v1/datasets", DATASET.replace("\"format\": \"currency_dollars\"",
                "\"format\": \"currency_dollars\", \"multiply_by_column\": 2")).expect(400);
        assertEquals(List.of("/output_to_streams/orders/data_map/value/multiply_by_column"), paths(a));
    }

    // ---------------------------------------------------------------- resources

    @Test
    void createListGetPatchDelete() {
        Answer created = call("POST", "/v1/datasets", DATASET).expect(201);
        JsonNode d = created.json();
        String id = d.path("id").asText();
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
        assertEquals("datasets", d.path("resource_type").asText());
        assertEquals("new", d.path("status").asText());
        assertEquals("2025-03-01T12:00:00Z", d.path("created_at").asText());
        assertEquals("orders", d.path("options").path("upload_directory").asText());
        assertFalse(d.has("_internal"));
        assertEquals(List.of(new BuildRequest(ACCOUNT, "datasets", id)), workflows.requests());

        JsonNode list = call("GET", "/v1/datasets", (String) null).expect(200).json();
        assertEquals(1, list.size());
        assertEquals(id, list.get(0).path("id").asText());
        assertEquals("orders", call("GET", "/v1/datasets/" + id, (String) null).expect(200).json().path("name").asText());

        // merge patch: objects merge, null removes
        JsonNode patched = call("PATCH", "/v1/datasets/" + id,
                "{\"name\": \"orders 2\", \"options\": {\"delimiter\": \";\"}, \"output_to_traits\": null}").expect(200).json();
        assertEquals("orders 2", patched.path("name").asText());
        assertEquals(";", patched.path("options").path("delimiter").asText());
        assertEquals("orders", patched.path("options").path("upload_directory").asText(), "kept by the merge");
        assertFalse(patched.has("output_to_traits"), "null clears");
        assertEquals("new", patched.path("status").asText());
        assertEquals(1, workflows.requests("datasets").size(), "the first build is on its way: the patch waits for it");
        new personae.core.resource.Resources(metadata, Clock.systemUTC())
                .setStatus(ACCOUNT, personae.core.resource.ResourceType.DATASETS, id, personae.core.resource.Status.READY, null);
        assertEquals("new", call("PATCH", "/v1/datasets/" + id, "{\"name\": \"orders 2\"}").expect(200).json()
                .path("status").asText());
        assertEquals(2, workflows.requests("datasets").size(), "a patch of a built dataset rebuilds it");
        assertFalse(call("GET", "/v1/datasets/" + id, (String) null).json().has("output_to_traits"));

        // a patch that breaks the document is refused and changes nothing
        Answer bad = call("PATCH", "/v1/datasets/" + id, "{\"options\": {\"upload_directory\": null}}").expect(400);
        assertEquals(List.of("/options/upload_directory"), paths(bad));
        assertEquals("orders", call("GET", "/v1/datasets/" + id, (String) null).json().path("options").path("upload_directory").asText());
        assertEquals(List.of("/row_count"), paths(call("PATCH", "/v1/datasets/" + id, "{\"row_count\": 5}").expect(400)));

        call("DELETE", "/v1/datasets/" + id, (String) null).expect(204);
        assertErrorBody(call("GET", "/v1/datasets/" + id, (String) null).expect(404), "NOT_FOUND");
    }

    @Test
    void unknownIdsAre404() {
        for (String type : List.of("datasets", "cohorts", "persona_sets", "scopes", "targets")) {
            Answer a = call("GET", "/v1/" + type + "/nope", (String) null).expect(404);
            assertErrorBody(a, "NOT_FOUND");
            assertTrue(a.json().path("note").asText().contains("nope"), a.body());
            call("DELETE", "/v1/" + type + "/nope", (String) null).expect(404);
            call("PATCH", "/v1/" + type + "/nope", "{\"name\": \"x\"}").expect(404);
        }
        call("GET", "/v1/streams/nope", (String) null).expect(404);
    }

    @Test
    void deletingACohortUsedByAPersonaSetIs409NamingIt() {
        call("POST", "/v1/datasets", DATASET).expect(201);
        String cohort = call("POST", "/v1/cohorts", "{\"name\": \"buyers\", \"stream_name\": \"orders\"}").expect(201).json().path("id").asText();
        String set = call("POST", "/v1/persona_sets", "{\"name\": \"shoppers\", \"cohort_id\": \"" + cohort + "\"}").expect(201).json().path("id").asText();
        Answer a = call("DELETE", "/v1/cohorts/" + cohort, (String) null).expect(409);
        assertErrorBody(a, "CONFLICT");
        String note = a.json().path("note").asText();
        assertTrue(note.contains("persona set 'shoppers'") && note.contains(set), note);
        call("DELETE", "/v1/persona_sets/" + set, (String) null).expect(204);
        call("DELETE", "/v1/cohorts/" + cohort, (String) null).expect(204);

        Answer missing = call("POST", "/v1/persona_sets", "{\"name\": \"x\", \"cohort_id\": \"nope\"}").expect(400);
        assertEquals(List.of("/cohort_id"), paths(missing));
    }

    @Test
    void modelingFieldsNameThisAccountsTraitsAndThirdPartyFieldsAreRefusedByName() {
        call("POST", "/v1/datasets", DATASET).expect(201);
        String cohort = call("POST", "/v1/cohorts", "{\"name\": \"buyers\", \"stream_name\": \"orders\"}").expect(201).json().path("id").asText();
        Answer fig = call("POST", "/v1/persona_sets", "{\"name\": \"p\", \"cohort_id\": \"" + cohort
                + "\", \"modeling_fields\": [\"orders_frequency\", \"fig/age\"]}").expect(400);
        assertEquals(List.of("/modeling_fields/1"), paths(fig), "the third-party field is named, not ignored");
        assertTrue(fig.json().path("note").asText().contains("fig/age"), fig.body());
        call("POST", "/v1/persona_sets", "{\"name\": \"p\", \"cohort_id\": \"" + cohort
                + "\", \"modeling_fields\": [\"orders_frequency\", \"orders_total_value\"]}").expect(201);
    }

    @Test
    void datasetsCreateTheirStreams() {
        String ds = call("POST", "/v1/datasets", DATASET).expect(201).json().path("id").asText();
        JsonNode byName = call("GET", "/v1/streams/orders", (String) null).expect(200).json();
        assertEquals("orders", byName.path("name").asText());
        assertEquals("streams", byName.path("resource_type").asText());
        assertEquals("date", byName.path("properties").path("datetime").path("type").asText());
        assertEquals("double", byName.path("properties").path("value").path("type").asText());
        assertEquals(ds, byName.path("properties").path("value").path("emitted_by_datasets").get(0).path("dataset_id").asText());
        String id = byName.path("id").asText();
        assertEquals("orders", call("GET", "/v1/streams/" + id, (String) null).expect(200).json().path("name").asText());
        assertEquals(1, call("GET", "/v1/streams", (String) null).expect(200).json().size());
        // a second dataset on the same stream does not create another
        call("POST", "/v1/datasets", DATASET.replace("\"upload_directory\": \"orders\"", "\"upload_directory\": \"more\"")).expect(201);
        assertEquals(1, call("GET", "/v1/streams", (String) null).json().size());
        Answer conflict = call("DELETE", "/v1/streams/orders", (String) null).expect(409);
        assertTrue(conflict.json().path("note").asText().contains(ds), conflict.body());
    }

    // ---------------------------------------------------------------- uploads

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    @Test
    void uploadIsStoredAndListedWithSizeAndMd5() throws Exception {
        byte[] csv = "email,date,total,tier\na@x.com,2024-01-01,3,G\n".getBytes(StandardCharsets.UTF_8);
        Answer a = call("POST", "/v1/uploads/orders/jan.csv", csv, "Content-Length", Integer.toString(csv.length));
        assertEquals(200, a.status(), a.body());
        assertArrayEquals(csv, blobs.bytes(Keys.upload(ACCOUNT, "orders", "jan.csv")));
        JsonNode list = call("GET", "/v1/uploads", (String) null).expect(200).json();
        assertEquals(1, list.size());
        JsonNode u = list.get(0);
        assertEquals("orders/jan.csv", u.path("subpath").asText());
        assertEquals(csv.length, u.path("file_size").asLong());
        assertEquals(md5(csv), u.path("md5_hash").asText());
        assertEquals("2025-03-01T12:00:00Z", u.path("created_at").asText());
        assertEquals(new String(csv, StandardCharsets.UTF_8), call("GET", "/v1/uploads/orders/jan.csv", (String) null).expect(200).body());

        // replacing keeps one entry with the new digest
        byte[] again = "email,date,total,tier\nb@x.com,2024-01-02,4,S\n".getBytes(StandardCharsets.UTF_8);
        call("POST", "/v1/uploads/orders/jan.csv", again).expect(200);
        list = call("GET", "/v1/uploads", (String) null).json();
        assertEquals(1, list.size());
        assertEquals(md5(again), list.get(0).path("md5_hash").asText());

        call("DELETE", "/v1/uploads/orders/jan.csv", (String) null).expect(204);
        assertEquals(0, call("GET", "/v1/uploads", (String) null).json().size());
        assertNull(blobs.bytes(Keys.upload(ACCOUNT, "orders", "jan.csv")));
        call("GET", "/v1/uploads/orders/jan.csv", (String) null).expect(404);
    }

    @Test
    void aBrokenTransferNeverReplacesTheStoredFile() throws Exception {
        byte[] good = "email,date,total,tier\na@x.com,2024-01-01,3,G\n".getBytes(StandardCharsets.UTF_8);
        call("POST", "/v1/uploads/orders/jan.csv", good).expect(200);
        java.io.InputStream dropped = new java.io.InputStream() {
            int sent;

            @Override
            public int read() throws java.io.IOException {
                if (sent++ < 10) return 'x';
                throw new java.io.IOException("connection reset");
            }
        };
        ApiResponse r = api.handle(new ApiRequest("POST", "/v1/uploads/orders/jan.csv",
                Map.of("Authorization", "Bearer " + KEY), dropped));
        assertEquals(400, r.status());
        assertTrue(r.bodyText().contains("interrupted"), r.bodyText());
        assertArrayEquals(good, blobs.bytes(Keys.upload(ACCOUNT, "orders", "jan.csv")));
        assertEquals(md5(good), call("GET", "/v1/uploads", (String) null).json().get(0).path("md5_hash").asText());
    }

    @Test
    void anUploadRebuildsReadyDatasetsOnItsDirectory() {
        String id = call("POST", "/v1/datasets", DATASET).expect(201).json().path("id").asText();
        workflows.clear();
        call("POST", "/v1/uploads/orders/a.csv", "email,date,total,tier\n").expect(200);
        assertTrue(workflows.requests().isEmpty(), "the dataset is still new: its build is already on its way");
        new personae.core.resource.Resources(metadata, Clock.systemUTC()).setStatus(ACCOUNT,
                personae.core.resource.ResourceType.DATASETS, id, personae.core.resource.Status.READY, null);
        call("POST", "/v1/uploads/orders/b.csv", "email,date,total,tier\n").expect(200);
        call("POST", "/v1/uploads/elsewhere/c.csv", "x\n").expect(200);
        assertEquals(List.of(new BuildRequest(ACCOUNT, "datasets", id)), workflows.requests());
    }

    @Test
    void aRaggedUploadIs400NamingLineAndColumnButIsKept() throws Exception {
        byte[] csv = "a,b,c\n1,2,3\n4,5\n".getBytes(StandardCharsets.UTF_8);
        Answer a = call("POST", "/v1/uploads/orders/bad.csv", csv).expect(400);
        assertErrorBody(a, "BAD_REQUEST");
        String note = a.json().path("note").asText();
        assertTrue(note.contains("line 3") && note.contains("column 'c'"), note);
        assertTrue(note.contains("orders/bad.csv"), note);
        assertArrayEquals(csv, blobs.bytes(Keys.upload(ACCOUNT, "orders", "bad.csv")), "stored anyway");
        JsonNode list = call("GET", "/v1/uploads", (String) null).expect(200).json();
        assertEquals(1, list.size());
        assertEquals(md5(csv), list.get(0).path("md5_hash").asText());

        // an unbalanced quote, with a dataset's delimiter
        call("POST", "/v1/datasets", DATASET.replace("\"upload_directory\": \"orders\"", "\"upload_directory\": \"semi\", \"delimiter\": \";\"")).expect(201);
        a = call("POST", "/v1/uploads/semi/q.csv", "a;b\n1;2\n\"3;4\n").expect(400);
        assertTrue(a.json().path("note").asText().contains("line 3"), a.body());
        call("POST", "/v1/uploads/semi/ok.csv", "a;b\n1;2,5\n").expect(200);
        // files Personae cannot read (encrypted, bzip2) are refused before anything is stored (issue 5)
        a = call("POST", "/v1/uploads/semi/blob.gpg", "\u0001\u0002\"").expect(400);
        assertEquals(List.of("/filename"), paths(a));
        assertNull(blobs.bytes(Keys.upload(ACCOUNT, "semi", "blob.gpg")), "an unreadable format is not stored");
    }

    @Test
    void uploadPathsAreValidated() {
        Answer a = call("POST", "/v1/uploads/bad.dir/file.csv", "a\n").expect(400);
        assertEquals(List.of("/directory"), paths(a));
        a = call("POST", "/v1/uploads/orders/file.exe", "a\n").expect(400);
        assertEquals(List.of("/filename"), paths(a));
        a = call("POST", "/v1/uploads/-x/.hidden.csv", "a\n").expect(400);
        assertEquals(List.of("/directory", "/filename"), paths(a));
        assertTrue(blobs.keys().stream().noneMatch(k -> k.startsWith(Keys.UPLOADS)));
    }

    @Test
    void uploadsAboveTheLimitAre413NamingTheDropFolder() {
        Answer a = call("POST", "/v1/uploads/orders/big.csv", "a\n1\n", "Content-Length", Long.toString(UPLOAD_LIMIT + 1)).expect(413);
        String note = a.json().path("note").asText();
        assertTrue(note.contains("s3://data-bucket/uploads/" + ACCOUNT + "/orders/big.csv"), note);
        assertTrue(note.contains(Long.toString(UPLOAD_LIMIT)), note);
        assertTrue(blobs.keys().isEmpty() || blobs.keys().stream().noneMatch(k -> k.startsWith(Keys.UPLOADS)));
        call("POST", "/v1/uploads/orders/small.csv", "a\n1\n", "Content-Length", Long.toString(UPLOAD_LIMIT)).expect(200);
    }

    // ---------------------------------------------------------------- routing

    @Test
    void unknownPathsAndMethods() {
        Answer a = call("GET", "/v1/nothing", (String) null).expect(404);
        assertErrorBody(a, "NOT_FOUND");
        a = call("PUT", "/v1/datasets", "{}").expect(405);
        assertTrue(a.json().path("note").asText().contains("GET, POST"), a.body());
        assertErrorBody(call("GET", "/v1/datasets/%zz", (String) null).expect(400), "BAD_REQUEST");
        assertErrorBody(call("POST", "/v1/uploads/orders/a.csv", "x", "Content-Length", "lots").expect(400), "BAD_REQUEST");
    }

    @Test
    void malformedBodiesNeverGiveA500() {
        List<String> bodies = List.of("null", "[]", "42", "\"text\"", "{}", "{\"name\": null}", "{\"name\": 7}",
                "{\"name\": \"x\", \"options\": []}", "{\"name\": \"x\", \"options\": {\"type\": 1}}",
                "{\"name\": \"x\", \"identity_sets\": {\"a\": []}}",
                "{\"name\": \"x\", \"identity_sets\": {\"a\": {\"house_number_and_street\": \"addr\"}}}",
                "{\"name\": \"x\", \"output_to_streams\": {\"s\": {\"data_map\": {\"datetime\": {\"column_name\": 5}}}}}",
                "{\"name\": \"x\", \"output_to_streams\": {\"s\": {\"data_map\": {}, \"conditions\": [{\"_in\": \"a\"}]}}}",
                "{\"name\": \"x\", \"stream_name\": \"s\", \"stream_conditions\": [{\"property\": \"p\", \"_matches\": \"(\"}]}",
                "{\"name\": \"x\", \"stream_name\": \"s\", \"recency\": {\"occurrence\": \"middle\"}}",
                "{\"name\": \"x\", \"cohort_id\": \"c\", \"number_of_clusters\": \"five\"}",
                "{\"name\": \"x\", \"population\": {\"cohort_ids\": \"c\"}, \"payload\": {}, \"preview\": \"yes\"}",
                "{\"name\": \"x\", \"scope_id\": \"s\", \"options\": {\"type\": \"hosted_csv\"},"
                        + " \"representation\": {\"mode\": \"identified\"}, \"limit\": {\"method\": \"row_count\", \"threshold\": -1}}",
                "{\"name\": \"x\", \"custom_structure\": [1, 2]}", "{\"name\": \"x\", \"filter\": {\"persona\": [{}]}}");
        for (String type : List.of("datasets", "cohorts", "persona_sets", "scopes", "targets")) {
            for (String body : bodies) {
                Answer a = call("POST", "/v1/" + type, body);
                assertTrue(a.status() >= 400 && a.status() < 500, type + " " + body + " -> " + a.status() + " " + a.body());
                assertErrorBody(a, a.json().path("error").asText());
            }
        }
    }

    @Test
    void accountsSeeOnlyTheirOwnResources() {
        String id = call("POST", "/v1/cohorts", "{\"name\": \"Mine\", \"stream_name\": \"orders\"}").expect(201)
                .json().get("id").asText();
        PersonaeApi.ensureAccount(new Services(metadata, blobs, workflows, Clock.systemUTC(),
                Services.Settings.local()), "other-account", "Other", "other-key-0123456789");
        String other = "Bearer other-key-0123456789";
        assertErrorBody(call("GET", "/v1/cohorts/" + id, (String) null, "Authorization", other).expect(404), "NOT_FOUND");
        assertEquals(0, call("GET", "/v1/cohorts", (String) null, "Authorization", other).expect(200).json().size());
        call("DELETE", "/v1/cohorts/" + id, (String) null, "Authorization", other).expect(404);
        assertEquals("other-account", call("GET", "/v1/accounts/current", (String) null, "Authorization", other)
                .json().get("id").asText());
        call("GET", "/v1/cohorts/" + id, (String) null).expect(200);
    }
}
