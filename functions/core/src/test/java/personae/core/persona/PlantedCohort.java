package personae.core.persona;

import java.util.List;
import java.util.Random;

/**
 * A synthetic cohort with known personas, for tests: Gaussian blobs (in log space for the skewed traits) in the
 * behavioural features plus a few product shares. Reusable by other modules' tests through the test jar.
 *
 * @param table  the features, one row per person
 * @param truth  each row's planted group, 0..groups-1
 */
public record PlantedCohort(FeatureTable table, int[] truth) {

    /** The twelve features of the planted cohort. */
    public static final List<Feature> FEATURES = List.of(
            new Feature("orders_recency_days", Feature.Kind.RECENCY_DAYS, "orders"),
            new Feature("orders_frequency", Feature.Kind.FREQUENCY, "orders"),
            new Feature("orders_tenure_days", Feature.Kind.TENURE_DAYS, "orders"),
            new Feature("orders_total_value", Feature.Kind.TOTAL_VALUE, "orders"),
            new Feature("orders_average_value", Feature.Kind.AVERAGE_VALUE, "orders"),
            new Feature("orders_product_share_garden", Feature.Kind.PRODUCT_SHARE, "garden"),
            new Feature("orders_product_share_electronics", Feature.Kind.PRODUCT_SHARE, "electronics"),
            new Feature("orders_product_share_apparel", Feature.Kind.PRODUCT_SHARE, "apparel"),
            new Feature("orders_product_share_home", Feature.Kind.PRODUCT_SHARE, "home"),
            new Feature("orders_product_share_toys", Feature.Kind.PRODUCT_SHARE, "toys"),
            new Feature("orders_product_share_beauty", Feature.Kind.PRODUCT_SHARE, "beauty"),
            new Feature("age", Feature.Kind.USER_DEFINED, "age"));

    // per group: recency days, orders, tenure days, average order value (typical values), favourite product index
    private static final double[][] GROUPS = {
            {60, 3, 500, 260, 0},   // garden big spenders
            {7, 14, 400, 70, 1},    // frequent electronics buyers
            {600, 1.3, 20, 25, -1}, // lapsed one-timers, no favourite
            {20, 9, 1100, 60, 2},   // loyal apparel regulars
    };

    /**
     * Builds a cohort of {@code rows} people spread over the four planted groups.
     *
     * @param missingRate share of values set to NaN, to exercise imputation
     */
    public static PlantedCohort generate(int rows, long seed, double missingRate) {
        Random random = new Random(seed);
        int d = FEATURES.size();
        double[][] cols = new double[d][rows];
        int[] truth = new int[rows];
        for (int r = 0; r < rows; r++) {
            int g = r % GROUPS.length;
            truth[r] = g;
            double[] p = GROUPS[g];
            double recency = lognormal(random, p[0], 0.35);
            double frequency = Math.max(1, Math.round(lognormal(random, p[1], 0.25)));
            double tenure = lognormal(random, p[2], 0.3);
            double average = lognormal(random, p[3], 0.3);
            cols[0][r] = recency;
            cols[1][r] = frequency;
            cols[2][r] = tenure;
            cols[3][r] = frequency * average;
            cols[4][r] = average;
            double[] share = new double[6];
            double sum = 0;
            for (int s = 0; s < 6; s++) {
                share[s] = random.nextDouble() * 0.3 + (s == (int) p[4] ? 1.6 + random.nextGaussian() * 0.2 : 0);
                share[s] = Math.max(0, share[s]);
                sum += share[s];
            }
            for (int s = 0; s < 6; s++) cols[5 + s][r] = share[s] / sum;
            cols[11][r] = 20 + random.nextDouble() * 50;
            for (int f = 0; f < d; f++) if (random.nextDouble() < missingRate) cols[f][r] = Double.NaN;
        }
        return new PlantedCohort(new FeatureTable(FEATURES, cols, rows), truth);
    }

    private static double lognormal(Random random, double typical, double sigma) {
        return typical * Math.exp(sigma * random.nextGaussian());
    }
}
