package personae.core.persona;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PersonaMixtureTest {

    static final Feature FREQUENCY = new Feature("orders_frequency", Feature.Kind.FREQUENCY, "orders");
    static final Feature GARDEN = new Feature("orders_product_share_garden", Feature.Kind.PRODUCT_SHARE, "garden");
    static final Feature TOYS = new Feature("orders_product_share_toys", Feature.Kind.PRODUCT_SHARE, "toys");

    /** Two personas alike in everything but products: a large toys one (90% of people) and a small garden one. */
    static PersonaMixture toysAndGarden() {
        return new PersonaMixture(new int[] {0}, new double[][] {{1}}, new double[][] {{0}, {0}},
                new double[] {Math.log(0.9), Math.log(0.1)},
                List.of(new PersonaMixture.Products(0, new int[] {1, 2},
                        new double[][] {{Math.log(0.2), Math.log(0.8)}, {Math.log(0.8), Math.log(0.2)}})));
    }

    @Test
    void aPersonsOrdersOfAProductAreEvidenceInProportionToTheirNumber() {
        PersonaMixture mixture = toysAndGarden();
        double[] scores = new double[2];
        mixture.scores(new double[] {1, 1.0, 0.0}, new double[3], scores);
        assertEquals(0, PersonaMixture.best(scores),
                "one garden order is weak evidence: the far larger toys persona stays likelier " + java.util.Arrays.toString(scores));
        mixture.scores(new double[] {20, 1.0, 0.0}, new double[3], scores);
        assertEquals(1, PersonaMixture.best(scores),
                "twenty garden orders outweigh the toys persona's size " + java.util.Arrays.toString(scores));
        mixture.scores(new double[] {Double.NaN, 1.0, 0.0}, new double[3], scores);
        assertEquals(0, PersonaMixture.best(scores), "a lead without orders is placed by the other traits and the sizes");
    }

    /** Two personas with correlated traits 0 and 1 (correlation 0.8 inside each), apart on trait 0 only. */
    static PersonaMixture correlated() {
        double[][] lower = {{1, 0}, {0.8, 1}};
        return new PersonaMixture(new int[] {0, 1}, PersonaMixture.cholesky(lower), new double[][] {{-1, -0.8}, {1, 0.8}},
                new double[] {Math.log(0.5), Math.log(0.5)}, List.of());
    }

    @Test
    void theSharedCovarianceReadsTraitsThatMoveTogetherAsOnePersonasSpread() {
        PersonaMixture mixture = correlated();
        double[] scores = new double[2];
        // trait 0 a little toward persona 1, trait 1 far toward persona 0: alone, trait 1 says persona 0, but inside a
        // persona trait 1 follows trait 0, so what it adds beyond trait 0 is small
        mixture.scores(new double[2], new double[] {0.3, -0.5}, scores);
        assertEquals(1, PersonaMixture.best(scores), "trait 1's pull is mostly trait 0's, already counted " + java.util.Arrays.toString(scores));
        PersonaMixture diagonal = new PersonaMixture(new int[] {0, 1}, new double[][] {{1, 0}, {0, 1}},
                new double[][] {{-1, -0.8}, {1, 0.8}}, new double[] {Math.log(0.5), Math.log(0.5)}, List.of());
        diagonal.scores(new double[2], new double[] {0.3, -0.5}, scores);
        assertEquals(0, PersonaMixture.best(scores), "a diagonal covariance counts the same evidence twice");
    }

    @Test
    void scoresAreLinearInTheVaryingFeaturesSoThePersonaFlowCanRescoreRecencyAlone() {
        PersonaMixture mixture = correlated();
        double[] raw = {0, 0}, fixed = new double[2], whole = new double[2];
        double[][] slopes = new double[2][1];
        mixture.linearScores(raw, new double[] {0.4, 123}, new int[] {1}, fixed, slopes);
        for (double t : new double[] {-2, -0.5, 0, 0.7, 3}) {
            mixture.scores(raw, new double[] {0.4, t}, whole);
            double viaLinear = (fixed[1] + slopes[1][0] * t) - (fixed[0] + slopes[0][0] * t);
            assertEquals(whole[1] - whole[0], viaLinear, 1e-9,
                    "at t=" + t + ": fixed part plus slope times the varying value ranks the personas as the whole score");
        }
        PlantedCohort cohort = PlantedCohort.generate(600, 3, 0.0);
        PersonaModel model = PersonaClustering.fit(cohort.table(), 3, 5);
        PersonaModel centroids = new PersonaModel(model.features(), model.scalings(), model.k(), model.centroids(),
                model.centers(), model.memberCounts(), model.seed(), model.choice(), null);
        double[] z = new double[model.features().size()];
        for (PersonaModel m : List.of(model, centroids)) {
            for (int r = 0; r < 50; r++) {
                double[] row = cohort.table().row(r);
                m.standardise(row, z);
                double[] f = new double[m.k()], w = new double[m.k()];
                double[][] sl = new double[m.k()][1];
                m.linearScores(row, z, new int[] {0}, f, sl);
                m.scores(row, z, w);
                for (int c = 1; c < m.k(); c++) {
                    assertEquals(w[c] - w[0], (f[c] + sl[c][0] * z[0]) - (f[0] + sl[0][0] * z[0]), 1e-6,
                            "row " + r + ", " + (m.mixture() == null ? "centroid" : "mixture") + " model: the split agrees with the whole score");
                }
            }
        }
    }

    @Test
    void theFitPlacesEachPersonWhereTheStoredModelPlacesThem() {
        PlantedCohort cohort = PlantedCohort.generate(1500, 8, 0.02);
        PersonaModel model = PersonaClustering.fit(cohort.table(), 4, 3);
        assertNotNull(model.mixture(), "a fit of several personas carries its mixture");
        int[] all = model.assignAll(cohort.table());
        int[] tally = new int[model.k()];
        for (int r = 0; r < all.length; r++) {
            tally[all[r]]++;
            assertEquals(all[r], model.assign(cohort.table().row(r)), "row " + r + ": one person, one persona, however asked");
        }
        assertEquals(model.memberCounts(), java.util.Arrays.stream(tally).boxed().toList(),
                "the persona sizes the fit reports are the sizes the model assigns");
    }

    @Test
    void aModelStoredBeforeMixturesPlacesPeopleAtTheNearestCentroid() throws Exception {
        PlantedCohort cohort = PlantedCohort.generate(800, 4, 0.0);
        PersonaModel model = PersonaClustering.fit(cohort.table(), 3, 5);
        ObjectMapper json = new ObjectMapper();
        ObjectNode stored = json.valueToTree(model);
        stored.remove("mixture");
        PersonaModel old = json.treeToValue(stored, PersonaModel.class);
        assertNull(old.mixture());
        double[] z = new double[model.features().size()];
        for (int r = 0; r < cohort.table().rows(); r++) {
            double[] raw = cohort.table().row(r);
            old.standardise(raw, z);
            int nearest = 0;
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < old.k(); c++) {
                double s = 0;
                for (int f = 0; f < z.length; f++) s += (z[f] - old.centroid(c, f)) * (z[f] - old.centroid(c, f));
                if (s < best) { best = s; nearest = c; }
            }
            assertEquals(nearest, old.assign(raw), "row " + r + ": without a mixture, the nearest centroid");
        }
    }

    @Test
    void aMixtureStoredWithOneVariancePerTraitLoadsAsThatDiagonalCovariance() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode stored = json.valueToTree(toysAndGarden());
        stored.remove("covarianceFactor");
        stored.putArray("variances").add(4.0);
        PersonaMixture old = json.treeToValue(stored, PersonaMixture.class);
        assertArrayEquals(new double[] {2.0}, old.covarianceFactor()[0], "variance 4: a factor of 2");
        assertEquals(toysAndGarden().k(), old.k());
        assertEquals(toysAndGarden().products(), old.products(), "the rest of the stored mixture as it was");
        assertEquals(toysAndGarden(), json.treeToValue(json.valueToTree(toysAndGarden()), PersonaMixture.class),
                "a mixture stored today reads back equal");
    }

    @Test
    void aMixtureMustHaveOneProductMixPerPersona() {
        assertThrows(IllegalArgumentException.class, () -> new PersonaMixture(new int[] {0}, new double[][] {{1}},
                new double[][] {{0}, {0}}, new double[] {0, 0},
                List.of(new PersonaMixture.Products(0, new int[] {1}, new double[][] {{0}}))),
                "two personas, one product mix: a corrupt model is refused, not half-read");
    }
}
