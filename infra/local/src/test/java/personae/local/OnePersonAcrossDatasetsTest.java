package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static personae.local.Tutorial.created;

/**
 * One person across datasets, through the local HTTP API: an orders file keyed by email, a second orders file of the
 * same stream, and a CRM table with names, addresses, phones and traits, about partly the same customers. The same
 * email (however written), phone or name + address in two datasets is one person: a cohort on the orders stream uses
 * the CRM's traits and counts a customer's orders in both files together, a persona set clusters on a CRM trait, and
 * a scope writes each person once with identity fields and attributes joined from every dataset.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnePersonAcrossDatasetsTest {

    static final String KEY = "one-person-key-0123456789abcdef";
    static final Duration BUILD = Duration.ofMinutes(3);
    static final int ORDER_CUSTOMERS = 60;   // c0..c59 in orders.csv
    static final int CRM_FROM = 20;          // the CRM holds c20..c79
    static final int CRM_TO = 80;
    static final int SECOND_FROM = 50;       // orders2.csv: c50..c69, one order each
    static final int SECOND_TO = 70;

    Path dataDir;
    LocalRuntime runtime;
    Tutorial api;
    final Map<Integer, String> tier = new HashMap<>();
    final Map<Integer, Integer> orders = new HashMap<>(); // orders in orders.csv
    String crm;
    String buyers;
    String goldBuyers;
    String repeatBuyers;

    static String email(int i) {
        return "c" + i + "@example.com";
    }

    @BeforeAll
    void start() throws IOException {
        Random random = new Random(31);
        StringBuilder ordersCsv = new StringBuilder("email,order_date,total\n");
        for (int i = 0; i < ORDER_CUSTOMERS; i++) {
            int n = 1 + random.nextInt(3);
            orders.put(i, n);
            for (int o = 0; o < n; o++) {
                ordersCsv.append(email(i)).append(",2025-0").append(1 + o).append('-').append(String.format("%02d", 1 + i % 28))
                        .append(',').append(20 + random.nextInt(200)).append('\n');
            }
        }
        StringBuilder second = new StringBuilder("Email Address,Date,Amount\n");
        for (int i = SECOND_FROM; i < SECOND_TO; i++) {
            // written otherwise: upper case and a +tag, which normalisation folds
            second.append(email(i).toUpperCase().replace("@", "+shop@")).append(",2025-05-0").append(1 + i % 9)
                    .append(",75\n");
        }
        StringBuilder crmCsv = new StringBuilder("mail,first,last,street,city,state,zip,phone,tier,income\n");
        for (int i = CRM_FROM; i < CRM_TO; i++) {
            String t = i % 3 == 0 ? "gold" : "silver";
            tier.put(i, t);
            // c20..c24 have no email in the CRM, so nothing links their CRM records to their orders
            String mail = i < 25 ? "" : email(i);
            crmCsv.append(mail).append(",Ann").append(i).append(",Lee,").append(100 + i).append(" Main St,Springfield,IL,62701,")
                    .append("217555").append(String.format("%04d", i)).append(',').append(t).append(',')
                    .append(30_000 + 1_000 * i).append('\n');
        }
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-one-person-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
        api = new Tutorial(runtime.baseUrl(), KEY);
        upload("orders", "orders.csv", ordersCsv.toString());
        upload("orders2", "orders2.csv", second.toString());
        upload("crm", "crm.csv", crmCsv.toString());
        // a call log keyed by phone: c21's phone (written otherwise) is the CRM's c21; the other number is nobody's
        upload("calls", "calls.csv", "phone,called_at\n(217) 555-0021,2025-03-01\n+1 312 555 0199,2025-03-02\n");
        created(api.postJson("/datasets", """
                {"name": "orders", "options": {"type": "hosted_csv", "upload_directory": "orders"},
                 "identity_sets": {"customer": {"email": "email"}},
                 "output_to_streams": {"purchases": {"data_map": {
                   "datetime": {"column_name": "order_date", "format": "date_iso8601"},
                   "value": {"column_name": "total"}}}}}"""));
        created(api.postJson("/datasets", """
                {"name": "orders2", "options": {"type": "hosted_csv", "upload_directory": "orders2"},
                 "identity_sets": {"customer": {"email": "Email Address"}},
                 "output_to_streams": {"purchases": {"data_map": {
                   "datetime": {"column_name": "Date", "format": "date_iso8601"},
                   "value": {"column_name": "Amount"}}}}}"""));
        crm = created(api.postJson("/datasets", """
                {"name": "crm", "options": {"type": "hosted_csv", "upload_directory": "crm"},
                 "identity_sets": {"contact": {"email": "mail", "person_first_name": "first",
                   "person_last_name": "last", "house_number_and_street": ["street"], "city": "city",
                   "state": "state", "postcode": "zip", "phone": "phone"}},
                 "output_to_traits": {"tier": {"column_name": "tier"}, "income": {"column_name": "income"}}}"""));
        created(api.postJson("/datasets", """
                {"name": "calls", "options": {"type": "hosted_csv", "upload_directory": "calls"},
                 "identity_sets": {"caller": {"phone": "phone"}},
                 "output_to_streams": {"calls": {"data_map": {
                   "datetime": {"column_name": "called_at", "format": "date_iso8601"}}}}}"""));
        // posted at once: cohorts wait for every dataset's first build, so the CRM's traits are there
        buyers = created(api.postJson("/cohorts", "{\"name\": \"Buyers\", \"stream_name\": \"purchases\"}"));
        goldBuyers = created(api.postJson("/cohorts", "{\"name\": \"Gold buyers\", \"stream_name\": \"purchases\","
                + " \"traits\": [{\"name\": \"tier\", \"_eq\": \"gold\"}]}"));
        repeatBuyers = created(api.postJson("/cohorts", "{\"name\": \"Repeat buyers\", \"stream_name\": \"purchases\","
                + " \"min_count\": 2}"));
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    void upload(String directory, String file, String csv) {
        api.uploadText(dataDir, directory, file, csv);
    }

    JsonNode ready(String path) {
        return api.awaitReady(path, BUILD);
    }

    List<CSVRecord> rows(String scopeBody) throws IOException {
        String scope = created(api.postJson("/scopes", scopeBody));
        ready("/scopes/" + scope);
        String target = created(api.postJson("/targets", "{\"name\": \"t " + scope + "\", \"scope_id\": \"" + scope
                + "\", \"options\": {\"type\": \"hosted_csv\"}}"));
        ready("/targets/" + target);
        String csv = api.get("/targets/" + target + "/download.csv").body();
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv))
                .getRecords();
    }

    @Test
    void aCohortOnTheOrdersStreamCountsEachCustomerOnceAcrossTwoOrdersFiles() {
        JsonNode c = ready("/cohorts/" + buyers);
        assertEquals(SECOND_TO, c.path("population_count").asLong(),
                "c0..c59 in orders.csv and c50..c69 in orders2.csv are 70 people, not 80 records: " + c);
    }

    @Test
    void aCustomersOrdersInBothFilesCountTogether() {
        long expected = 0;
        for (int i = 0; i < SECOND_TO; i++) {
            int n = orders.getOrDefault(i, 0) + (i >= SECOND_FROM ? 1 : 0);
            if (n >= 2) expected++;
        }
        JsonNode c = ready("/cohorts/" + repeatBuyers);
        assertEquals(expected, c.path("population_count").asLong(),
                "min_count counts a person's orders in every dataset of the stream: " + c);
    }

    @Test
    void aCohortOnTheOrdersStreamSelectsByATraitOfTheCrmTable() {
        long expected = 0;
        for (int i = 0; i < SECOND_TO; i++) if ("gold".equals(tier.get(i)) && i >= 25) expected++;
        JsonNode c = ready("/cohorts/" + goldBuyers);
        assertEquals(expected, c.path("population_count").asLong(),
                "buyers whose CRM record (linked by email) says gold: " + c);
    }

    @Test
    void aScopeWritesEachPersonOnceWithIdentityFieldsAndAttributesFromEveryDataset() throws IOException {
        ready("/cohorts/" + buyers);
        List<CSVRecord> rows = rows("{\"name\": \"Buyers with CRM\", \"population\": {\"cohort_ids\": [\"" + buyers
                + "\"]}, \"payload\": {\"attributes\": [\"tier\", \"income\", \"purchases_frequency\"]}, \"preview\": false}");
        assertEquals(SECOND_TO, rows.size(), "one row per person");
        Map<String, CSVRecord> byEmail = new HashMap<>();
        for (CSVRecord r : rows) {
            // the email as its first record has it: orders2.csv's C55+SHOP@EXAMPLE.COM when that dataset's id is first
            String email = r.get("email").toLowerCase(java.util.Locale.ROOT).replaceAll("\\+[^@]*@", "@");
            assertFalse(byEmail.containsKey(email), "an email twice: " + r);
            byEmail.put(email, r);
        }
        CSVRecord linked = byEmail.get(email(30));
        assertEquals("Ann30", linked.get("person_first_name"), "the name comes from the CRM record: " + linked);
        assertEquals("130 Main St", linked.get("house_number_and_street"), linked.toString());
        assertEquals("gold", linked.get("tier"), "the CRM's trait: " + linked);
        assertEquals("60000", linked.get("income").replaceAll("\\.0$", ""), linked.toString());
        assertEquals(orders.get(30).toString(), linked.get("purchases_frequency").replaceAll("\\.0$", ""),
                "the orders file's trait: " + linked);
        CSVRecord ordersOnly = byEmail.get(email(3));
        assertEquals("", ordersOnly.get("tier"), "c3 has no CRM record: " + ordersOnly);
        CSVRecord both = byEmail.get(email(55));
        assertTrue(both != null && "Ann55".equals(both.get("person_first_name")),
                "c55 is in both orders files and the CRM, one row with the CRM's name: " + both);
    }

    @Test
    void everyoneIsEveryPersonOfEveryDatasetOnce() throws IOException {
        List<CSVRecord> rows = rows("{\"name\": \"Everyone\", \"population\": {\"cohort_ids\": []}, \"payload\": {},"
                + " \"preview\": false}");
        assertEquals(CRM_TO + 5 + 1, rows.size(), "c0..c79 once each, but c20..c24 twice (their CRM records have no"
                + " email to link them to their orders), and the caller nobody else knows; c21's call is the CRM's c21");
        long withPhone = rows.stream().filter(r -> r.get("phone").replaceAll("\\D", "").endsWith("2175550021")).count();
        assertEquals(1, withPhone, "the call log's phone and the CRM's are one person");
    }

    @Test
    void aPersonaSetOnTheOrdersCohortClustersOnTheCrmsIncome() {
        String set = created(api.postJson("/persona_sets", "{\"name\": \"By income\", \"cohort_id\": \"" + buyers
                + "\", \"modeling_fields\": [\"income\"], \"number_of_clusters\": 2}"));
        JsonNode ps = ready("/persona_sets/" + set);
        List<Double> incomes = new ArrayList<>();
        for (JsonNode p : ps.path("personas")) incomes.add(p.path("details").path("center").path("income").asDouble());
        assertEquals(2, incomes.size(), ps.toString());
        // members with a CRM record have incomes 55,000..99,000; the 25 without one are imputed
        assertTrue(Math.abs(incomes.get(0) - incomes.get(1)) > 10_000,
                "the two personas differ by the CRM's income, so it was read for the orders' people: " + incomes);
        JsonNode dimensions = api.get("/persona_sets/" + set + "/analysis/dimensions").json();
        List<String> traits = new ArrayList<>();
        dimensions.get(0).path("traits").forEach(t -> traits.add(t.path("trait_name").asText()));
        assertEquals("income", traits.get(0), "the Analysis tab leads with the clustering trait, read from the CRM: "
                + traits);
        assertTrue(traits.contains("tier") && traits.contains("purchases_frequency"),
                "every trait of the members' records, whichever dataset holds it: " + traits);
    }

    @Test
    void byDefaultAPersonaSetTakesTheFirstPartyTraitsOfALinkedDatasetHoldingMostOfItsMembers() {
        String set = created(api.postJson("/persona_sets", "{\"name\": \"Default traits\", \"cohort_id\": \"" + buyers
                + "\", \"number_of_clusters\": 2}"));
        JsonNode center = ready("/persona_sets/" + set).path("personas").get(0).path("details").path("center");
        assertTrue(center.has("income") && center.has("purchases_frequency"),
                "the CRM (45 of the 70 buyers) lends its income; the buyers' own behaviour stays: " + center);
        assertFalse(center.has("calls_frequency"), "the call log holds one buyer, so its traits are not a default: " + center);
    }
}
