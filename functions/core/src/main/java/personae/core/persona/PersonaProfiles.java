package personae.core.persona;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What a marketer reads about each persona, every figure a real value of its members (no smoothing, no z-score):
 * its share of the cohort, its share of the cohort's revenue, orders per person, average order value, the share of
 * its spend that was returned, its top products with their shares of its spend, and its distinctive traits (most
 * distinctive first) as its value against the cohort's in words. Pure: computed from the members' traits, their personas and the
 * products' spend ({@link ProductSpend}).
 */
public final class PersonaProfiles {

    /** Products listed per persona. */
    public static final int TOP_PRODUCTS = 5;
    /**
     * A trait is distinctive when the persona's centre is at least this far from the cohort's (in the clustering
     * scale, where a trait's spread across the cohort is about 1).
     */
    public static final double DISTINCTIVE_Z = 0.5;

    /** A product and the share (0..1) of the persona's spend on it. */
    public record ProductShare(String product, double share) {}

    /**
     * A trait on which the persona stands out.
     *
     * @param trait   the trait's machine name (as in {@code details.center})
     * @param name    its human name
     * @param persona the persona's mean
     * @param cohort  the cohort's mean
     * @param higher  whether the persona is above the cohort on it
     * @param says    the comparison in words
     */
    public record Distinctive(String trait, String name, double persona, double cohort, boolean higher, String says) {}

    /**
     * One persona's profile; the money and order figures are {@code null} when the cohort's stream has no value or
     * no dates.
     *
     * @param spendBasis {@code "value"} when spend is money, {@code "purchases"} when it counts purchases (no value)
     */
    public record Profile(double shareOfCohort, Double revenueShare, Double ordersPerPerson, Double averageOrderValue,
                          Double returnedShareOfSpend, String spendBasis, List<ProductShare> topProducts,
                          List<Distinctive> distinctiveTraits) {
        public Profile {
            topProducts = List.copyOf(topProducts);
            distinctiveTraits = List.copyOf(distinctiveTraits);
        }
    }

    /**
     * The behavioural traits of the cohort's stream that the figures are read from; any may be missing (-1).
     */
    public record StreamColumns(int frequency, int totalValue, int averageValue, int tenureDays) {
        /** The columns of {@code stream}'s traits in {@code table}. */
        public static StreamColumns of(FeatureTable table, String stream) {
            return new StreamColumns(index(table, stream, Feature.Kind.FREQUENCY), index(table, stream, Feature.Kind.TOTAL_VALUE),
                    index(table, stream, Feature.Kind.AVERAGE_VALUE), index(table, stream, Feature.Kind.TENURE_DAYS));
        }

        private static int index(FeatureTable t, String stream, Feature.Kind kind) {
            for (int f = 0; f < t.features().size(); f++) {
                Feature x = t.features().get(f);
                if (x.kind() == kind && x.label().equals(stream)) return f;
            }
            return -1;
        }
    }

    private PersonaProfiles() {}

    /**
     * @param model    the fitted personas
     * @param table    the clustering table the model was fitted on (for the cohort's means of each trait)
     * @param stream   the cohort's stream's traits, one row per person in the same order as {@code table}
     * @param persona  each row's persona
     * @param products the personas' spend per product
     */
    public static List<Profile> of(PersonaModel model, FeatureTable table, FeatureTable stream, StreamColumns columns,
                                   int[] persona, ProductSpend products) {
        int k = model.k();
        int n = persona.length;
        long[] members = new long[k];
        for (int p : persona) members[p]++;
        double[] revenue = new double[k], orders = new double[k], purchased = new double[k], valuedOrders = new double[k];
        double[] gaps = new double[k], repeatOrders = new double[k];
        boolean hasValue = columns.totalValue() >= 0, hasOrders = columns.frequency() >= 0;
        double[][] c = stream.columns();
        double cohortGaps = 0, cohortRepeat = 0;
        for (int i = 0; i < n; i++) {
            int p = persona[i];
            double freq = hasOrders ? orZero(c[columns.frequency()][i]) : 0;
            orders[p] += freq;
            if (hasValue) revenue[p] += orZero(c[columns.totalValue()][i]);
            if (columns.averageValue() >= 0 && Double.isFinite(c[columns.averageValue()][i]) && freq > 0) {
                purchased[p] += c[columns.averageValue()][i] * freq;
                valuedOrders[p] += freq;
            }
            if (columns.tenureDays() >= 0 && freq >= 2 && Double.isFinite(c[columns.tenureDays()][i])) {
                gaps[p] += c[columns.tenureDays()][i];
                repeatOrders[p] += freq - 1;
            }
        }
        double totalRevenue = 0;
        for (int p = 0; p < k; p++) {
            totalRevenue += revenue[p];
            cohortGaps += gaps[p];
            cohortRepeat += repeatOrders[p];
        }
        double[] cohortMeans = means(table);
        double cohortInterval = cohortRepeat > 0 ? cohortGaps / cohortRepeat : Double.NaN;

        List<Profile> out = new ArrayList<>(k);
        for (int p = 0; p < k; p++) {
            Double revenueShare = hasValue && totalRevenue > 0 ? revenue[p] / totalRevenue : null;
            Double perPerson = hasOrders && members[p] > 0 ? orders[p] / members[p] : null;
            Double aov = valuedOrders[p] > 0 ? purchased[p] / valuedOrders[p] : null;
            Double returned = purchased[p] > 0 && hasValue ? Math.max(0, (purchased[p] - revenue[p]) / purchased[p]) : null;
            double[] interval = repeatOrders[p] > 0 && cohortRepeat > 0
                    ? new double[]{gaps[p] / repeatOrders[p], cohortInterval} : null;
            out.add(new Profile(n == 0 ? 0 : (double) members[p] / n, revenueShare, perPerson, aov, returned,
                    products.valued() ? "value" : "purchases", top(products, p), distinctive(model, p, cohortMeans, interval)));
        }
        return List.copyOf(out);
    }

    /**
     * The persona's traits furthest from the cohort, most distinctive first: those whose centre is at least
     * {@link #DISTINCTIVE_Z} from the cohort's centre in the clustering scale (where a trait's spread across the
     * cohort is about 1), and whose plain means differ in the same direction. The clustering scale is robust to
     * outliers and the words compare plain means: when the two disagree (a few extreme values pull the cohort's
     * mean), the trait is not called distinctive, so a name or a sentence never contradicts the numbers shown. Of a
     * category trait, only values the persona holds more often than the cohort are listed.
     *
     * @param cohortMeans each feature's mean over the cohort (raw)
     * @param interval    the persona's and the cohort's days between repeat orders, or {@code null}
     */
    public static List<Distinctive> distinctive(PersonaModel model, int p, double[] cohortMeans, double[] interval) {
        List<Feature> features = model.features();
        double[] cohortZ = new double[features.size()];
        long people = model.people();
        for (int q = 0; q < model.k(); q++) {
            for (int f = 0; f < cohortZ.length; f++) cohortZ[f] += model.centroid(q, f) * model.memberCounts().get(q) / people;
        }
        List<Integer> order = new ArrayList<>();
        for (int f = 0; f < features.size(); f++) order.add(f);
        order.sort(Comparator.comparingDouble((Integer f) -> -Math.abs(model.centroid(p, f) - cohortZ[f])).thenComparingInt(f -> f));
        List<Distinctive> out = new ArrayList<>();
        for (int f : order) {
            double z = model.centroid(p, f) - cohortZ[f];
            if (Math.abs(z) < DISTINCTIVE_Z) break;
            Feature feature = features.get(f);
            Double mean = model.centers().get(p).get(feature.name());
            double cohort = cohortMeans[f];
            if (mean == null || !Double.isFinite(cohort) || mean == cohort || (mean > cohort) != (z > 0)) continue;
            // a category value the persona holds less often says little; the value it holds more often says it
            if (feature.kind() == Feature.Kind.CATEGORY && z < 0) continue;
            out.add(new Distinctive(feature.name(), TraitWords.name(feature), mean, cohort, mean > cohort,
                    TraitWords.compare(feature, mean, cohort, feature.kind() == Feature.Kind.FREQUENCY ? interval : null)));
        }
        return out;
    }

    private static List<ProductShare> top(ProductSpend products, int p) {
        double total = products.total(p);
        if (!(total > 0)) return List.of();
        return products.byProduct().entrySet().stream().filter(e -> e.getValue()[p] > 0)
                .sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[p])
                        .thenComparing(Map.Entry::getKey))
                .limit(TOP_PRODUCTS).map(e -> new ProductShare(e.getKey(), e.getValue()[p] / total)).toList();
    }

    /** Each column's mean over the rows that have a value. */
    public static double[] means(FeatureTable t) {
        double[] out = new double[t.features().size()];
        for (int f = 0; f < out.length; f++) {
            double sum = 0;
            long count = 0;
            for (double v : t.columns()[f]) if (Double.isFinite(v)) { sum += v; count++; }
            out[f] = count == 0 ? Double.NaN : sum / count;
        }
        return out;
    }

    private static double orZero(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}
