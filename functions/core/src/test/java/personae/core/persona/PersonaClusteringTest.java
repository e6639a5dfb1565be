package personae.core.persona;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import smile.validation.metric.AdjustedRandIndex;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PersonaClusteringTest {

    @Test
    void automaticKRecoversPlantedGroups() {
        PlantedCohort cohort = PlantedCohort.generate(4000, 11, 0.0);
        PersonaModel model = PersonaClustering.fit(cohort.table(), null, 42);
        int[] assigned = model.assignAll(cohort.table());
        double ari = AdjustedRandIndex.of(cohort.truth(), assigned);
        assertTrue(ari >= 0.8, "adjusted Rand index " + ari + " with k=" + model.k() + " " + model.choice());
        assertEquals("silhouette", model.choice().method());
        assertEquals(List.of(2, 3, 4, 5, 6, 7, 8), List.copyOf(model.choice().silhouetteByK().keySet()));
    }

    @Test
    void automaticKRecoversPlantedGroupsWithMissingValuesAndLargeCohort() {
        // more rows than the silhouette sample, and 3% missing values
        PlantedCohort cohort = PlantedCohort.generate(20_000, 5, 0.03);
        PersonaModel model = PersonaClustering.fit(cohort.table(), null, 7);
        assertEquals(PersonaClustering.SILHOUETTE_SAMPLE, model.choice().sampleSize());
        double ari = AdjustedRandIndex.of(cohort.truth(), model.assignAll(cohort.table()));
        assertTrue(ari >= 0.8, "adjusted Rand index " + ari + " with k=" + model.k());
    }

    @Test
    void forcedNumberOfPersonasIsHonoured() {
        PlantedCohort cohort = PlantedCohort.generate(2000, 3, 0.0);
        for (int k : new int[]{1, 2, 6}) {
            PersonaModel model = PersonaClustering.fit(cohort.table(), k, 1);
            assertEquals(k, model.k());
            assertEquals("given", model.choice().method());
            assertEquals(2000, model.people());
            assertTrue(model.memberCounts().stream().allMatch(c -> c > 0), model.memberCounts().toString());
        }
    }

    @Test
    void sameSeedGivesSameModelAndAssignment() {
        PlantedCohort cohort = PlantedCohort.generate(30_000, 8, 0.01);
        PersonaModel first = PersonaClustering.fit(cohort.table(), null, 123);
        PersonaModel second = PersonaClustering.fit(cohort.table(), null, 123);
        assertEquals(first, second);
        assertArrayEquals(first.assignAll(cohort.table()), second.assignAll(cohort.table()));
        PersonaModel forced = PersonaClustering.fit(cohort.table(), 7, 99);
        assertEquals(forced, PersonaClustering.fit(cohort.table(), 7, 99));
    }

    @Test
    void personasAreOrderedBySizeAndCountsMatchAssignment() {
        PlantedCohort cohort = PlantedCohort.generate(3000, 21, 0.0);
        PersonaModel model = PersonaClustering.fit(cohort.table(), 5, 4);
        List<Integer> counts = model.memberCounts();
        for (int p = 1; p < counts.size(); p++) assertTrue(counts.get(p - 1) >= counts.get(p), counts.toString());
        int[] tally = new int[model.k()];
        for (int a : model.assignAll(cohort.table())) tally[a]++;
        assertEquals(counts, Arrays.stream(tally).boxed().toList());
    }

    @Test
    void centersAreRawSpaceMeansOfMembers() {
        PlantedCohort cohort = PlantedCohort.generate(1000, 2, 0.05);
        PersonaModel model = PersonaClustering.fit(cohort.table(), 3, 9);
        int[] assigned = model.assignAll(cohort.table());
        FeatureTable t = cohort.table();
        for (int p = 0; p < model.k(); p++) {
            for (int f = 0; f < t.features().size(); f++) {
                double sum = 0;
                int n = 0;
                for (int r = 0; r < t.rows(); r++) {
                    if (assigned[r] == p && !Double.isNaN(t.get(r, f))) { sum += t.get(r, f); n++; }
                }
                assertEquals(sum / n, model.centers().get(p).get(t.features().get(f).name()), 1e-9);
            }
        }
    }

    @Test
    void emptyTableAndBadNumbersAreRejected() {
        FeatureTable empty = new FeatureTable(PlantedCohort.FEATURES, new double[12][0], 0);
        var e = assertThrows(IllegalArgumentException.class, () -> PersonaClustering.fit(empty, null, 1));
        assertEquals("the cohort has no people to cluster", e.getMessage());
        FeatureTable table = PlantedCohort.generate(100, 1, 0).table();
        assertThrows(IllegalArgumentException.class, () -> PersonaClustering.fit(table, 0, 1));
        var tooMany = assertThrows(IllegalArgumentException.class, () -> PersonaClustering.fit(table, 51, 1));
        assertTrue(tooMany.getMessage().contains("between 1 and 50"), tooMany.getMessage());
    }

    @Test
    void tinyAndDegenerateCohorts() {
        List<Feature> features = PlantedCohort.FEATURES.subList(0, 2);
        FeatureTable one = new FeatureTable(features, new double[][]{{3}, {5}}, 1);
        PersonaModel m1 = PersonaClustering.fit(one, null, 1);
        assertEquals(1, m1.k());
        assertEquals(0, m1.assign(new double[]{100, Double.NaN}));

        // three distinct people, each repeated: k is capped at 3
        double[][] cols = new double[2][30];
        for (int r = 0; r < 30; r++) { cols[0][r] = r % 3 * 10; cols[1][r] = r % 3; }
        FeatureTable three = new FeatureTable(features, cols, 30);
        assertTrue(PersonaClustering.fit(three, null, 1).k() <= 3);
        PersonaModel forced = PersonaClustering.fit(three, 5, 1);
        assertEquals(3, forced.k());
        assertEquals(List.of(10, 10, 10), forced.memberCounts());

        // all identical, or all missing: one persona
        FeatureTable same = new FeatureTable(features, new double[][]{{1, 1, 1}, {Double.NaN, Double.NaN, Double.NaN}}, 3);
        assertEquals(1, PersonaClustering.fit(same, null, 1).k());
    }

    @Test
    void transformIsLog1pForSkewedKindsAndClampsNegatives() {
        FeatureScaling s = FeatureScaling.fit(Feature.Kind.TOTAL_VALUE, new double[]{-5, Math.E - 1, Double.NaN});
        // transformed: 0, 1, (missing) -> mean 0.5 over present values, sd over all three rows with imputation
        assertTrue(s.log1p());
        assertEquals(0.5, s.mean(), 1e-12);
        assertEquals(Math.sqrt(0.5 / 3), s.scale(), 1e-12);
        assertEquals(0, s.apply(Double.NaN));
        assertEquals(s.apply(0), s.apply(-100));
        FeatureScaling share = FeatureScaling.fit(Feature.Kind.PRODUCT_SHARE, new double[]{0.2, 0.2});
        assertFalse(share.log1p());
        assertEquals(1, share.scale()); // constant column: scale 1
    }

    @Test
    void jacksonRoundTripsTheModel() throws Exception {
        PlantedCohort cohort = PlantedCohort.generate(800, 4, 0.02);
        PersonaModel model = PersonaClustering.fit(cohort.table(), null, 5);
        ObjectMapper json = new ObjectMapper();
        String text = json.writerWithDefaultPrettyPrinter().writeValueAsString(model);
        PersonaModel back = json.readValue(text, PersonaModel.class);
        assertEquals(model, back);
        assertEquals(text, json.writerWithDefaultPrettyPrinter().writeValueAsString(back));
        assertArrayEquals(model.assignAll(cohort.table()), back.assignAll(cohort.table()));
        assertFalse(text.contains("NaN"));
    }

    @Test
    void modelIsImmutable() {
        PersonaModel model = PersonaClustering.fit(PlantedCohort.generate(200, 1, 0).table(), 2, 1);
        double before = model.centroid(0, 0);
        model.centroids()[0][0] = 1e9;
        assertEquals(before, model.centroid(0, 0));
        assertThrows(UnsupportedOperationException.class, () -> model.centers().get(0).put("x", 1.0));
    }
}
