package personae.core.persona;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class FeatureScalingTest {

    static double[] incomes(int n, int outliers) {
        SplittableRandom r = new SplittableRandom(3);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = 40_000 + 20_000 * r.nextDouble();
        for (int i = 0; i < outliers; i++) x[i * 97] = 666_666;
        return x;
    }

    @Test
    void anIncomeOf666666SitsAtTheEdgeOfTheCrowdNotFarBeyondIt() {
        FeatureScaling robust = FeatureScaling.fit(Feature.Kind.USER_DEFINED, incomes(2000, 5));
        FeatureScaling clean = FeatureScaling.fit(Feature.Kind.USER_DEFINED, incomes(2000, 0));
        assertTrue(robust.apply(666_666) < 2, "the sentinel is clamped to the 99th percentile: z=" + robust.apply(666_666));
        assertEquals(clean.apply(45_000), robust.apply(45_000), 0.05, "five outliers barely move the bulk's coordinates");
        assertEquals(robust.apply(robust.high()), robust.apply(1e12), "above the 99th percentile everything is the edge");
    }

    @Test
    void aBirthYearOf1893IsClampedFromBelow() {
        double[] years = new double[1000];
        for (int i = 0; i < years.length; i++) years[i] = 1950 + i % 50;
        years[10] = 1893;
        years[20] = 1893;
        FeatureScaling s = FeatureScaling.fit(Feature.Kind.USER_DEFINED, years);
        assertEquals(s.apply(s.low()), s.apply(1893));
        assertTrue(s.apply(1893) > -2, "1893 is not far beyond the crowd: z=" + s.apply(1893));
    }

    @Test
    void sharesAndIndicatorsAreNotWinsorised() {
        assertFalse(FeatureScaling.isWinsorised(Feature.Kind.PRODUCT_SHARE));
        assertFalse(FeatureScaling.isWinsorised(Feature.Kind.CATEGORY));
        double[] rare = new double[1000];
        rare[3] = 1; // one buyer in a thousand: clamping at the 99th percentile would erase them
        FeatureScaling s = FeatureScaling.fit(Feature.Kind.CATEGORY, rare);
        assertTrue(s.apply(1) > s.apply(0));
    }

    @Test
    void aProductShareIsShrunkByThePersonsOwnEventCount() {
        FeatureScaling s = new FeatureScaling(false, 0.25, 0.1, 0, 0, "orders_frequency", 0.25, 2);
        // one order of the product: (1 + 2 * 0.25) / 3 = 0.5; twenty orders all of it: (20 + 0.5) / 22
        assertEquals((0.5 - 0.25) / 0.1, s.apply(1, 1), 1e-12);
        assertEquals(((20 + 0.5) / 22 - 0.25) / 0.1, s.apply(1, 20), 1e-12);
        assertEquals(0, s.apply(Double.NaN, 3), "missing stays the mean");
    }

    @Test
    void theModelAssignsAPersonExactlyAsTheFitDid() {
        List<Feature> features = List.of(new Feature("orders_frequency", Feature.Kind.FREQUENCY, "orders"),
                new Feature("orders_product_share_a", Feature.Kind.PRODUCT_SHARE, "a"),
                new Feature("orders_product_share_b", Feature.Kind.PRODUCT_SHARE, "b"),
                new Feature("income", Feature.Kind.USER_DEFINED, "income"));
        SplittableRandom r = new SplittableRandom(9);
        int n = 600;
        double[][] cols = new double[4][n];
        for (int i = 0; i < n; i++) {
            int orders = 1 + r.nextInt(i % 2 == 0 ? 2 : 15);
            int a = 0;
            for (int o = 0; o < orders; o++) if (r.nextDouble() < (i % 2 == 0 ? 0.8 : 0.2)) a++;
            cols[0][i] = orders;
            cols[1][i] = (double) a / orders;
            cols[2][i] = 1 - cols[1][i];
            cols[3][i] = i % 50 == 0 ? 666_666 : 50_000 + 1000 * r.nextDouble();
        }
        FeatureTable table = new FeatureTable(features, cols, n);
        PersonaModel model = PersonaClustering.fit(table, 2, 4);
        assertEquals("orders_frequency", model.scalings().get(1).countFeature(), "shares know their count column");
        assertNull(model.scalings().get(0).countFeature());
        int[] all = model.assignAll(table);
        List<Integer> one = new ArrayList<>();
        for (int i = 0; i < n; i++) one.add(model.assign(table.row(i)));
        for (int i = 0; i < n; i++) assertEquals(all[i], one.get(i), "row " + i + " is assigned the same one by one");
        assertEquals(model.scalings().get(1).scale(), model.scalings().get(2).scale(), "one composition, one scale");
    }

    @Test
    void indicatorsOfOneTextTraitShareOneScaleAndOtherTraitsKeepTheirs() {
        List<Feature> features = List.of(new Feature("tier=gold", Feature.Kind.CATEGORY, "gold"),
                new Feature("tier=silver", Feature.Kind.CATEGORY, "silver"),
                new Feature("region=north", Feature.Kind.CATEGORY, "north"));
        List<FeatureScaling> scalings = new ArrayList<>(List.of(new FeatureScaling(false, 0.1, 0.3),
                new FeatureScaling(false, 0.9, 0.4), new FeatureScaling(false, 0.5, 0.5)));
        PersonaClustering.poolProductShares(features, scalings);
        assertEquals(Math.sqrt((0.09 + 0.16) / 2), scalings.get(0).scale(), 1e-12);
        assertEquals(scalings.get(0).scale(), scalings.get(1).scale());
        assertEquals(0.5, scalings.get(2).scale(), "a composition of one keeps its own scale");
    }

    @Test
    void aModelStoredBeforeWinsorisingReadsWithoutClamping() throws Exception {
        FeatureScaling old = new ObjectMapper().readValue("{\"log1p\":false,\"mean\":10,\"scale\":2}", FeatureScaling.class);
        assertEquals((1000 - 10) / 2.0, old.apply(1000), "no bounds: no clamp");
        assertEquals(old.apply(7), old.apply(7, 1), "no shrinkage either");
    }
}
