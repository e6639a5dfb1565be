package personae.core.sample;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import personae.core.sample.OrdersGenerator.PlantedGroup;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class OrdersGeneratorTest {

    private static final int CUSTOMERS = 3000;
    private static final int ROWS = 20_000;
    private static String csv;
    private static OrdersGenerator.Summary summary;
    private static List<CSVRecord> records;

    @BeforeAll
    static void generate() throws IOException {
        StringWriter out = new StringWriter();
        summary = new OrdersGenerator(42).write(out, CUSTOMERS, ROWS);
        csv = out.toString();
        try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv))) {
            assertEquals(OrdersGenerator.HEADER, parser.getHeaderNames());
            records = parser.getRecords();
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        StringWriter again = new StringWriter();
        new OrdersGenerator(42).write(again, CUSTOMERS, ROWS);
        assertEquals(csv, again.toString());
        StringWriter other = new StringWriter();
        new OrdersGenerator(43).write(other, CUSTOMERS, ROWS);
        assertNotEquals(csv, other.toString());
    }

    @Test
    void everyRowIsWellFormed() {
        assertTrue(csv.startsWith(String.join(",", OrdersGenerator.HEADER) + "\n"));
        assertEquals(summary.rows(), records.size());
        assertEquals(ROWS, records.size(), ROWS * 0.05, "rows near the target");
        Set<String> ids = new HashSet<>();
        Instant previous = Instant.MIN;
        for (CSVRecord r : records) {
            assertEquals(12, r.size(), r.toString());
            ids.add(r.get("customer_id"));
            assertTrue(r.get("customer_id").matches("C\\d{7}"));
            assertTrue(r.get("email").trim().matches("[A-Za-z0-9._+]+@[A-Za-z0-9.]+\\.[a-zA-Z]+"), r.get("email"));
            assertFalse(r.get("first_name").isBlank());
            assertFalse(r.get("last_name").isBlank());
            assertTrue(r.get("address").matches("\\d+ .+"), r.get("address"));
            assertTrue(r.get("state").matches("[A-Z]{2}"));
            assertTrue(r.get("postcode").matches("\\d{5}"), r.get("postcode"));
            String phone = r.get("phone");
            assertTrue(phone.isEmpty() || phone.matches("\\(\\d{3}\\) \\d{3}-\\d{4}|\\d{3}-\\d{3}-\\d{4}|\\+1 \\d{3} \\d{3} \\d{4}"), phone);
            assertTrue(r.get("order_datetime").matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"));
            Instant at = Instant.parse(r.get("order_datetime"));
            assertFalse(at.isBefore(previous), "rows are in time order");
            assertFalse(at.isAfter(OrdersGenerator.AS_OF));
            assertFalse(at.isBefore(OrdersGenerator.HISTORY_START));
            previous = at;
            assertTrue(r.get("order_total").matches("\\d+\\.\\d{2}"), r.get("order_total"));
            assertTrue(new BigDecimal(r.get("order_total")).compareTo(BigDecimal.ONE) >= 0);
            assertTrue(OrdersGenerator.CATEGORIES.contains(r.get("product_category")));
        }
        assertEquals(CUSTOMERS, ids.size());
        assertTrue(records.stream().anyMatch(r -> r.get("postcode").startsWith("0")), "leading zeros kept");
        assertTrue(records.stream().anyMatch(r -> r.get("address").contains(",")), "some addresses need quoting");
    }

    @Test
    void oneCustomerHasOneIdentityUnderTheFormattingNoise() {
        Map<String, Set<String>> rawEmails = new HashMap<>(), emails = new HashMap<>(), phones = new HashMap<>(),
                addresses = new HashMap<>();
        for (CSVRecord r : records) {
            String id = r.get("customer_id");
            rawEmails.computeIfAbsent(id, k -> new HashSet<>()).add(r.get("email"));
            emails.computeIfAbsent(id, k -> new HashSet<>()).add(r.get("email").trim().toLowerCase(Locale.ROOT).replaceAll("\\+[^@]*@", "@"));
            if (!r.get("phone").isEmpty()) phones.computeIfAbsent(id, k -> new HashSet<>()).add(r.get("phone").replaceAll("\\D", "").replaceAll("^1(\\d{10})$", "$1"));
            addresses.computeIfAbsent(id, k -> new HashSet<>()).add(r.get("address") + "|" + r.get("city") + "|" + r.get("postcode"));
        }
        assertTrue(emails.values().stream().allMatch(s -> s.size() == 1), "normalised email is stable per customer");
        assertTrue(phones.values().stream().allMatch(s -> s.size() == 1), "phone digits are stable per customer");
        assertTrue(addresses.values().stream().allMatch(s -> s.size() == 1));
        long varied = rawEmails.values().stream().filter(s -> s.size() > 1).count();
        assertTrue(varied > CUSTOMERS / 10, varied + " customers with varied email spellings");
        Set<String> distinctEmails = new HashSet<>();
        emails.values().forEach(distinctEmails::addAll);
        assertEquals(CUSTOMERS, distinctEmails.size(), "no two customers share an email");
        Set<String> distinctPhones = new HashSet<>();
        phones.values().forEach(distinctPhones::addAll);
        assertEquals(phones.size(), distinctPhones.size(), "no two customers share a phone");
        assertTrue(records.stream().anyMatch(r -> r.get("email").contains("+")));
        assertTrue(records.stream().anyMatch(r -> !r.get("email").equals(r.get("email").trim())));
    }

    @Test
    void customersInterleave() {
        Map<String, Integer> first = new HashMap<>(), last = new HashMap<>(), count = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            String id = records.get(i).get("customer_id");
            first.putIfAbsent(id, i);
            last.put(id, i);
            count.merge(id, 1, Integer::sum);
        }
        long repeat = count.values().stream().filter(c -> c > 1).count();
        long contiguous = count.keySet().stream().filter(id -> count.get(id) > 1 && last.get(id) - first.get(id) + 1 == count.get(id)).count();
        assertTrue(repeat > CUSTOMERS / 2);
        assertTrue(contiguous < repeat / 100, contiguous + " of " + repeat + " repeat customers have contiguous rows");
    }

    @Test
    void plantedGroupsBehaveAsIntended() {
        OrdersGenerator generator = new OrdersGenerator(42);
        Map<PlantedGroup, List<Double>> totals = new EnumMap<>(PlantedGroup.class);
        Map<PlantedGroup, Map<String, Integer>> categories = new EnumMap<>(PlantedGroup.class);
        Map<String, Integer> orders = new HashMap<>();
        Map<String, Instant> latest = new HashMap<>();
        for (CSVRecord r : records) {
            String id = r.get("customer_id");
            PlantedGroup g = generator.groupOf(id);
            totals.computeIfAbsent(g, k -> new ArrayList<>()).add(Double.parseDouble(r.get("order_total")));
            categories.computeIfAbsent(g, k -> new HashMap<>()).merge(r.get("product_category"), 1, Integer::sum);
            orders.merge(id, 1, Integer::sum);
            latest.merge(id, Instant.parse(r.get("order_datetime")), (a, b) -> a.isAfter(b) ? a : b);
        }
        Map<PlantedGroup, Double> meanTotal = new EnumMap<>(PlantedGroup.class), meanOrders = new EnumMap<>(PlantedGroup.class),
                meanRecencyDays = new EnumMap<>(PlantedGroup.class);
        int[] customers = new int[PlantedGroup.values().length];
        for (PlantedGroup g : PlantedGroup.values()) {
            meanTotal.put(g, totals.get(g).stream().mapToDouble(Double::doubleValue).average().orElseThrow());
            List<String> ids = orders.keySet().stream().filter(id -> generator.groupOf(id) == g).toList();
            customers[g.ordinal()] = ids.size();
            meanOrders.put(g, ids.stream().mapToInt(orders::get).average().orElseThrow());
            meanRecencyDays.put(g, ids.stream().mapToLong(id -> Duration.between(latest.get(id), OrdersGenerator.AS_OF).toDays()).average().orElseThrow());
        }
        assertEquals(summary.customersPerGroup(), java.util.Arrays.stream(customers).boxed().toList());
        // spend per order: garden big spenders >> electronics, apparel >> one-timers
        assertTrue(meanTotal.get(PlantedGroup.GARDEN_BIG_SPENDERS) > 2 * meanTotal.get(PlantedGroup.FREQUENT_ELECTRONICS_BUYERS), meanTotal.toString());
        assertTrue(meanTotal.get(PlantedGroup.LOYAL_APPAREL_REGULARS) > 1.5 * meanTotal.get(PlantedGroup.LAPSED_ONE_TIMERS), meanTotal.toString());
        // orders per customer: electronics > apparel > garden > one-timers (at most two each)
        assertTrue(meanOrders.get(PlantedGroup.FREQUENT_ELECTRONICS_BUYERS) > meanOrders.get(PlantedGroup.LOYAL_APPAREL_REGULARS), meanOrders.toString());
        assertTrue(meanOrders.get(PlantedGroup.LOYAL_APPAREL_REGULARS) > meanOrders.get(PlantedGroup.GARDEN_BIG_SPENDERS), meanOrders.toString());
        assertTrue(meanOrders.get(PlantedGroup.LAPSED_ONE_TIMERS) <= 2 && meanOrders.get(PlantedGroup.LAPSED_ONE_TIMERS) >= 1);
        // recency: one-timers lapsed over a year ago; electronics the most recent
        assertTrue(meanRecencyDays.get(PlantedGroup.LAPSED_ONE_TIMERS) > 365, meanRecencyDays.toString());
        assertTrue(meanRecencyDays.get(PlantedGroup.FREQUENT_ELECTRONICS_BUYERS) < meanRecencyDays.get(PlantedGroup.GARDEN_BIG_SPENDERS), meanRecencyDays.toString());
        // favourite categories dominate, but not exclusively
        assertShare(categories.get(PlantedGroup.GARDEN_BIG_SPENDERS), "garden", 0.6, 0.9);
        assertShare(categories.get(PlantedGroup.FREQUENT_ELECTRONICS_BUYERS), "electronics", 0.6, 0.9);
        assertShare(categories.get(PlantedGroup.LOYAL_APPAREL_REGULARS), "apparel", 0.55, 0.85);
        assertShare(categories.get(PlantedGroup.LAPSED_ONE_TIMERS), "garden", 0.05, 0.3);
    }

    private static void assertShare(Map<String, Integer> counts, String category, double min, double max) {
        double total = counts.values().stream().mapToInt(Integer::intValue).sum();
        double share = counts.getOrDefault(category, 0) / total;
        assertTrue(share >= min && share <= max, category + " share " + share + " in " + counts);
    }

    @Test
    void groundTruthIsCheapAndStable() {
        OrdersGenerator a = new OrdersGenerator(42), b = new OrdersGenerator(42);
        for (int i = 0; i < 1000; i++) assertEquals(a.groupOf(i), b.groupOf(OrdersGenerator.customerId(i)));
        assertThrows(IllegalArgumentException.class, () -> a.groupOf("nope"));
    }

    @Test
    void streamsAMillionRowsWithoutKeepingThem() throws IOException {
        long[] chars = {0};
        Writer counting = new Writer() {
            @Override public void write(char[] buf, int off, int len) { chars[0] += len; }
            @Override public void write(String s, int off, int len) { chars[0] += len; }
            @Override public void flush() { }
            @Override public void close() { }
        };
        OrdersGenerator.Summary big = new OrdersGenerator(7).write(counting, 150_000, 1_000_000);
        assertEquals(1_000_000, big.rows(), 50_000);
        assertTrue(chars[0] > 100_000_000L, chars[0] + " characters");
    }

    @Test
    void rejectsImpossibleSizes() {
        assertThrows(IllegalArgumentException.class, () -> new OrdersGenerator(1).write(new StringWriter(), 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new OrdersGenerator(1).write(new StringWriter(), 10, 5));
    }

    @Test
    void theCustomerTableIsMostlyTheOrdersCustomersAndSomeRowsOnlyTheirNameAndAddressOrPhoneCanLink() throws IOException {
        StringWriter out = new StringWriter();
        int known = new OrdersGenerator(42).writeCustomerTable(out, CUSTOMERS, 1000);
        assertEquals(900, known, "90% of the rows are customers who ordered");
        List<CSVRecord> crm;
        try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(out.toString()))) {
            assertEquals(OrdersGenerator.CUSTOMER_TABLE_HEADER, parser.getHeaderNames());
            crm = parser.getRecords();
        }
        assertEquals(1000, crm.size());
        Map<String, String> emailOfAddress = new HashMap<>(); // the orders' name + street + zip -> normalised email
        for (CSVRecord r : records) {
            emailOfAddress.put(r.get("first_name").toLowerCase(Locale.ROOT) + "|" + r.get("last_name") + "|" + r.get("address") + "|"
                    + r.get("postcode"), r.get("email").trim().toLowerCase(Locale.ROOT).replaceAll("\\+[^@]*@", "@"));
        }
        int linked = 0, withoutEmail = 0;
        for (int i = 0; i < crm.size(); i++) {
            CSVRecord r = crm.get(i);
            String email = emailOfAddress.get(r.get("given_name").toLowerCase(Locale.ROOT) + "|" + r.get("family_name") + "|" + r.get("street")
                    + "|" + r.get("zip"));
            if (email != null) {
                linked++;
                String mine = r.get("contact_email").trim().toLowerCase(Locale.ROOT).replaceAll("\\+[^@]*@", "@");
                if (mine.isEmpty()) withoutEmail++;
                else assertEquals(email, mine, "a customer's CRM email is their orders' email: row " + i);
            }
            assertFalse(r.get("household_income").isEmpty() || r.get("loyalty_tier").isEmpty(), "row " + i);
        }
        assertEquals(900, linked, "the first 900 rows are the orders' customers, by name and address: " + linked);
        assertTrue(withoutEmail > 200 && withoutEmail < 400, "about 1 in 3 has no email: " + withoutEmail);
    }
}
