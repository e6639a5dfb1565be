package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import personae.local.Tutorial.Answer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static personae.local.Tutorial.created;

/**
 * A reference table (Personae's extension) through the local HTTP API: a small made-up table of figures by postcode
 * ({@code src/test/resources/reference}) gives its traits to the people of another dataset by their postcode; the
 * traits are listed, have dimensions, can be a persona set's {@code modeling_fields}, and a new file in the table
 * rebuilds the datasets that joined it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReferenceTablesTest {

    static final String KEY = "reference-tables-key-0123456789";
    static final Duration BUILD = Duration.ofMinutes(2);

    /** Two customers per postcode of the table, one customer whose postcode the table lacks, one with none. */
    static final String CUSTOMERS = """
            email,zip,order_date,total
            a1@x.com,02139,2024-01-02,120
            a2@x.com,02139-4307,2024-02-03,80
            b1@x.com,10001,2024-01-05,95
            b2@x.com,10001,2024-03-01,60
            c1@x.com,59801,2024-01-09,30
            c2@x.com,59801,2024-02-10,35
            d1@x.com,83201,2024-01-11,25
            d2@x.com,83201,2024-03-12,20
            e1@x.com,03301,2024-02-13,55
            f1@x.com,94105,2024-02-14,70
            g1@x.com,,2024-02-15,40
            """;

    Path dataDir;
    LocalRuntime runtime;
    Tutorial api;
    String table;
    String customers;

    @BeforeAll
    void start() throws IOException {
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-reference-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
        api = new Tutorial(runtime.baseUrl(), KEY);
        Path figures = dataDir.resolve("figures.csv");
        try (InputStream in = getClass().getResourceAsStream("/reference/MADE-UP-postcode-figures.csv")) {
            Files.write(figures, in.readAllBytes());
        }
        assertEquals(200, api.upload("postcode_figures", "figures.csv", figures).status());
        table = created(api.postJson("/datasets", """
                {"name": "Postcode figures (made up)",
                 "options": {"type": "hosted_csv", "upload_directory": "postcode_figures"},
                 "reference_table": {"key": "postcode", "column": "zip"},
                 "output_to_traits": {"area_median_income": {"column_name": "median_income"},
                                      "area_kind": {"column_name": "area"}}}"""));
        Path people = dataDir.resolve("customers.csv");
        Files.writeString(people, CUSTOMERS);
        assertEquals(200, api.upload("customers", "customers.csv", people).status());
        customers = created(api.postJson("/datasets", """
                {"name": "Customers",
                 "options": {"type": "hosted_csv", "upload_directory": "customers"},
                 "identity_sets": {"customer": {"email": "email", "postcode": "zip"}},
                 "output_to_streams": {"purchases": {"data_map": {
                     "datetime": {"column_name": "order_date", "format": "date_iso8601"},
                     "value": {"column_name": "total"}}}}}"""));
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    JsonNode ready(String path) {
        return api.awaitReady(path, BUILD);
    }

    JsonNode trait(String name) {
        for (JsonNode t : api.get("/traits").json()) if (t.path("name").asText().equals(name)) return t;
        throw new AssertionError("no trait " + name + " in " + api.get("/traits").body());
    }

    @Test
    @Order(1)
    void peopleTakeTheTraitsOfTheirPostcodeAndTheTraitsCanBeClusteredOn() {
        JsonNode t = ready("/datasets/" + table);
        assertEquals(6, t.path("reference_key_count").asLong(), "six postcodes (3301 read as 03301): " + t);
        assertTrue(!t.has("identified_count"), "a reference table has no people: " + t);
        ready("/datasets/" + customers);

        JsonNode income = trait("area_median_income");
        JsonNode dims = api.get("/traits/" + income.path("id").asText() + "/analysis/dimensions").json();
        long counted = 0;
        for (JsonNode b : dims.path("bins")) counted += b.path("count").asLong();
        assertEquals(9, counted, "nine customers have a postcode the table lists (ZIP+4 and the leading zero "
                + "normalised as ingestion does); 94105 and the empty one get none: " + dims);

        String cohort = created(api.postJson("/cohorts", "{\"name\": \"Buyers\", \"stream_name\": \"purchases\"}"));
        String set = created(api.postJson("/persona_sets", "{\"name\": \"By area\", \"cohort_id\": \"" + cohort
                + "\", \"number_of_clusters\": 2, \"modeling_fields\": [\"area_median_income\"]}"));
        JsonNode personas = ready("/persona_sets/" + set).path("personas");
        assertEquals(2, personas.size(), personas.toString());
        List<Double> incomes = new ArrayList<>();
        for (JsonNode p : personas) incomes.add(p.path("details").path("center").path("area_median_income").asDouble());
        double high = incomes.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double low = incomes.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        assertTrue(high > 85_000 && low < 62_000, "clustered on the reference trait, the personas split the urban "
                + "postcodes from the others: " + incomes);
    }

    @Test
    @Order(2)
    void aNewFileInTheTableRebuildsTheDatasetsThatJoinedIt() throws IOException {
        ready("/datasets/" + customers);
        int builds = api.get("/datasets/" + customers).json().path("updates").size();
        Path more = dataDir.resolve("more.csv");
        Files.writeString(more, "zip,median_income,area\n94105,120000,urban\n");
        assertEquals(200, api.upload("postcode_figures", "more.csv", more).status());
        long deadline = System.nanoTime() + BUILD.toNanos();
        JsonNode ds;
        do {
            ds = api.awaitBuilt("/datasets/" + customers, BUILD, new ArrayList<>());
        } while (ds.path("updates").size() <= builds && System.nanoTime() < deadline);
        assertTrue(ds.path("updates").size() > builds, "the customers rebuilt after the table changed: " + ds);
        JsonNode income = trait("area_median_income");
        JsonNode dims = api.get("/traits/" + income.path("id").asText() + "/analysis/dimensions").json();
        long counted = 0;
        for (JsonNode b : dims.path("bins")) counted += b.path("count").asLong();
        assertEquals(10, counted, "94105 now has figures too: " + dims);
    }

    @Test
    @Order(3)
    void aScopeOfEveryoneRebuildsWhenANewDatasetOfPeopleIsBuilt() throws IOException {
        String scope = created(api.postJson("/scopes", "{\"name\": \"Everyone\", \"population\": {\"cohort_ids\": []},"
                + " \"payload\": {\"attributes\": [\"area_kind\"]}, \"preview\": false}"));
        JsonNode first = ready("/scopes/" + scope);
        assertEquals(11, first.path("population_count").asLong(), "the customers; the reference table has no people");
        Path leads = dataDir.resolve("leads.csv");
        Files.writeString(leads, "email,zip\nlead1@y.com,59801\nlead2@y.com,10001\n");
        assertEquals(200, api.upload("leads", "leads.csv", leads).status());
        String ds = created(api.postJson("/datasets", "{\"name\": \"Leads\", \"options\": {\"type\": \"hosted_csv\","
                + " \"upload_directory\": \"leads\"}, \"identity_sets\": {\"lead\": {\"email\": \"email\", \"postcode\": \"zip\"}}}"));
        ready("/datasets/" + ds);
        long deadline = System.nanoTime() + BUILD.toNanos();
        JsonNode sc;
        do {
            sc = api.awaitBuilt("/scopes/" + scope, BUILD, new ArrayList<>());
        } while (sc.path("population_count").asLong() != 13 && System.nanoTime() < deadline);
        assertEquals(13, sc.path("population_count").asLong(), "a new dataset's people join the scope of everyone: " + sc);
    }

    @Test
    @Order(4)
    void aLookupPlacesAnUnknownLeadByTheTraitsOfItsPostcode() {
        String cohort = created(api.postJson("/cohorts", "{\"name\": \"Buyers again\", \"stream_name\": \"purchases\"}"));
        String set = created(api.postJson("/persona_sets", "{\"name\": \"By area again\", \"cohort_id\": \"" + cohort
                + "\", \"number_of_clusters\": 2, \"modeling_fields\": [\"area_median_income\"]}"));
        String scope = created(api.postJson("/scopes", "{\"name\": \"Buyers\", \"population\": {\"cohort_ids\": [\""
                + cohort + "\"]}, \"payload\": {\"persona_set_ids\": [\"" + set + "\"]}, \"preview\": false}"));
        String target = created(api.postJson("/targets", "{\"name\": \"Lookup\", \"scope_id\": \"" + scope
                + "\", \"options\": {\"type\": \"lookup_api\"}}"));
        JsonNode personas = ready("/persona_sets/" + set).path("personas");
        ready("/targets/" + target);
        String richer = null, poorer = null;
        double best = -1, worst = Double.MAX_VALUE;
        for (JsonNode p : personas) {
            double income = p.path("details").path("center").path("area_median_income").asDouble();
            if (income > best) { best = income; richer = p.path("id").asText(); }
            if (income < worst) { worst = income; poorer = p.path("id").asText(); }
        }
        String column = "fdy_persona_set_" + set.replace('-', '_') + "_persona_id";
        JsonNode urban = api.postJson("/targets/" + target + "/lookup", "{\"email\": \"new.lead@z.com\", \"postcode\": \"02139\"}").json();
        JsonNode rural = api.postJson("/targets/" + target + "/lookup", "{\"email\": \"other.lead@z.com\", \"postcode\": \"83201\"}").json();
        String idColumn = urban.has(column) ? column : "fdy_persona_set_" + set + "_persona_id";
        assertEquals(richer, urban.path(idColumn).asText(), "a lead from 02139 (made-up income 91,000) is placed with the "
                + "richer areas' persona: " + urban);
        assertEquals(poorer, rural.path(idColumn).asText(), "a lead from 83201 (48,000) with the poorer: " + rural);
        assertTrue(urban.path("personae_placed_by").toString().contains("area_median_income"),
                "the answer says the postcode's trait placed them: " + urban);
        JsonNode nowhere = api.postJson("/targets/" + target + "/lookup", "{\"email\": \"x@z.com\", \"postcode\": \"94999\"}").json();
        assertEquals("Could not match an identity with the provided information", nowhere.path("error").asText(),
                "a postcode the table lacks gives nothing to place a lead by: " + nowhere);
    }

    @Test
    void aReferenceTableRefusesWhatOnlyPeopleHave() {
        Answer a = api.postJson("/datasets", """
                {"name": "bad", "options": {"type": "hosted_csv", "upload_directory": "postcode_figures"},
                 "reference_table": {"key": "county", "column": "zip"},
                 "identity_sets": {"x": {"email": "zip"}},
                 "output_to_traits": {"t": {"column_name": "area"}}}""");
        assertEquals(400, a.status(), a.body());
        assertTrue(a.body().contains("/reference_table/key") && a.body().contains("/identity_sets"),
                "names the bad key kind and the identity sets: " + a.body());
    }
}
