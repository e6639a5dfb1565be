package personae.core.persona;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The personas as a probability model of a person's traits, which decides who belongs to which persona. Fitted by
 * {@link #fit} (expectation-maximisation started from a k-means partition), stored in the {@link PersonaModel}, and
 * used by {@link PersonaModel#assign} so that a lead, a scope and the fit itself all place people the same way.
 *
 * <p>The model, per persona {@code c}: its share of people ({@code logWeights}); for every standardised feature in
 * {@code gaussian}, a normal distribution around the persona's mean with one variance per feature shared by all
 * personas (the within-persona spread, as k-means assumes it equal); and for each stream's products, a multinomial
 * over the products of the person's orders ({@code products}). A person's product evidence is their orders, not their
 * shares: {@code <stream>_product_share_<product>} times {@code <stream>_frequency}. One order of garden is weak
 * evidence of a garden persona and twenty orders are strong evidence, where k-means on shares sees the same 100% in
 * both (and the shrinkage of {@link PersonaClustering#SHARE_PRIOR_EVENTS} only blunts that). Each product's share in
 * a persona starts from {@value #PRODUCT_PRIOR} pseudo-orders, so a product no member bought is unlikely, not
 * impossible. Measured on the planted-groups grid in {@code docs/benchmarks.md}.
 *
 * <p>A person's persona is the one with the highest posterior: the largest {@link #scores score}, the lowest index
 * on a tie. Deterministic: sequential sums in row order, no random draws.
 *
 * @param gaussian   the feature columns modelled as normal, in feature order
 * @param variances  per {@code gaussian} column, the within-persona variance (standardised units)
 * @param means      per persona, per {@code gaussian} column, its mean: {@code k x gaussian.length}
 * @param logWeights per persona, the log of its share of people
 * @param products   per stream with products and a frequency, its product columns and per-persona log shares
 */
public record PersonaMixture(int[] gaussian, double[] variances, double[][] means, double[] logWeights,
                             List<Products> products) {

    /** Pseudo-orders of each product added to every persona's product counts before taking shares. */
    public static final double PRODUCT_PRIOR = 0.5;
    /** Most expectation-maximisation rounds. */
    static final int MAX_ROUNDS = 100;
    /** Rounds stop when the log-likelihood gains less than this fraction of itself. */
    static final double TOLERANCE = 1e-9;
    /** Smallest within-persona variance, in standardised units: a constant feature does not divide by zero. */
    static final double MIN_VARIANCE = 1e-3;

    /**
     * One stream's products.
     *
     * @param frequency the column of the stream's {@code _frequency} feature (its number of orders)
     * @param shares    the columns of its {@code _product_share_} features
     * @param logShares per persona, per product in {@code shares}, the log of its share of the persona's orders
     */
    public record Products(int frequency, int[] shares, double[][] logShares) {
        public Products {
            shares = shares.clone();
            logShares = PersonaModel.deepCopy(logShares);
        }

        @Override public int[] shares() { return shares.clone(); }
        @Override public double[][] logShares() { return PersonaModel.deepCopy(logShares); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Products p && frequency == p.frequency && Arrays.equals(shares, p.shares)
                    && Arrays.deepEquals(logShares, p.logShares);
        }

        @Override
        public int hashCode() {
            return Objects.hash(frequency, Arrays.hashCode(shares), Arrays.deepHashCode(logShares));
        }
    }

    public PersonaMixture {
        gaussian = gaussian.clone();
        variances = variances.clone();
        means = PersonaModel.deepCopy(means);
        logWeights = logWeights.clone();
        products = List.copyOf(products);
        int k = logWeights.length;
        if (k < 1) throw new IllegalArgumentException("a mixture needs at least one persona");
        if (variances.length != gaussian.length) throw new IllegalArgumentException(variances.length + " variances for " + gaussian.length + " columns");
        if (means.length != k) throw new IllegalArgumentException(means.length + " means for " + k + " personas");
        for (double[] m : means) if (m.length != gaussian.length) throw new IllegalArgumentException("a mean of " + m.length + " values for " + gaussian.length + " columns");
        for (Products p : products) if (p.logShares.length != k) throw new IllegalArgumentException(p.logShares.length + " product mixes for " + k + " personas");
    }

    @Override public int[] gaussian() { return gaussian.clone(); }
    @Override public double[] variances() { return variances.clone(); }
    @Override public double[][] means() { return PersonaModel.deepCopy(means); }
    @Override public double[] logWeights() { return logWeights.clone(); }

    /** Number of personas. */
    public int k() {
        return logWeights.length;
    }

    /** Which columns a mixture over {@code features} models how: products with their stream's frequency, the rest normal. */
    record Layout(int[] gaussian, List<int[]> productGroups, int[] frequencies) {
        static Layout of(List<Feature> features) {
            Map<Integer, List<Integer>> byFrequency = new LinkedHashMap<>();
            List<Integer> gaussian = new ArrayList<>();
            for (int f = 0; f < features.size(); f++) {
                int frequency = features.get(f).kind() == Feature.Kind.PRODUCT_SHARE
                        ? PersonaClustering.frequencyColumn(features, features.get(f)) : -1;
                if (frequency < 0) gaussian.add(f);
                else byFrequency.computeIfAbsent(frequency, x -> new ArrayList<>()).add(f);
            }
            List<int[]> groups = new ArrayList<>();
            int[] frequencies = new int[byFrequency.size()];
            int g = 0;
            for (Map.Entry<Integer, List<Integer>> e : byFrequency.entrySet()) {
                frequencies[g++] = e.getKey();
                groups.add(e.getValue().stream().mapToInt(Integer::intValue).toArray());
            }
            return new Layout(gaussian.stream().mapToInt(Integer::intValue).toArray(), groups, frequencies);
        }

        /** Number of product columns over all streams. */
        int productColumns() {
            int p = 0;
            for (int[] g : productGroups) p += g.length;
            return p;
        }

        /** One person's orders of each product (all streams, in group order) from their raw feature values. */
        void counts(double[] raw, double[] out) {
            int j = 0;
            for (int g = 0; g < productGroups.size(); g++) {
                double orders = raw[frequencies[g]];
                for (int f : productGroups.get(g)) {
                    out[j++] = PersonaMixture.orders(raw[f], orders);
                }
            }
        }

        /** Every row's product counts, row-major, from the table's raw columns. */
        double[][] counts(FeatureTable table) {
            int n = table.rows(), d = table.features().size();
            double[][] out = new double[n][productColumns()];
            double[] raw = new double[d];
            for (int r = 0; r < n; r++) {
                for (int f = 0; f < d; f++) raw[f] = table.columns()[f][r];
                counts(raw, out[r]);
            }
            return out;
        }
    }

    /**
     * Fits the mixture by expectation-maximisation from a partition: persona {@code c} of the result grows from the
     * start's label {@code c} (one that wins no row can be dropped with {@link #select}).
     *
     * @param z      standardised rows
     * @param counts the rows' product counts ({@link Layout#counts})
     * @param start  each row's label in 0..k-1, e.g. from k-means
     */
    static PersonaMixture fit(Layout layout, double[][] z, double[][] counts, int[] start, int k) {
        int n = z.length, g = layout.gaussian.length, p = layout.productColumns();
        double[][] resp = new double[n][k];
        for (int i = 0; i < n; i++) resp[i][start[i]] = 1;
        PersonaMixture mixture = null;
        double previous = Double.NEGATIVE_INFINITY;
        double[] score = new double[k];
        for (int round = 0; round < MAX_ROUNDS; round++) {
            mixture = maximise(layout, z, counts, resp, k, g, p);
            double constant = 0; // the normal densities' normalising term, the same for every persona
            for (double v : mixture.variances) constant -= 0.5 * Math.log(2 * Math.PI * v);
            double logLikelihood = 0;
            for (int i = 0; i < n; i++) {
                mixture.score(z[i], counts[i], null, score);
                double max = Double.NEGATIVE_INFINITY;
                for (double s : score) max = Math.max(max, s);
                double sum = 0;
                for (int c = 0; c < k; c++) { score[c] = Math.exp(score[c] - max); sum += score[c]; }
                for (int c = 0; c < k; c++) resp[i][c] = score[c] / sum;
                logLikelihood += max + Math.log(sum) + constant;
            }
            if (logLikelihood - previous <= TOLERANCE * Math.abs(logLikelihood)) break;
            previous = logLikelihood;
        }
        return mixture;
    }

    /** The parameters that best explain rows weighted by {@code resp}. */
    private static PersonaMixture maximise(Layout layout, double[][] z, double[][] counts, double[][] resp, int k, int g, int p) {
        int n = z.length;
        double[] weight = new double[k];
        double[][] means = new double[k][g];
        double[][] productSums = new double[k][p];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double r = resp[i][c];
                if (r == 0) continue;
                weight[c] += r;
                for (int j = 0; j < g; j++) means[c][j] += r * z[i][layout.gaussian[j]];
                for (int j = 0; j < p; j++) productSums[c][j] += r * counts[i][j];
            }
        }
        for (int c = 0; c < k; c++) for (int j = 0; j < g; j++) means[c][j] /= Math.max(weight[c], 1e-12);
        double[] variances = new double[g];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double r = resp[i][c];
                if (r == 0) continue;
                for (int j = 0; j < g; j++) {
                    double e = z[i][layout.gaussian[j]] - means[c][j];
                    variances[j] += r * e * e;
                }
            }
        }
        for (int j = 0; j < g; j++) variances[j] = Math.max(variances[j] / n, MIN_VARIANCE);
        double[] logWeights = new double[k];
        for (int c = 0; c < k; c++) logWeights[c] = Math.log(Math.max(weight[c] / n, 1e-12));
        List<Products> products = new ArrayList<>();
        int offset = 0;
        for (int s = 0; s < layout.productGroups.size(); s++) {
            int[] columns = layout.productGroups.get(s);
            double[][] logShares = new double[k][columns.length];
            for (int c = 0; c < k; c++) {
                double total = 0;
                for (int j = 0; j < columns.length; j++) total += productSums[c][offset + j] + PRODUCT_PRIOR;
                for (int j = 0; j < columns.length; j++) logShares[c][j] = Math.log((productSums[c][offset + j] + PRODUCT_PRIOR) / total);
            }
            products.add(new Products(layout.frequencies[s], columns, logShares));
            offset += columns.length;
        }
        return new PersonaMixture(layout.gaussian, variances, means, logWeights, products);
    }

    /**
     * Each persona's score for a person (a log posterior up to one constant; higher is likelier), leaving out the
     * features marked in {@code skip} (a product share's skip leaves out its orders of that product).
     *
     * @param raw  the person's raw feature values (for product orders)
     * @param z    the same values standardised
     * @param skip per feature, whether to leave it out; {@code null} for none
     */
    public void scores(double[] raw, double[] z, boolean[] skip, double[] out) {
        double[] counts = new double[productColumns()];
        int at = 0;
        for (Products pr : products) for (int f : pr.shares) counts[at++] = orders(raw[f], raw[pr.frequency]);
        score(z, counts, skip, out);
    }

    /** A person's orders of one product: its share of their purchase lines times their orders (0 when either is missing). */
    static double orders(double share, double orders) {
        return share > 0 && orders > 0 ? share * orders : 0;
    }

    private int productColumns() {
        int p = 0;
        for (Products pr : products) p += pr.shares.length;
        return p;
    }

    /** {@link #scores} from standardised values and product counts, in {@link Layout#counts} order. */
    private void score(double[] z, double[] counts, boolean[] skip, double[] out) {
        for (int c = 0; c < logWeights.length; c++) {
            double s = logWeights[c];
            double[] m = means[c];
            for (int j = 0; j < gaussian.length; j++) {
                if (skip != null && skip[gaussian[j]]) continue;
                double e = z[gaussian[j]] - m[j];
                s -= 0.5 * e * e / variances[j];
            }
            int at = 0;
            for (Products pr : products) {
                double[] logShares = pr.logShares[c];
                for (int j = 0; j < logShares.length; j++, at++) {
                    if (counts[at] != 0 && (skip == null || !skip[pr.shares[j]])) s += counts[at] * logShares[j];
                }
            }
            out[c] = s;
        }
    }

    /** Persona {@code c}'s score term for one normal feature's standardised value (0 when it is not one). */
    public double featureScore(int c, int feature, double z) {
        for (int j = 0; j < gaussian.length; j++) {
            if (gaussian[j] == feature) {
                double e = z - means[c][j];
                return -0.5 * e * e / variances[j];
            }
        }
        return 0;
    }

    /** The index of the largest score, the lowest on a tie. */
    static int best(double[] scores) {
        int best = 0;
        for (int c = 1; c < scores.length; c++) if (scores[c] > scores[best]) best = c;
        return best;
    }

    /** The persona of every row: its highest score. */
    int[] labels(double[][] z, double[][] counts) {
        double[] score = new double[k()];
        int[] out = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            score(z[i], counts[i], null, score);
            out[i] = best(score);
        }
        return out;
    }

    /** The mixture of the personas {@code order[0], order[1], ...} of this one, in that order. */
    PersonaMixture select(int[] order) {
        double[][] m = new double[order.length][];
        double[] w = new double[order.length];
        for (int r = 0; r < order.length; r++) { m[r] = means[order[r]]; w[r] = logWeights[order[r]]; }
        List<Products> ps = new ArrayList<>();
        for (Products pr : products) {
            double[][] l = new double[order.length][];
            for (int r = 0; r < order.length; r++) l[r] = pr.logShares[order[r]];
            ps.add(new Products(pr.frequency, pr.shares, l));
        }
        return new PersonaMixture(gaussian, variances, m, w, ps);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PersonaMixture m && Arrays.equals(gaussian, m.gaussian) && Arrays.equals(variances, m.variances)
                && Arrays.deepEquals(means, m.means) && Arrays.equals(logWeights, m.logWeights) && products.equals(m.products);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(gaussian), Arrays.hashCode(variances), Arrays.deepHashCode(means),
                Arrays.hashCode(logWeights), products);
    }

    @Override
    public String toString() {
        return "PersonaMixture[k=" + k() + ", gaussian=" + Arrays.toString(gaussian) + ", products=" + products.size() + "]";
    }
}
