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
        return new PersonaMixture(new int[] {0}, new double[] {1}, new double[][] {{0}, {0}},
                new double[] {Math.log(0.9), Math.log(0.1)},
                List.of(new PersonaMixture.Products(0, new int[] {1, 2},
                        new double[][] {{Math.log(0.2), Math.log(0.8)}, {Math.log(0.8), Math.log(0.2)}})));
    }

    @Test
    void aPersonsOrdersOfAProductAreEvidenceInProportionToTheirNumber() {
        PersonaMixture mixture = toysAndGarden();
        double[] scores = new double[2];
        mixture.scores(new double[] {1, 1.0, 0.0}, new double[3], null, scores);
        assertEquals(0, PersonaMixture.best(scores),
                "one garden order is weak evidence: the far larger toys persona stays likelier " + java.util.Arrays.toString(scores));
        mixture.scores(new double[] {20, 1.0, 0.0}, new double[3], null, scores);
        assertEquals(1, PersonaMixture.best(scores),
                "twenty garden orders outweigh the toys persona's size " + java.util.Arrays.toString(scores));
        mixture.scores(new double[] {Double.NaN, 1.0, 0.0}, new double[3], null, scores);
        assertEquals(0, PersonaMixture.best(scores), "a lead without orders is placed by the other traits and the sizes");
    }

    @Test
    void leavingOutAFeatureAndAddingItBackGivesTheWholeScore() {
        PersonaMixture mixture = toysAndGarden();
        double[] raw = {3, 0.5, 0.5}, z = {0.7, 0, 0};
        double[] whole = new double[2], part = new double[2];
        mixture.scores(raw, z, null, whole);
        mixture.scores(raw, z, new boolean[] {true, false, false}, part);
        for (int c = 0; c < 2; c++) {
            assertEquals(whole[c], part[c] + mixture.featureScore(c, 0, z[0]), 1e-12,
                    "a score is a sum of per-feature terms, so the persona flow can recompute recency alone");
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
    void aMixtureMustHaveOneProductMixPerPersona() {
        assertThrows(IllegalArgumentException.class, () -> new PersonaMixture(new int[] {0}, new double[] {1},
                new double[][] {{0}, {0}}, new double[] {0, 0},
                List.of(new PersonaMixture.Products(0, new int[] {1}, new double[][] {{0}}))),
                "two personas, one product mix: a corrupt model is refused, not half-read");
    }
}
