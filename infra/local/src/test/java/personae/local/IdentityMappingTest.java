package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import personae.local.Tutorial.Answer;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static personae.local.Tutorial.created;

/**
 * Mapping a file whose people are known by a customer id, through the local HTTP API: the id mapped as an email is a
 * dataset in error that says which mapping to fix, no identity at all is a 400, and {@code reference_key_columns}
 * builds a dataset whose people, dropped rows and target CSV (with the id column) are what the file says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityMappingTest {

    static final String KEY = "identity-mapping-key-0123456789";
    static final Duration BUILD = Duration.ofMinutes(2);

    /** Order lines: 3 customers, a repeated line, 2 lines without a customer id (one of them twice). */
    static final String LINES = """
            InvoiceDate,Description,Quantity,UnitPrice,CustomerID
            2011-01-01 10:00,mug,2,1.25,17850
            2011-01-01 10:00,lamp,1,10,17850
            2011-01-01 10:00,lamp,1,10,17850
            2011-01-02 09:30,mug,6,1.25,
            2011-01-02 09:30,mug,6,1.25,
            2011-01-02 09:31,plate,1,2.5,
            2011-01-03 12:00,mug,2,1.25,13047
            2011-01-04 12:00,mug,-2,1.25,13047
            2011-01-05 08:00,plate,4,2.5,12583
            """;

    Path dataDir;
    LocalRuntime runtime;
    Tutorial api;

    @BeforeAll
    void start() throws IOException {
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-identity-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
        api = new Tutorial(runtime.baseUrl(), KEY);
        Path csv = dataDir.resolve("lines.csv");
        Files.writeString(csv, LINES);
        assertEquals(200, api.upload("lines", "lines.csv", csv).status());
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    static String dataset(String name, String identity) {
        return "{\"name\": \"" + name + "\", \"options\": {\"type\": \"hosted_csv\", \"upload_directory\": \"lines\"}, "
                + identity + ", \"output_to_streams\": {\"orders_" + name + "\": {\"data_map\": {"
                + "\"datetime\": {\"column_name\": \"InvoiceDate\", \"format\": \"date_iso8601\"}, "
                + "\"value\": {\"column_name\": \"UnitPrice\", \"multiply_by_column\": \"Quantity\"}}}}}";
    }

    @Test
    void aCustomerIdMappedAsAnEmailIsAnErrorThatSaysToListItAsAReferenceKey() {
        String id = created(api.postJson("/datasets", dataset("as_email",
                "\"identity_sets\": {\"customer\": {\"email\": \"CustomerID\"}}")));
        JsonNode ds = api.awaitBuilt("/datasets/" + id, BUILD, new ArrayList<>());
        assertEquals("error", ds.path("status").asText(), "a dataset that identifies nobody is not ready: " + ds);
        String error = ds.path("status_error").asText();
        assertTrue(error.contains("the email column 'CustomerID' holds no email addresses"),
                "the error names the email column that holds no emails: " + error);
        assertTrue(error.contains("reference_key_columns"), "and says how to map a customer id: " + error);

        // the fix the error suggests, as a PATCH: the set removed, the id a reference key
        Answer patched = api.send("PATCH", "/datasets/" + id, "application/json", java.net.http.HttpRequest
                .BodyPublishers.ofString("{\"identity_sets\": {\"customer\": null}, \"reference_key_columns\": [\"CustomerID\"]}"));
        assertEquals(200, patched.status(), patched.body());
        ds = api.awaitBuilt("/datasets/" + id, BUILD, new ArrayList<>());
        assertEquals("ready", ds.path("status").asText(), ds.toString());
        assertEquals(3, ds.path("identified_count").asLong(), "three customer ids");
    }

    @Test
    void aDatasetWithNoIdentityAtAllIsRefusedNamingBothWaysToIdentifyPeople() {
        Answer a = api.postJson("/datasets", dataset("nobody", "\"identity_sets\": {}"));
        assertEquals(400, a.status(), a.body());
        JsonNode error = a.json().path("validationErrors").get(0);
        assertEquals("/identity_sets", error.path("path").asText(), a.body());
        assertTrue(a.body().contains("reference_key_columns"), a.body());
    }

    @Test
    void referenceKeysIdentifyPeopleCountDroppedRowsAndAppearInTheTarget() throws IOException {
        String dataset = created(api.postJson("/datasets", dataset("by_id",
                "\"identity_sets\": {}, \"reference_key_columns\": [\"CustomerID\"]")));
        String cohort = created(api.postJson("/cohorts", "{\"name\": \"By id\", \"stream_name\": \"orders_by_id\"}"));
        String personaSet = created(api.postJson("/persona_sets", "{\"name\": \"By id personas\", \"cohort_id\": \""
                + cohort + "\", \"number_of_clusters\": 1}"));
        String scope = created(api.postJson("/scopes", "{\"name\": \"By id\", \"population\": {\"cohort_ids\": [\""
                + cohort + "\"]}, \"payload\": {\"persona_set_ids\": [\"" + personaSet + "\"]}, \"preview\": false}"));
        String target = created(api.postJson("/targets", "{\"name\": \"By id CSV\", \"scope_id\": \"" + scope
                + "\", \"options\": {\"type\": \"hosted_csv\"}}"));
        api.awaitAll(new Tutorial.Ids(dataset, cohort, personaSet, scope, target), BUILD);

        JsonNode ds = api.get("/datasets/" + dataset).json();
        List<String> lines = LINES.lines().skip(1).toList();
        long withoutId = lines.stream().distinct().filter(l -> l.endsWith(",")).count();
        long repeats = lines.size() - lines.stream().distinct().count();
        assertEquals(lines.size(), ds.path("row_count").asLong(), "row_count: the rows read");
        assertEquals(3, ds.path("identified_count").asLong());
        assertEquals(Map.of("duplicate", repeats, "no_identity", withoutId),
                Map.of("duplicate", ds.path("rows_dropped").path("duplicate").asLong(),
                        "no_identity", ds.path("rows_dropped").path("no_identity").asLong()),
                "each dropped row under its one reason: " + ds.path("rows_dropped"));

        JsonNode sc = api.get("/scopes/" + scope).json();
        assertEquals("CustomerID", sc.path("columns").path("identity_columns").get(0).asText(), sc.toString());

        Answer csv = api.get("/targets/" + target + "/download.csv");
        assertEquals(200, csv.status(), csv.body());
        Map<String, Long> customers = new TreeMap<>();
        try (CSVParser p = CSVParser.parse(new StringReader(csv.body()),
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            assertEquals("CustomerID", p.getHeaderNames().get(0), "the key column, named as in the dataset");
            for (CSVRecord r : p) customers.merge(r.get("CustomerID"), 1L, Long::sum);
        }
        assertEquals(Map.of("12583", 1L, "13047", 1L, "17850", 1L), customers, "one row per customer id");
    }
}
