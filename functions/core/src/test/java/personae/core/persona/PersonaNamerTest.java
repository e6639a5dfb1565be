package personae.core.persona;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PersonaNamerTest {

    private static final List<Feature> FEATURES = List.of(
            new Feature("orders_recency_days", Feature.Kind.RECENCY_DAYS, "orders"),
            new Feature("orders_frequency", Feature.Kind.FREQUENCY, "orders"),
            new Feature("orders_tenure_days", Feature.Kind.TENURE_DAYS, "orders"),
            new Feature("orders_total_value", Feature.Kind.TOTAL_VALUE, "orders"),
            new Feature("orders_average_value", Feature.Kind.AVERAGE_VALUE, "orders"),
            new Feature("orders_product_share_garden", Feature.Kind.PRODUCT_SHARE, "garden"),
            new Feature("orders_product_share_home_decor", Feature.Kind.PRODUCT_SHARE, "home_decor"),
            new Feature("nps", Feature.Kind.USER_DEFINED, "net_promoter_score"));

    /** A model whose personas have the given standardised centroids; raw frequency means as given. */
    private static PersonaModel model(double[][] centroids, double... rawFrequency) {
        List<FeatureScaling> scalings = FEATURES.stream().map(f -> new FeatureScaling(FeatureScaling.isSkewed(f.kind()), 0, 1)).toList();
        List<Map<String, Double>> centers = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int p = 0; p < centroids.length; p++) {
            Map<String, Double> c = new LinkedHashMap<>();
            for (Feature f : FEATURES) c.put(f.name(), 1.0);
            c.put("orders_frequency", rawFrequency.length > p ? rawFrequency[p] : 5.0);
            centers.add(c);
            counts.add(100 - p);
        }
        return new PersonaModel(FEATURES, scalings, centroids.length, centroids, centers, counts, 0,
                new ClusterCountChoice("given", 0, Map.of()));
    }

    @Test
    void namesFromTheTopTraits() {
        PersonaModel m = model(new double[][]{
                // recency, frequency, tenure, total, average, garden, home_decor, nps
                {-1.5, 0.2, 0.1, 0.3, 0.1, 2.0, -0.3, 0},    // recent garden shoppers
                {1.8, -1.2, 0.2, -0.4, 0.1, -0.3, 0.1, 0},   // lapsed one-time buyers (raw frequency 1.1)
                {1.1, 0.1, 0.3, 0.2, 1.6, 0, 0, 0},           // lapsed big-basket buyers
                {0.1, 1.4, 1.9, 0.3, 0, 0, 0, 0},             // loyal frequent buyers
                {0.1, 0.1, 0, 0.2, 0, 0, 0.2, -2.2},          // low net promoter score
                {0.1, -0.2, 0.1, 0.1, 0.2, 0.1, 0.1, 0.3},    // nothing stands out
                {0.2, -1.0, 0.1, 0.1, 0.2, 0.1, 1.2, 0.1},    // occasional home decor shoppers (raw frequency 2.4)
        }, 6, 1.1, 6, 12, 5, 5, 2.4);
        assertEquals(List.of("Recent Garden Shoppers", "Lapsed One-time Buyers", "Lapsed Big-Basket Buyers",
                "Loyal Frequent Buyers", "Low Net Promoter Score Buyers", "Mainstream Buyers",
                "Occasional Home Decor Shoppers"), PersonaNamer.names(m));
    }

    @Test
    void longTimeRatherThanLoyalWhenLapsed() {
        PersonaModel m = model(new double[][]{{1.0, 0, 2.0, 0, 0, 0, 0, 0}, {-1, 0, -1.5, 0, 0, 0, 0, 0}});
        assertEquals(List.of("Lapsed Long-time Buyers", "Recent New Buyers"), PersonaNamer.names(m));
    }

    @Test
    void aShortSpanLongAgoIsOneTimeNotNew() {
        // bought once, two years ago: the short tenure must not read as "New"
        PersonaModel m = model(new double[][]{{1.2, 0, -1.6, 0, 0, 0, 0, 0}, {-1.2, 0, 1.6, 0, 0, 0, 0, 0}});
        assertEquals("Lapsed One-time Buyers", PersonaNamer.names(m).get(0));
    }

    @Test
    void clashingNamesAreDisambiguatedDeterministically() {
        PersonaModel m = model(new double[][]{
                {-1.5, 0, 0, 0, 0, 2.0, 0, 0},
                {-1.4, 0, 0, 0, 1.0, 1.9, 0, 0},   // same top two, a third trait tells it apart
                {-1.3, 0, 0, 0, 0, 1.8, 0, 0},     // same top two and nothing else: numbered
                {0, 0, 0, 0, 0, 0, 0, 0},
                {0, 0, 0, 0, 0, 0, 0, 0.1},
        });
        List<String> names = PersonaNamer.names(m);
        assertEquals(List.of("Recent Garden Shoppers", "Recent Big-Basket Garden Shoppers", "Recent Garden Shoppers (2)",
                "Mainstream Buyers", "Mainstream Buyers (2)"), names);
        assertEquals(names, PersonaNamer.names(m));
    }

    @Test
    void namesOfAFittedModelAreUniqueAndNonBlank() {
        PlantedCohort cohort = PlantedCohort.generate(3000, 17, 0.0);
        for (int k : new int[]{4, 12, 30}) {
            PersonaModel model = PersonaClustering.fit(cohort.table(), k, 3);
            List<String> names = PersonaNamer.names(model);
            assertEquals(model.k(), names.size());
            assertEquals(names.size(), new HashSet<>(names).size(), names.toString());
            assertTrue(names.stream().noneMatch(String::isBlank));
        }
        PersonaModel four = PersonaClustering.fit(cohort.table(), null, 3);
        List<String> names = PersonaNamer.names(four);
        // the planted groups' defining traits come through
        assertTrue(names.stream().anyMatch(n -> n.contains("Garden")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.contains("Electronics")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.contains("Apparel")), names.toString());
        // the planted one-timers: short tenure, little spend, long ago; the name shows two of those
        assertTrue(names.stream().anyMatch(n -> n.matches(".*(Lapsed|One-time|New|Low-Value).*(One-time|New|Low-Value).*")),
                names.toString());
    }

    @Test
    void salientTraitsRankByDistance() {
        PersonaModel m = model(new double[][]{{-0.4, 0.2, 0, 1.84, 0, -2.5, 0, 0}});
        assertEquals(List.of("orders_product_share_garden low (z=-2.5)", "orders_total_value high (z=+1.8)",
                "orders_recency_days low (z=-0.4)"), PersonaNamer.salientTraits(m, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> PersonaNamer.salientTraits(m, 1, 3));
    }

    @Test
    void titleCasesLabels() {
        assertEquals("Home Decor", PersonaNamer.title("home_decor"));
        assertEquals("Garden", PersonaNamer.title("GARDEN"));
    }
}
