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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static personae.local.Tutorial.created;

/**
 * Cohort {@code traits} conditions, a scope over every person ({@code population.cohort_ids: []}) and a scope payload of
 * cohort membership flags and trait columns, through the local HTTP API: one cohort per operator of CohortTrait (and
 * optional OR-ing), each checked against the test's own reading of the file, person by person, in the downloaded CSV.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CohortsAndScopesTest {

    static final String KEY = "cohorts-scopes-key-0123456789";
    static final Duration BUILD = Duration.ofMinutes(3);
    static final String[] TIERS = {"gold", "silver", "bronze", ""};
    static final String[] CITIES = {"Portland", "Seattle", "Salem", "Spokane", ""};

    /** One customer: the traits the file gives (empty = none) and how many orders (each on its own day). */
    record Customer(String email, String tier, String age, String city, int orders) {
        Double ageNumber() {
            return age.isEmpty() ? null : Double.parseDouble(age);
        }

        boolean ageIs(Predicate<Double> p) {
            return ageNumber() != null && p.test(ageNumber());
        }
    }

    final List<Customer> customers = new ArrayList<>();
    /** Each cohort's body (traits conditions) and the rule it should select, in the scope's payload order. */
    final Map<String, Predicate<Customer>> rules = new LinkedHashMap<>();
    final Map<String, String> cohortIds = new LinkedHashMap<>();

    Path dataDir;
    LocalRuntime runtime;
    Tutorial api;
    String dataset;

    @BeforeAll
    void start() throws IOException {
        Random random = new Random(8);
        StringBuilder csv = new StringBuilder("email,order_date,total,tier,age,city\n");
        for (int i = 0; i < 60; i++) {
            String age = random.nextInt(6) == 0 ? "" : random.nextInt(4) == 0 ? (18 + random.nextInt(50)) + ".5"
                    : Integer.toString(18 + random.nextInt(50));
            Customer c = new Customer("c" + i + "@example.com", TIERS[random.nextInt(TIERS.length)], age,
                    CITIES[random.nextInt(CITIES.length)], 1 + random.nextInt(3));
            customers.add(c);
            for (int o = 0; o < c.orders(); o++) {
                csv.append(c.email()).append(",2025-01-").append(String.format("%02d", 1 + o + i % 20)).append(',')
                        .append(10 + i + o).append(',').append(c.tier()).append(',').append(c.age()).append(',')
                        .append(c.city()).append('\n');
            }
        }
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-cohorts-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
        api = new Tutorial(runtime.baseUrl(), KEY);
        Path file = dataDir.resolve("people.csv");
        Files.writeString(file, csv);
        assertEquals(200, api.upload("people", "people.csv", file).status());
        dataset = created(api.postJson("/datasets", """
                {"name": "people", "options": {"type": "hosted_csv", "upload_directory": "people"},
                 "identity_sets": {"customer": {"email": "email"}},
                 "output_to_streams": {"orders": {"data_map": {
                   "datetime": {"column_name": "order_date", "format": "date_iso8601"},
                   "value": {"column_name": "total"}}}},
                 "output_to_traits": {"tier": {"column_name": "tier"}, "age": {"column_name": "age"},
                                      "city": {"column_name": "city"}}}"""));

        rules.put("[{\"name\": \"tier\", \"_eq\": \"gold\"}]", c -> c.tier().equals("gold"));
        rules.put("[{\"name\": \"age\", \"_gt\": 40}]", c -> c.ageIs(a -> a > 40));
        rules.put("[{\"name\": \"age\", \"_gte\": 40}]", c -> c.ageIs(a -> a >= 40));
        rules.put("[{\"name\": \"age\", \"_lt\": 30.5}]", c -> c.ageIs(a -> a < 30.5));
        rules.put("[{\"name\": \"age\", \"_lte\": 30.5}]", c -> c.ageIs(a -> a <= 30.5));
        // a whole age one customer has, written as 34.0: a number trait equals the same number however written
        double whole = customers.stream().filter(c -> c.ageIs(a -> a == Math.rint(a))).findFirst().orElseThrow().ageNumber();
        rules.put("[{\"name\": \"age\", \"_eq\": \"" + whole + "\"}]", c -> c.ageIs(a -> a == whole));
        rules.put("[{\"name\": \"tier\", \"_in\": [\"silver\", \"bronze\"]}]", c -> Set.of("silver", "bronze").contains(c.tier()));
        rules.put("[{\"name\": \"tier\", \"_nin\": [\"silver\", \"bronze\"]}]",
                c -> !c.tier().isEmpty() && !Set.of("silver", "bronze").contains(c.tier()));
        rules.put("[{\"name\": \"city\", \"_matches\": \"^S.*e\"}]", c -> c.city().matches("^S.*e.*"));
        rules.put("[{\"name\": \"tier\", \"_null\": true}]", c -> c.tier().isEmpty());
        rules.put("[{\"name\": \"age\", \"_nnull\": true}]", c -> !c.age().isEmpty());
        rules.put("[{\"name\": \"tier\", \"_eq\": \"silver\", \"optional\": true},"
                + " {\"name\": \"city\", \"_eq\": \"Salem\", \"optional\": true}]",
                c -> c.tier().equals("silver") || c.city().equals("Salem"));
        rules.put("[{\"name\": \"orders_frequency\", \"_gte\": 2}, {\"name\": \"tier\", \"_eq\": \"gold\", \"optional\": true},"
                + " {\"name\": \"age\", \"_lt\": 30, \"optional\": true}]",
                c -> c.orders() >= 2 && (c.tier().equals("gold") || c.ageIs(a -> a < 30)));
        int n = 0;
        for (String traits : rules.keySet()) {
            // posted right away: the dataset is still building, its mapping says which traits it will have
            cohortIds.put(traits, created(api.postJson("/cohorts", "{\"name\": \"Traits " + n++
                    + "\", \"stream_name\": \"orders\", \"traits\": " + traits + "}")));
        }
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    JsonNode ready(String path) {
        return api.awaitReady(path, BUILD);
    }

    @Test
    void eachTraitConditionCountsThePeopleItsRuleSelects() {
        for (var e : cohortIds.entrySet()) {
            long expected = customers.stream().filter(rules.get(e.getKey())).count();
            assertTrue(expected > 0 && expected < customers.size(), "the file's customers are split by " + e.getKey()
                    + " (" + expected + " of " + customers.size() + "), so the cohort tells the rule apart");
            JsonNode cohort = ready("/cohorts/" + e.getValue());
            assertEquals(expected, cohort.path("population_count").asLong(),
                    "population_count of the cohort with traits " + e.getKey());
            assertTrue(cohort.path("classic").isBoolean() && !cohort.path("classic").asBoolean(),
                    "the read-only classic is present, false: " + cohort);
        }
    }

    @Test
    void aScopeOverEveryoneFlagsEachPersonsCohortsAndCarriesTheirTraits() throws IOException {
        List<String> flagged = new ArrayList<>(cohortIds.values());
        String scope = created(api.postJson("/scopes", "{\"name\": \"Everyone\", \"population\": {\"cohort_ids\": []},"
                + " \"payload\": {\"cohort_ids\": " + ids(flagged) + ", \"attributes\": [\"tier\", \"age\", "
                + "\"orders_frequency\"]}, \"preview\": false}"));
        String target = created(api.postJson("/targets", "{\"name\": \"Everyone CSV\", \"scope_id\": \"" + scope
                + "\", \"options\": {\"type\": \"hosted_csv\"}}"));
        JsonNode sc = ready("/scopes/" + scope);
        ready("/targets/" + target);
        assertEquals(customers.size(), sc.path("population_count").asLong(), "cohort_ids []: every person of the account");
        List<String> payloadNames = new ArrayList<>();
        sc.path("columns").path("payload_columns").forEach(c -> payloadNames.add(c.path("name").asText()));
        List<String> expectedNames = new ArrayList<>(flagged.stream().map(id -> "fdy_cohort_" + id.replace('-', '_')
                + "_member").toList());
        expectedNames.addAll(List.of("tier", "age", "orders_frequency"));
        assertEquals(expectedNames, payloadNames, "columns.payload_columns: a flag per payload cohort, then the attributes");

        Answer csv = api.get("/targets/" + target + "/download.csv");
        assertEquals(200, csv.status(), csv.body());
        Map<String, Customer> byEmail = new LinkedHashMap<>();
        customers.forEach(c -> byEmail.put(c.email(), c));
        int rows = 0;
        try (CSVParser p = CSVParser.parse(new StringReader(csv.body()),
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            for (String name : expectedNames) assertTrue(p.getHeaderNames().contains(name), name + " in " + p.getHeaderNames());
            for (CSVRecord r : p) {
                Customer c = byEmail.get(r.get("email"));
                assertTrue(c != null, "a row per customer of the file: " + r);
                rows++;
                List<String> keys = new ArrayList<>(cohortIds.keySet());
                for (int i = 0; i < flagged.size(); i++) {
                    assertEquals(Boolean.toString(rules.get(keys.get(i)).test(c)),
                            r.get(expectedNames.get(i)), c + ": membership of the cohort with traits " + keys.get(i));
                }
                assertEquals(c.tier(), r.get("tier"), "the tier attribute is the file's: " + c);
                if (c.ageNumber() == null) assertEquals("", r.get("age"), "no age: an empty cell");
                else assertEquals(c.ageNumber(), Double.parseDouble(r.get("age")), 1e-9, "the age attribute: " + c);
                assertEquals(c.orders(), Integer.parseInt(r.get("orders_frequency")), "orders_frequency: " + c);
            }
        }
        assertEquals(customers.size(), rows, "one row per person");

        Answer listed = api.get("/scopes/" + scope + "/payload/cohorts");
        List<String> listedIds = new ArrayList<>();
        listed.json().forEach(c -> listedIds.add(c.path("id").asText()));
        assertEquals(flagged, listedIds, "payload/cohorts lists the payload's cohorts in order");
        Answer datasets = api.get("/scopes/" + scope + "/datasets");
        assertEquals(dataset, datasets.json().path(0).path("id").asText(), "a scope over everyone reads every dataset");
    }

    @Test
    void everyoneMinusAnExclusionCohortIsTheRest() {
        String gold = cohortIds.keySet().iterator().next();
        String scope = created(api.postJson("/scopes", "{\"name\": \"Not gold\", \"population\": {\"cohort_ids\": [], "
                + "\"exclusion_cohort_ids\": [\"" + cohortIds.get(gold) + "\"]}, \"payload\": {}, \"preview\": false}"));
        long expected = customers.stream().filter(rules.get(gold).negate()).count();
        assertEquals(expected, ready("/scopes/" + scope).path("population_count").asLong(),
                "every person but the excluded cohort's");
    }

    @Test
    void anUnknownTraitIsRefusedNamingItAndWhere() {
        Answer cohort = api.postJson("/cohorts", "{\"name\": \"Unknown\", \"stream_name\": \"orders\", \"traits\": "
                + "[{\"name\": \"tier\", \"_eq\": \"gold\"}, {\"name\": \"loyalty_tier\", \"_eq\": \"gold\"}]}");
        assertEquals(400, cohort.status(), cohort.body());
        JsonNode error = cohort.json().path("validationErrors").get(0);
        assertEquals("/traits/1/name", error.path("path").asText(), cohort.body());
        assertTrue(error.path("message").asText().contains("'loyalty_tier'"), "the message names the trait: " + cohort.body());
        assertEquals(1, cohort.json().path("validationErrors").size(), "tier is known: " + cohort.body());

        Answer scope = api.postJson("/scopes", "{\"name\": \"Unknown attribute\", \"population\": {\"cohort_ids\": []},"
                + " \"payload\": {\"attributes\": [\"shoe_size\"]}, \"preview\": true}");
        assertEquals(400, scope.status(), scope.body());
        assertEquals("/payload/attributes/0", scope.json().path("validationErrors").get(0).path("path").asText(), scope.body());
        assertTrue(scope.body().contains("'shoe_size'"), scope.body());
    }

    @Test
    void aTraitConditionTakesOnlyTheReferencesOperators() {
        Answer neq = api.postJson("/cohorts", "{\"name\": \"Neq\", \"stream_name\": \"orders\", \"traits\": "
                + "[{\"name\": \"tier\", \"_neq\": \"gold\"}]}");
        assertEquals(400, neq.status(), "CohortTrait has no _neq: " + neq.body());
        assertEquals("/traits/0/_neq", neq.json().path("validationErrors").get(0).path("path").asText(), neq.body());
        Answer badNumber = api.postJson("/cohorts", "{\"name\": \"Gt\", \"stream_name\": \"orders\", \"traits\": "
                + "[{\"name\": \"age\", \"_gt\": \"forty\"}]}");
        assertEquals(400, badNumber.status(), "_gt takes a number: " + badNumber.body());
    }

    static String ids(List<String> ids) {
        return "[" + String.join(", ", ids.stream().map(i -> "\"" + i + "\"").toList()) + "]";
    }
}
