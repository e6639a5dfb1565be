package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import personae.local.Tutorial.Answer;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static personae.local.Tutorial.created;

/**
 * The UCI "Online Retail" data set (Daqing Chen, 2015, CC BY 4.0, doi:10.24432/C5BW33: every invoice line of a UK
 * online retailer, 2010-12-01 to 2011-12-09) through the local HTTP API as a user would send it: the .csv.gz uploaded
 * as is, customers identified by {@code CustomerID} alone, a line's value = UnitPrice x Quantity, then a cohort, a
 * persona set, a scope and an identified target. The test reads the file itself (its own parsing, none of the
 * product's code) and checks the product's people, dropped rows and per-persona order figures against it.
 *
 * <p>The file is looked up in {@code shared/data/} of the repository's ancestors or at {@code PERSONAE_ONLINE_RETAIL};
 * without it the test is skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlineRetailTest {

    static final String KEY = "online-retail-key-0123456789";
    static final Duration BUILD = Duration.ofMinutes(5);
    static final String FILE = "online_retail.csv.gz";

    Path file;
    Path dataDir;
    LocalRuntime runtime;
    Tutorial api;

    static Path find() {
        String env = System.getenv("PERSONAE_ONLINE_RETAIL");
        if (env != null && !env.isBlank()) return Files.isRegularFile(Path.of(env)) ? Path.of(env) : null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data").resolve(FILE);
            if (Files.isRegularFile(candidate)) return candidate;
        }
        return null;
    }

    @BeforeAll
    void start() throws IOException {
        file = find();
        if (file == null) return; // the test reports itself skipped, with the reason
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-retail-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
        api = new Tutorial(runtime.baseUrl(), KEY);
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    /** One customer's orders: an order is the customer's lines at one InvoiceDate (a minute), its value their sum. */
    static final class Customer {
        final Map<String, Double> orderValue = new HashMap<>();

        /** Orders whose value is positive; an order of zero or less is a return or a cancellation. */
        long purchases() {
            return orderValue.values().stream().filter(v -> v > 0).count();
        }

        double net() {
            return orderValue.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** The usual average order value: positive orders' values over their count; NaN without one. */
        double grossAverage() {
            long n = purchases();
            return n == 0 ? Double.NaN : orderValue.values().stream().filter(v -> v > 0).mapToDouble(v -> v).sum() / n;
        }

        /** Net revenue (returns subtracted) per positive order; NaN without one. */
        double netPerPurchase() {
            long n = purchases();
            return n == 0 ? Double.NaN : net() / n;
        }
    }

    /** What the test reads from the file itself. */
    record Truth(long rows, long duplicates, long withoutId, Map<String, Customer> customers) {}

    /**
     * Reads the gz with the JDK and commons-csv. An exact repeat of an earlier line is counted once (the product
     * drops exact duplicate rows, docs/api.md); a line without a CustomerID identifies nobody.
     */
    static Truth truth(Path file) throws IOException {
        long rows = 0;
        long duplicates = 0;
        long withoutId = 0;
        Set<List<String>> seen = new HashSet<>();
        Map<String, Customer> customers = new TreeMap<>();
        try (Reader in = new InputStreamReader(new GZIPInputStream(Files.newInputStream(file), 1 << 16),
                StandardCharsets.UTF_8);
             CSVParser p = CSVParser.parse(in, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            for (CSVRecord r : p) {
                rows++;
                if (!seen.add(Arrays.asList(r.values()))) {
                    duplicates++;
                    continue;
                }
                String id = r.get("CustomerID").trim();
                if (id.isEmpty()) {
                    withoutId++;
                    continue;
                }
                double line = Double.parseDouble(r.get("UnitPrice")) * Double.parseDouble(r.get("Quantity"));
                customers.computeIfAbsent(id, k -> new Customer()).orderValue.merge(r.get("InvoiceDate"), line, Double::sum);
            }
        }
        return new Truth(rows, duplicates, withoutId, customers);
    }

    static final String DATASET = """
            {"name": "online_retail", "options": {"type": "hosted_csv", "upload_directory": "online_retail"},
             "identity_sets": {}, "reference_key_columns": ["CustomerID"],
             "output_to_streams": {"orders": {"data_map": {
                 "datetime": {"column_name": "InvoiceDate", "format": "date_iso8601"},
                 "value": {"column_name": "UnitPrice", "multiply_by_column": "Quantity"},
                 "product": {"column_name": "Description"}}}}}""";

    @Test
    void customersKnownByTheirIdGetPersonasWhoseOrderFiguresAreTheirMembersMeans() throws IOException {
        Assumptions.assumeTrue(file != null, "no shared/data/" + FILE + " above " + Path.of("").toAbsolutePath()
                + " and no PERSONAE_ONLINE_RETAIL: the Online Retail test needs the real file");
        long started = System.nanoTime();
        assertEquals(200, api.upload("online_retail", FILE, file).status(), "the .csv.gz is uploaded as is");
        String dataset = created(api.postJson("/datasets", DATASET));
        String cohort = created(api.postJson("/cohorts", "{\"name\": \"Retail customers\", \"stream_name\": \"orders\"}"));
        String personaSet = created(api.postJson("/persona_sets", "{\"name\": \"Retail personas\", \"cohort_id\": \""
                + cohort + "\"}"));
        String scope = created(api.postJson("/scopes", "{\"name\": \"Retail\", \"population\": {\"cohort_ids\": [\""
                + cohort + "\"]}, \"payload\": {\"persona_set_ids\": [\"" + personaSet + "\"]}, \"preview\": false}"));
        String target = created(api.postJson("/targets", "{\"name\": \"Retail CSV\", \"scope_id\": \"" + scope
                + "\", \"options\": {\"type\": \"hosted_csv\"}, \"representation\": {\"mode\": \"identified\", "
                + "\"aggregate\": \"person\"}}"));
        api.awaitAll(new Tutorial.Ids(dataset, cohort, personaSet, scope, target), BUILD);
        Answer csv = api.get("/targets/" + target + "/download.csv");
        assertEquals(200, csv.status(), csv.body());
        double productSeconds = (System.nanoTime() - started) / 1e9;

        Truth truth = truth(file);
        JsonNode ds = api.get("/datasets/" + dataset).json();
        assertEquals(truth.rows(), ds.path("row_count").asLong(), "row_count: every line read");
        assertEquals(truth.customers().size(), ds.path("identified_count").asLong(), "one person per CustomerID");
        assertEquals(truth.withoutId(), ds.path("rows_dropped").path("no_identity").asLong(),
                "the (distinct) lines without a CustomerID are dropped for no identity");
        assertEquals(truth.duplicates(), ds.path("rows_dropped").path("duplicate").asLong(),
                "exact repeats of a line are dropped as duplicates");

        // the target CSV: one row per customer, keyed by the CustomerID column
        String idColumn = "fdy_persona_set_" + personaSet.replace('-', '_') + "_persona_id";
        Map<String, Set<String>> customersOfPersona = new HashMap<>();
        try (CSVParser p = CSVParser.parse(new StringReader(csv.body()),
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            assertTrue(p.getHeaderNames().contains("CustomerID"), "the key column is in the target: " + p.getHeaderNames());
            for (CSVRecord r : p) {
                assertNotNull(truth.customers().get(r.get("CustomerID")), "a customer of the file: " + r.get("CustomerID"));
                assertTrue(customersOfPersona.computeIfAbsent(r.get(idColumn), k -> new HashSet<>()).add(r.get("CustomerID")),
                        "one row per customer");
            }
        }
        assertEquals(truth.customers().size(), customersOfPersona.values().stream().mapToInt(Set::size).sum(),
                "every customer is in the target");

        JsonNode personas = api.get("/persona_sets/" + personaSet).json().path("personas");
        assertTrue(personas.size() >= 2, personas.toString());
        StringBuilder figures = new StringBuilder();
        for (JsonNode persona : personas) {
            Set<String> members = customersOfPersona.getOrDefault(persona.path("id").asText(), Set.of());
            assertEquals(persona.path("individuals_count").asLong(), members.size(),
                    "the target puts as many customers in " + persona.path("name") + " as the persona counts");
            JsonNode center = persona.path("details").path("center");
            double frequency = mean(members, truth, c -> (double) c.purchases());
            double net = mean(members, truth, Customer::net);
            double average = mean(members, truth, Customer::netPerPurchase);
            double gross = mean(members, truth, Customer::grossAverage);
            String name = persona.path("name").asText();
            assertClose(frequency, center.path("orders_frequency"), name + ": orders_frequency is the mean number of "
                    + "orders (datetimes with a positive sum) of its customers");
            assertClose(net, center.path("orders_total_value"), name + ": orders_total_value is the mean net revenue");
            assertClose(gross, center.path("orders_average_value"), name + ": orders_average_value is the mean of "
                    + "each customer's average order value: positive orders' values over their count (returns left out)");
            JsonNode profile = center.path("profile");
            double purchases = 0, bought = 0, personaNet = 0;
            for (String id : members) {
                Customer c = truth.customers().get(id);
                purchases += c.purchases();
                bought += c.orderValue.values().stream().filter(v -> v > 0).mapToDouble(v -> v).sum();
                personaNet += c.net();
            }
            assertEquals(purchases / members.size(), profile.path("orders_per_person").asDouble(), 1e-3,
                    name + ": orders per person counts every member's positive orders");
            assertEquals(bought / purchases, profile.path("average_order_value").asDouble(), 0.01,
                    name + ": the persona's average order value is what its orders were worth over their number");
            assertEquals(personaNet / truth.customers().values().stream().mapToDouble(Customer::net).sum(),
                    profile.path("revenue_share").asDouble(), 1e-4, name + ": revenue share is its net revenue's share");
            assertEquals((double) members.size() / truth.customers().size(), profile.path("share_of_cohort").asDouble(),
                    1e-4, name + ": share of the cohort");
            figures.append(String.format("%n  %-40s %5d customers, orders %.3f, net %.2f, net/order %.2f, AOV %.2f",
                    name, members.size(), frequency, net, average, gross));
        }
        System.out.printf("Online Retail: %d rows, %d duplicates, %d without CustomerID, %d customers; orders per "
                        + "customer %.3f, AOV (positive orders) %.2f, net revenue per positive order %.2f; product %.1f s%s%n",
                truth.rows(), truth.duplicates(), truth.withoutId(), truth.customers().size(),
                mean(truth.customers().keySet(), truth, c -> (double) c.purchases()),
                mean(truth.customers().keySet(), truth, Customer::grossAverage),
                mean(truth.customers().keySet(), truth, Customer::netPerPurchase), productSeconds, figures);
    }

    /** The mean over the customers that have a value (a center leaves out members without one). */
    static double mean(Set<String> ids, Truth truth, java.util.function.ToDoubleFunction<Customer> f) {
        double sum = 0;
        long n = 0;
        for (String id : ids) {
            double x = f.applyAsDouble(truth.customers().get(id));
            if (Double.isNaN(x)) continue;
            sum += x;
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Centers are rounded to 3 decimals. */
    static void assertClose(double expected, JsonNode actual, String rule) {
        assertTrue(actual.isNumber(), rule + ": got " + actual);
        assertEquals(expected, actual.asDouble(), 0.0005 + 1e-12 * Math.abs(expected), rule);
    }
}
