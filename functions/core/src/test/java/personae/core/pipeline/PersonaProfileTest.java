package personae.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each persona's profile is true of its members: shares, revenue, orders and order value recomputed here from the
 * rows written, real product shares of spend, distinctive traits in words, and names from them.
 *
 * <p>Two groups, written line by line as an order file would be: 300 garden lovers (6 to 10 orders of 2 to 3 lines,
 * all garden, about 100 each, tier "gold") and 700 one-time kitchen buyers (one order of one line of about 20, plus
 * a return for a tenth of them, tier "basic"). A third of the garden lovers' lines are a small "22423" item.
 */
class PersonaProfileTest {

    static final String A = InMemoryBuilds.ACCOUNT;
    static final InMemoryBuilds builds = new InMemoryBuilds();
    static JsonNode set;
    /** Per email: orders (positive), gross purchases, net revenue. */
    static final Map<String, double[]> truth = new HashMap<>();
    static final Map<String, String> groupOf = new HashMap<>();

    @BeforeAll
    static void build() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder csv = new StringBuilder("line,email,date,total,item,tier\n");
        List<String> lines = new ArrayList<>();
        for (int c = 0; c < 1000; c++) {
            boolean garden = c < 300;
            String email = "c" + c + "@example.com";
            groupOf.put(email, garden ? "garden" : "kitchen");
            double[] t = truth.computeIfAbsent(email, e -> new double[3]);
            int orders = garden ? 6 + random.nextInt(5) : 1;
            for (int o = 0; o < orders; o++) {
                String date = String.format("2025-%02d-%02d", 1 + random.nextInt(12), 1 + random.nextInt(28));
                if (!garden && o == 0) date = String.format("2024-%02d-%02d", 1 + random.nextInt(12), 1 + random.nextInt(28));
                int linesInOrder = garden ? 2 + random.nextInt(2) : 1;
                double orderValue = 0;
                for (int l = 0; l < linesInOrder; l++) {
                    double v = garden ? 30 + random.nextInt(20) : 15 + random.nextInt(10);
                    String item = garden ? (l == 2 ? "22423" : "Garden") : "Kitchen";
                    lines.add(email + "," + date + "," + v + "," + item + "," + (garden ? "gold" : "basic"));
                    orderValue += v;
                }
                // the same customer may order twice on one day: then those lines are one order
                if (!dup(lines, email, date, linesInOrder)) {
                    t[0]++;
                }
                t[1] += orderValue;
                t[2] += orderValue;
            }
            if (!garden && c % 10 == 0) {
                lines.add(email + ",2025-06-30,-5.0,Kitchen,basic");
                t[2] -= 5;
            }
        }
        java.util.Collections.shuffle(lines, new java.util.Random(3));
        // a line number keeps identical lines of one order apart (each distinct row is ingested once)
        for (int i = 0; i < lines.size(); i++) csv.append(i).append(',').append(lines.get(i)).append('\n');
        builds.upload("orders.csv", csv.toString());
        builds.readyDataset("""
                {"name": "orders", "options": {"type": "hosted_csv", "upload_directory": "orders"},
                 "identity_sets": {"c": {"email": "email"}},
                 "output_to_streams": {"orders": {"data_map": {"datetime": {"column_name": "date"},
                     "value": {"column_name": "total"}, "product": {"column_name": "item"}}}},
                 "output_to_traits": {"tier": {"column_name": "tier"}}}""");
        String cohort = builds.readyCohort("{\"name\":\"everyone\",\"stream_name\":\"orders\"}");
        String id = builds.resources.create(A, ResourceType.PERSONA_SETS,
                Json.readObject("{\"name\":\"p\",\"cohort_id\":\"" + cohort + "\",\"number_of_clusters\":2}")).id();
        BuildRequest p = new BuildRequest(A, "persona_sets", id);
        builds.steps.clusterPersonas(p);
        builds.steps.namePersonas(p);
        set = builds.resources.require(A, ResourceType.PERSONA_SETS, id).doc();
    }

    /** Whether an earlier order of this customer has the same date (the lines just added are the last ones). */
    private static boolean dup(List<String> lines, String email, String date, int justAdded) {
        String prefix = email + "," + date + ",";
        for (int i = 0; i < lines.size() - justAdded; i++) if (lines.get(i).startsWith(prefix)) return true;
        return false;
    }

    static JsonNode persona(String group) {
        for (JsonNode p : set.path("personas")) {
            long n = p.path("individuals_count").asLong();
            if (group.equals("garden") && n == 300 || group.equals("kitchen") && n == 700) return p;
        }
        throw new AssertionError("no persona holds exactly the " + group + " group: " + set.path("personas"));
    }

    static JsonNode profile(String group) {
        return persona(group).path("details").path("center").path(PersonaSetBuild.PROFILE);
    }

    /** The truth's sums over a group: orders, gross, net. */
    static double[] sums(String group) {
        double[] s = new double[3];
        truth.forEach((email, t) -> {
            if (groupOf.get(email).equals(group)) for (int i = 0; i < 3; i++) s[i] += t[i];
        });
        return s;
    }

    @Test
    void sharesOfTheCohortAndOfRevenueAreTheMembersOwn() {
        assertEquals(0.3, profile("garden").path("share_of_cohort").asDouble(), 1e-9, "300 of 1,000 people");
        assertEquals(0.7, profile("kitchen").path("share_of_cohort").asDouble(), 1e-9);
        double garden = sums("garden")[2], kitchen = sums("kitchen")[2];
        assertEquals(garden / (garden + kitchen), profile("garden").path("revenue_share").asDouble(), 1e-4,
                "revenue share: the persona's net revenue over the cohort's");
        assertEquals(1.0, profile("garden").path("revenue_share").asDouble()
                + profile("kitchen").path("revenue_share").asDouble(), 1e-3, "revenue shares add up to 1");
    }

    @Test
    void ordersPerPersonAndAverageOrderValueCountOrdersNotLinesAndLeaveReturnsOut() {
        double[] g = sums("garden");
        assertEquals(g[0] / 300, profile("garden").path("orders_per_person").asDouble(), 1e-3,
                "orders per person: lines of one customer on one date are one order");
        assertEquals(g[1] / g[0], profile("garden").path("average_order_value").asDouble(), 0.01,
                "average order value: gross purchases over orders");
        double[] k = sums("kitchen");
        assertEquals(1.0, profile("kitchen").path("orders_per_person").asDouble(), 1e-9, "a return is not an order");
        assertEquals(k[1] / k[0], profile("kitchen").path("average_order_value").asDouble(), 0.01,
                "returns do not lower the average order value");
        assertEquals((k[1] - k[2]) / k[1], profile("kitchen").path("returned_share_of_spend").asDouble(), 1e-4,
                "the returned share is what was returned over what was bought");
    }

    @Test
    void topProductsAreRealSharesOfSpendWithoutSmoothing() {
        JsonNode kitchen = profile("kitchen").path("top_products");
        assertEquals(1, kitchen.size(), "kitchen buyers bought one product only: " + kitchen);
        assertEquals("Kitchen", kitchen.get(0).path("product").asText());
        assertEquals(1.0, kitchen.get(0).path("share_of_spend").asDouble(), 1e-9,
                "all of their spend, not a share shrunk toward the cohort's mix");
        JsonNode garden = profile("garden").path("top_products");
        assertEquals(List.of("Garden", "22423"), List.of(garden.get(0).path("product").asText(),
                garden.get(1).path("product").asText()));
        assertEquals(1.0, garden.get(0).path("share_of_spend").asDouble() + garden.get(1).path("share_of_spend").asDouble(),
                1e-3, "the garden lovers spent on nothing else");
    }

    @Test
    void distinctiveTraitsCompareThePersonaWithTheCohortInWords() {
        JsonNode traits = profile("garden").path("distinctive_traits");
        assertFalse(traits.isEmpty(), "the garden lovers stand out");
        for (JsonNode t : traits) {
            String says = t.path("says").asText();
            assertTrue(says.contains(" vs ") && says.endsWith("for the cohort"), "a comparison with the cohort: " + says);
            assertFalse(says.contains("_") || says.contains("z="), "words, not machine names or z-scores: " + says);
            assertEquals(t.path("direction").asText().equals("higher"), t.path("persona").asDouble() > t.path("cohort").asDouble(),
                    "the direction agrees with the means: " + t);
        }
    }

    @Test
    void namesComeFromTheDistinctiveTraitsAndNeverFromACode() {
        for (JsonNode p : set.path("personas")) {
            String name = p.path("name").asText();
            assertFalse(name.contains("22423"), "a stock code never names a persona: " + name);
            assertFalse(name.contains("_") || name.contains("="), "a name is words: " + name);
        }
        assertTrue(persona("garden").path("name").asText().matches(".*(Frequent|Garden|Loyal|High-Value|Gold).*"),
                "the garden lovers' name says what sets them apart: " + persona("garden").path("name"));
        assertTrue(persona("kitchen").path("name").asText().matches(".*(One-time|Kitchen|Low-Value|Lapsed|Basic).*"),
                "the kitchen buyers' name says what sets them apart: " + persona("kitchen").path("name"));
    }
}
