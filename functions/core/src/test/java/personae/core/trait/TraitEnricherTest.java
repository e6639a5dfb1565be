package personae.core.trait;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import personae.core.ingest.DatasetManifest;
import personae.core.persona.Feature;
import personae.core.persona.FeatureTable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TraitEnricherTest {

    static final long DAY = 86_400;
    static final long T0 = 1_700_000_000L;

    static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Four people: 0 buys a, b, a; 1 buys one a; 2 buys one c without a value; 3 has no events. */
    static final String EVENTS = "person_id,datetime,value,product\n"
            + "0," + T0 + ",10,a\n"
            + "0," + (T0 + 10 * DAY) + ",30,b\n"
            + "0," + (T0 + 20 * DAY) + ",20,a\n"
            + "1," + (T0 + 5 * DAY) + ",100,a\n"
            + "2," + (T0 + 30 * DAY) + ",,c\n";

    static DatasetManifest manifest() {
        Map<String, Long> products = new LinkedHashMap<>();
        products.put("c", 1L);
        products.put("b", 1L);
        products.put("a", 3L);
        return new DatasetManifest(4, List.of("email"), Map.of("orders",
                new DatasetManifest.StreamInfo(5, List.of("value", "product"), T0, T0 + 30 * DAY, products)),
                List.of("tier", "score"));
    }

    static final String FIRST_PARTY = "person_id,tier,score\n0,gold,3\n1,,4.5\n2,silver,\n3,,\n";

    @Test
    void behaviouralAndFirstPartyTraitsComputedByHand() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraitEnricher.TraitColumns cols = TraitEnricher.enrich(manifest(), s -> {
            assertEquals("orders", s);
            return in(EVENTS);
        }, in(FIRST_PARTY), out);
        assertEquals(List.of("orders_recency_days", "orders_frequency", "orders_tenure_days", "orders_total_value",
                "orders_average_value", "orders_product_share_a", "orders_product_share_b", "orders_product_share_c",
                "tier=gold", "tier=silver", "score", "tier"), cols.columns());
        assertEquals(11, cols.features().size(), "tier is a category: one 0/1 feature per value; its text column stays");
        assertEquals(Feature.Kind.CATEGORY, cols.features().get(8).kind());
        assertEquals("tier", cols.features().get(8).trait());
        assertEquals(Feature.Kind.PRODUCT_SHARE, cols.features().get(5).kind());
        assertEquals("a", cols.features().get(5).label());
        assertEquals(Feature.Kind.USER_DEFINED, cols.features().get(10).kind());

        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(out.toString(StandardCharsets.UTF_8))).getRecords();
        assertEquals(4, rows.size());
        // shares are raw: events of the product / the person's orders (clustering shrinks them, not the trait)
        CSVRecord p0 = rows.get(0);
        assertEquals("10", p0.get("orders_recency_days"), "latest event of the dataset is day 30, person 0's day 20");
        assertEquals("3", p0.get("orders_frequency"));
        assertEquals("20", p0.get("orders_tenure_days"));
        assertEquals("60", p0.get("orders_total_value"));
        assertEquals("20", p0.get("orders_average_value"));
        assertEquals(2 / 3.0, Double.parseDouble(p0.get("orders_product_share_a")), 1e-4);
        assertEquals(1 / 3.0, Double.parseDouble(p0.get("orders_product_share_b")), 1e-4);
        assertEquals("0", p0.get("orders_product_share_c"), "person 0 never bought c");
        assertEquals("3", p0.get("score"));
        assertEquals("gold", p0.get("tier"));
        assertEquals("1", p0.get("tier=gold"), "a category feature is 1 for its value");
        assertEquals("0", p0.get("tier=silver"), "and 0 for the trait's other values");

        CSVRecord p1 = rows.get(1);
        assertEquals("25", p1.get("orders_recency_days"));
        assertEquals("1", p1.get("orders_frequency"));
        assertEquals("0", p1.get("orders_tenure_days"));
        assertEquals("100", p1.get("orders_total_value"));
        assertEquals("100", p1.get("orders_average_value"));
        assertEquals("1", p1.get("orders_product_share_a"), "one order, of a: the share shown is the real one");
        assertEquals("0", p1.get("orders_product_share_b"));
        assertEquals("4.5000", p1.get("score"));
        assertEquals("", p1.get("tier"));
        assertEquals("", p1.get("tier=gold"), "no value: the category features are missing, not 0");

        CSVRecord p2 = rows.get(2);
        assertEquals("0", p2.get("orders_recency_days"));
        assertEquals("0", p2.get("orders_total_value"), "an event without value adds nothing");
        assertEquals("", p2.get("orders_average_value"), "no valued event: no average");
        assertEquals("1", p2.get("orders_product_share_c"));
        assertEquals("", p2.get("score"));

        CSVRecord p3 = rows.get(3);
        for (String c : cols.columns()) assertEquals("", p3.get(c), "no events, no traits: " + c);
        // every person's shares sum to one
        for (int p = 0; p < 3; p++) {
            CSVRecord r = rows.get(p);
            double sum = Double.parseDouble(r.get("orders_product_share_a")) + Double.parseDouble(r.get("orders_product_share_b"))
                    + Double.parseDouble(r.get("orders_product_share_c"));
            assertEquals(1.0, sum, 1e-3);
        }

        // read back for chosen people
        FeatureTable t = TraitFiles.features(in(out.toString(StandardCharsets.UTF_8)), cols.features(), new int[]{0, 2, 3});
        assertEquals(3, t.rows());
        assertEquals(3.0, t.get(0, 1));
        assertEquals(0.0, t.get(1, 0));
        assertTrue(Double.isNaN(t.get(1, 4)), "empty cell is NaN");
        assertTrue(Double.isNaN(t.get(2, 1)));
    }

    @Test
    void onlyTheMostFrequentProductsGetShares() {
        StringBuilder events = new StringBuilder("person_id,datetime,product\n");
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int p = 0; p < 10; p++) {
            for (int e = 0; e <= p; e++) events.append("0,").append(T0).append(",Prod ").append(p).append('\n');
            counts.put("Prod " + p, (long) p + 1);
        }
        DatasetManifest m = new DatasetManifest(1, List.of(), Map.of("buys",
                new DatasetManifest.StreamInfo(55, List.of("product"), T0, T0, counts)), List.of());
        TraitEnricher.TraitColumns cols = TraitEnricher.enrich(m, s -> in(events.toString()), in("person_id\n0\n"),
                new ByteArrayOutputStream());
        List<String> shares = cols.columns().stream().filter(c -> c.contains("share")).toList();
        assertEquals(TraitEnricher.MAX_PRODUCTS, shares.size());
        assertEquals("buys_product_share_prod_9", shares.getFirst());
        assertFalse(shares.contains("buys_product_share_prod_0"));
        assertFalse(cols.columns().contains("buys_total_value"), "no value mapped");
        assertEquals("other", TraitEnricher.slug("!!"));
    }

    @Test
    void linesOfOneOrderAreOneOrderAndReturnsLowerRevenueWithoutCountingAsPurchases() throws IOException {
        String events = "person_id,datetime,value,product\n"
                + "0," + T0 + ",10,a\n"              // one invoice of three lines: one order of 60
                + "0," + T0 + ",20,a\n"
                + "0," + T0 + ",30,b\n"
                + "0," + (T0 + 3 * DAY) + ",-15,a\n"  // a return: revenue 45, still one purchase
                + "0," + (T0 + 9 * DAY) + ",40,b\n"   // a second order
                + "1," + (T0 + 2 * DAY) + ",-5,a\n";  // returns only: no purchase
        Map<String, Long> products = new LinkedHashMap<>();
        products.put("a", 4L);
        products.put("b", 2L);
        DatasetManifest m = new DatasetManifest(2, List.of("email"), Map.of("orders",
                new DatasetManifest.StreamInfo(6, List.of("value", "product"), T0, T0 + 9 * DAY, products)), List.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraitEnricher.enrich(m, s -> in(events), in("person_id\n0\n1\n"), out);
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(out.toString(StandardCharsets.UTF_8))).getRecords();
        assertEquals("2", rows.get(0).get("orders_frequency"), "three lines at one datetime are one order; a return is none");
        assertEquals("85", rows.get(0).get("orders_total_value"), "the return lowers the total: 60 - 15 + 40");
        assertEquals("50", rows.get(0).get("orders_average_value"),
                "the average order value is over purchases, returns excluded: (60 + 40) / 2");
        assertEquals("0.5000", rows.get(0).get("orders_product_share_a"),
                "a share is over purchase lines (a, a, b, b; the returned line is left out), never above 1");
        assertEquals("0", rows.get(1).get("orders_frequency"), "a customer with only returns made no purchase");
        assertEquals("-5", rows.get(1).get("orders_total_value"));
        assertEquals("", rows.get(1).get("orders_average_value"), "no order, no average order value");
    }

    @Test
    void anOrderIdPropertyGroupsLinesIntoOrdersWhateverTheirDatetimes() throws IOException {
        String events = "person_id,datetime,value,order_id\n"
                + "0," + T0 + ",10,A1\n"                 // two invoices in one minute: two orders
                + "0," + T0 + ",20,A2\n"
                + "0," + (T0 + 60) + ",5,A2\n"           // a line of A2 stamped a minute later: still A2
                + "0," + (T0 + DAY) + ",-10,C1\n"        // a cancellation: a return, no purchase
                + "0," + (T0 + 2 * DAY) + ",7,\n";       // no order id: its datetime makes the order
        DatasetManifest m = new DatasetManifest(1, List.of("email"), Map.of("orders",
                new DatasetManifest.StreamInfo(5, List.of("value", "order_id"), T0, T0 + 2 * DAY, Map.of())), List.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraitEnricher.enrich(m, s -> in(events), in("person_id\n0\n"), out);
        CSVRecord row = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(out.toString(StandardCharsets.UTF_8))).getRecords().get(0);
        assertEquals("3", row.get("orders_frequency"), "A1, A2 and the undated-id order; C1 is a return");
        assertEquals(14.0, Double.parseDouble(row.get("orders_average_value")), 1e-9, "(10 + 25 + 7) / 3");
        assertEquals("32", row.get("orders_total_value"), "net of the return");
    }
}
