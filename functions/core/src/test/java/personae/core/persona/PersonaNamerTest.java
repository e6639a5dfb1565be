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

    /** Cohort means: 10 for every trait, 5 orders. */
    private static double cohortMean(Feature f) {
        return f.kind() == Feature.Kind.FREQUENCY ? 5.0 : 10.0;
    }

    /**
     * A model whose personas have the given standardised centroids and raw means of cohort mean + z (raw frequency
     * means as given), followed by a large persona at the cohort's centre, so that the cohort's centre is about 0.
     */
    private static PersonaModel model(double[][] centroids, double... rawFrequency) {
        List<FeatureScaling> scalings = FEATURES.stream().map(f -> new FeatureScaling(FeatureScaling.isSkewed(f.kind()), 0, 1)).toList();
        List<Map<String, Double>> centers = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        double[][] all = new double[centroids.length + 1][];
        for (int p = 0; p <= centroids.length; p++) {
            double[] z = p < centroids.length ? centroids[p] : new double[FEATURES.size()];
            all[p] = z;
            Map<String, Double> c = new LinkedHashMap<>();
            for (int f = 0; f < FEATURES.size(); f++) c.put(FEATURES.get(f).name(), cohortMean(FEATURES.get(f)) + z[f]);
            if (p < centroids.length && rawFrequency.length > p) c.put("orders_frequency", rawFrequency[p]);
            centers.add(c);
            counts.add(p < centroids.length ? 100 - p : 10_000_000);
        }
        return new PersonaModel(FEATURES, scalings, all.length, all, centers, counts, 0,
                new ClusterCountChoice("given", 0, Map.of()), null);
    }

    /** The names of every persona but the cohort-centre one {@link #model} adds. */
    private static List<String> names(PersonaModel m) {
        double[] means = FEATURES.stream().mapToDouble(PersonaNamerTest::cohortMean).toArray();
        List<List<PersonaProfiles.Distinctive>> distinctive = new ArrayList<>();
        for (int p = 0; p < m.k(); p++) distinctive.add(PersonaProfiles.distinctive(m, p, means, null));
        List<String> all = PersonaNamer.names(m, distinctive);
        return all.subList(0, all.size() - 1);
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
                "Occasional Home Decor Shoppers"), names(m));
    }

    @Test
    void longTimeRatherThanLoyalWhenLapsed() {
        PersonaModel m = model(new double[][]{{1.0, 0, 2.0, 0, 0, 0, 0, 0}, {-1, 0, -1.5, 0, 0, 0, 0, 0}});
        assertEquals(List.of("Lapsed Long-time Buyers", "New Buyers"), names(m), "New already says recent");
    }

    @Test
    void aShortSpanLongAgoIsNotNew() {
        // a short span between first and last order, long ago: the short tenure must not read as "New" (and says
        // nothing of how many orders; frequency does)
        PersonaModel m = model(new double[][]{{1.2, 0, -1.6, 0, 0, 0, 0, 0}, {-1.2, 0, 1.6, 0, 0, 0, 0, 0}});
        assertEquals("Lapsed Buyers", names(m).get(0));
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
        List<String> names = names(m);
        assertEquals(List.of("Recent Garden Shoppers", "Recent Big-Basket Garden Shoppers", "Recent Garden Shoppers (2)",
                "Mainstream Buyers", "Mainstream Buyers (2)"), names);
        assertEquals(names, names(m));
    }

    @Test
    void namesOfAFittedModelAreUniqueAndNonBlank() {
        PlantedCohort cohort = PlantedCohort.generate(3000, 17, 0.0);
        for (int k : new int[]{4, 12, 30}) {
            PersonaModel model = PersonaClustering.fit(cohort.table(), k, 3);
            List<String> names = PersonaNamer.names(model, cohort.table());
            assertEquals(model.k(), names.size());
            assertEquals(names.size(), new HashSet<>(names).size(), names.toString());
            assertTrue(names.stream().noneMatch(String::isBlank));
        }
        PersonaModel four = PersonaClustering.fit(cohort.table(), null, 3);
        List<String> names = PersonaNamer.names(four, cohort.table());
        // the planted groups' defining traits come through
        assertTrue(names.stream().anyMatch(n -> n.contains("Garden")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.contains("Electronics")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.contains("Apparel")), names.toString());
        // the planted one-timers: short tenure, little spend, long ago; the name shows two of those
        assertTrue(names.stream().anyMatch(n -> n.matches(".*(Lapsed|One-time|New|Low-Value).*(One-time|New|Low-Value).*")),
                names.toString());
    }

    @Test
    void aNameNeverSaysWhatTheMeansContradict() {
        // high in the clustering scale, but the plain mean is below the cohort's (outliers pull the cohort's mean)
        PersonaModel m = model(new double[][]{{0, 0, 0, 1.5, 0, 0, 0, 0}});
        Map<String, Double> center = new LinkedHashMap<>(m.centers().get(0));
        center.put("orders_total_value", 8.0);
        List<Map<String, Double>> centers = new ArrayList<>(m.centers());
        centers.set(0, center);
        PersonaModel contradicted = new PersonaModel(m.features(), m.scalings(), m.k(), m.centroids(), centers,
                m.memberCounts(), 0, m.choice(), m.mixture());
        assertEquals(List.of("Mainstream Buyers"), names(contradicted),
                "a persona whose mean spend is below the cohort's is not called High-Value");
    }

    @Test
    void productsThatAreCodesOrPlaceholdersDoNotNamePersonas() {
        assertFalse(PersonaNamer.readsAsName("22423"), "a stock code");
        assertFalse(PersonaNamer.readsAsName("85123A"), "a stock code with a letter");
        assertFalse(PersonaNamer.readsAsName("other"));
        assertFalse(PersonaNamer.readsAsName("POSTAGE"), "a charge, not a product");
        assertTrue(PersonaNamer.readsAsName("Garden"));
        assertTrue(PersonaNamer.readsAsName("WHITE HANGING HEART"));
        assertFalse(PersonaNamer.readsAsName("WHITE HANGING HEART T-LIGHT HOLDER"), "too long for a name");
    }

    @Test
    void readableNames() {
        assertEquals("Home Decor", TraitWords.readable("home_decor"));
        assertEquals("Garden", TraitWords.readable("GARDEN"));
        assertEquals("Mnt Wines", TraitWords.readable("MntWines"));
        assertEquals("Num Catalog Purchases", TraitWords.readable("NumCatalogPurchases"));
    }
}
