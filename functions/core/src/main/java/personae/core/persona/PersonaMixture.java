package personae.core.persona;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

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
 * <p>The model, per persona {@code c}: its share of people ({@code logWeights}); for the standardised features in
 * {@code gaussian}, a multivariate normal distribution around the persona's mean with one covariance shared by all
 * personas (the within-persona spread and how traits move together inside a persona: a persona's total spend rises
 * with its members' orders and their order size, and a diagonal covariance would read that correlation as a reason
 * to split the persona); and for each stream's products, a multinomial over the products of the person's orders
 * ({@code products}). A person's product evidence is their orders, not their
 * shares: {@code <stream>_product_share_<product>} times {@code <stream>_frequency}. One order of garden is weak
 * evidence of a garden persona and twenty orders are strong evidence, where k-means on shares sees the same 100% in
 * both (and the shrinkage of {@link PersonaClustering#SHARE_PRIOR_EVENTS} only blunts that). Each product's share in
 * a persona starts from {@value #PRODUCT_PRIOR} pseudo-orders, so a product no member bought is unlikely, not
 * impossible. Measured on the planted-groups grid in {@code docs/benchmarks.md}.
 *
 * <p>A person's persona is the one with the highest posterior: the largest {@link #scores score}, the lowest index
 * on a tie. Deterministic: sequential sums in row order, no random draws.
 *
 * @param gaussian         the feature columns modelled as normal, in feature order
 * @param covarianceFactor the shared within-persona covariance of the {@code gaussian} columns (standardised units),
 *                         as its lower-triangular Cholesky factor {@code L} ({@code L L^T} is the covariance);
 *                         {@code gaussian.length} rows of {@code gaussian.length} values
 * @param means            per persona, per {@code gaussian} column, its mean: {@code k x gaussian.length}
 * @param logWeights       per persona, the log of its share of people
 * @param products         per stream with products and a frequency, its product columns and per-persona log shares
 */
public record PersonaMixture(int[] gaussian, double[][] covarianceFactor, double[][] means, double[] logWeights,
                             List<Products> products) {

    /** Pseudo-orders of each product added to every persona's product counts before taking shares. */
    public static final double PRODUCT_PRIOR = 0.5;
    /** Most expectation-maximisation rounds. */
    static final int MAX_ROUNDS = 100;
    /** Rounds stop when the log-likelihood gains less than this fraction of itself. */
    static final double TOLERANCE = 1e-9;
    /**
     * Added to the covariance's diagonal, in standardised units: a constant feature, or one that others determine
     * (a total spend that is orders times order size), does not make the covariance singular.
     */
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
        covarianceFactor = PersonaModel.deepCopy(covarianceFactor);
        means = PersonaModel.deepCopy(means);
        logWeights = logWeights.clone();
        products = List.copyOf(products);
        int k = logWeights.length, g = gaussian.length;
        if (k < 1) throw new IllegalArgumentException("a mixture needs at least one persona");
        if (covarianceFactor.length != g) throw new IllegalArgumentException("a covariance of " + covarianceFactor.length + " rows for " + g + " columns");
        for (int a = 0; a < g; a++) {
            if (covarianceFactor[a].length != g) throw new IllegalArgumentException("a covariance row of " + covarianceFactor[a].length + " values for " + g + " columns");
            if (!(covarianceFactor[a][a] > 0)) throw new IllegalArgumentException("the covariance factor's diagonal must be positive, row " + a);
        }
        if (means.length != k) throw new IllegalArgumentException(means.length + " means for " + k + " personas");
        for (double[] m : means) if (m.length != g) throw new IllegalArgumentException("a mean of " + m.length + " values for " + g + " columns");
        for (Products p : products) if (p.logShares.length != k) throw new IllegalArgumentException(p.logShares.length + " product mixes for " + k + " personas");
    }

    /**
     * The mixture as stored in a model's JSON. A mixture stored before the covariance was shared in full (its
     * {@code variances} only, one per normal column) loads as that diagonal covariance and places people as before.
     */
    @JsonCreator
    static PersonaMixture stored(@JsonProperty("gaussian") int[] gaussian,
                                 @JsonProperty("covarianceFactor") double[][] covarianceFactor,
                                 @JsonProperty("variances") double[] variances,
                                 @JsonProperty("means") double[][] means, @JsonProperty("logWeights") double[] logWeights,
                                 @JsonProperty("products") List<Products> products) {
        if (covarianceFactor == null && variances != null) {
            covarianceFactor = new double[variances.length][variances.length];
            for (int a = 0; a < variances.length; a++) covarianceFactor[a][a] = Math.sqrt(variances[a]);
        }
        if (gaussian == null || covarianceFactor == null || means == null || logWeights == null || products == null) {
            throw new IllegalArgumentException("a stored mixture lacks one of gaussian, covarianceFactor, means, logWeights, products");
        }
        return new PersonaMixture(gaussian, covarianceFactor, means, logWeights, products);
    }

    @Override public int[] gaussian() { return gaussian.clone(); }
    @Override public double[][] covarianceFactor() { return PersonaModel.deepCopy(covarianceFactor); }
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
        // the rows' scatter about zero, once: the pooled within-persona scatter is it minus the personas' own
        double[][] scatter = new double[g][g]; // lower triangle
        double[] zg = new double[g];
        for (double[] row : z) {
            for (int j = 0; j < g; j++) zg[j] = row[layout.gaussian[j]];
            for (int a = 0; a < g; a++) for (int b = 0; b <= a; b++) scatter[a][b] += zg[a] * zg[b];
        }
        PersonaMixture mixture = null;
        double previous = Double.NEGATIVE_INFINITY;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            mixture = maximise(layout, z, counts, resp, scatter, k, g, p);
            double logLikelihood = mixture.new Scorer().expect(z, counts, resp);
            if (logLikelihood - previous <= TOLERANCE * Math.abs(logLikelihood)) break;
            previous = logLikelihood;
        }
        return mixture;
    }

    /**
     * The parameters that best explain rows weighted by {@code resp}. The covariance is the rows' {@code scatter}
     * about zero less each persona's weight times its mean's outer product (the within-persona scatter, since each
     * row's responsibilities sum to 1), divided by the rows: one pass over the rows instead of two.
     */
    private static PersonaMixture maximise(Layout layout, double[][] z, double[][] counts, double[][] resp,
                                           double[][] scatter, int k, int g, int p) {
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
        double[][] covariance = new double[g][g]; // lower triangle
        for (int a = 0; a < g; a++) {
            for (int b = 0; b <= a; b++) {
                double between = 0;
                for (int c = 0; c < k; c++) between += weight[c] * means[c][a] * means[c][b];
                double within = (scatter[a][b] - between) / n;
                covariance[a][b] = a == b ? Math.max(within, 0) : within; // rounding cannot make a variance negative
            }
            covariance[a][a] += MIN_VARIANCE;
        }
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
        return new PersonaMixture(layout.gaussian, cholesky(covariance), means, logWeights, products);
    }

    /** The lower-triangular {@code L} with {@code L L^T} = the symmetric positive-definite matrix whose lower triangle is given. */
    static double[][] cholesky(double[][] lower) {
        int g = lower.length;
        double[][] l = new double[g][g];
        for (int a = 0; a < g; a++) {
            for (int b = 0; b <= a; b++) {
                double s = lower[a][b];
                for (int q = 0; q < b; q++) s -= l[a][q] * l[b][q];
                l[a][b] = a == b ? Math.sqrt(Math.max(s, MIN_VARIANCE * MIN_VARIANCE)) : s / l[b][b];
            }
        }
        return l;
    }

    /** {@code out = L^-1 b} by forward substitution. */
    private static void whiten(double[][] l, double[] b, double[] out) {
        for (int a = 0; a < b.length; a++) {
            double s = b[a];
            double[] row = l[a];
            for (int q = 0; q < a; q++) s -= row[q] * out[q];
            out[a] = s / row[a];
        }
    }

    /**
     * The mixture's scores made fast for many rows: each persona's mean in whitened units ({@code L^-1} mean), so a
     * row costs one forward substitution and {@code k} squared distances. Not thread-safe; one per thread.
     */
    final class Scorer {
        private final double[][] whiteMeans = new double[k()][gaussian.length];
        private final double[] zg = new double[gaussian.length];
        private final double[] y = new double[gaussian.length];
        private final double[] score = new double[k()];

        Scorer() {
            for (int c = 0; c < k(); c++) whiten(covarianceFactor, means[c], whiteMeans[c]);
        }

        private final double[] counts = new double[productColumns()];

        /** Each persona's score ({@link PersonaMixture#scores}) from raw and standardised values. */
        void scores(double[] raw, double[] z, double[] out) {
            counts(raw, counts);
            score(z, counts, out);
        }

        /** Each persona's score ({@link PersonaMixture#scores}) from standardised values and product counts. */
        void score(double[] z, double[] counts, double[] out) {
            for (int j = 0; j < gaussian.length; j++) zg[j] = z[gaussian[j]];
            whiten(covarianceFactor, zg, y);
            for (int c = 0; c < logWeights.length; c++) {
                double s = logWeights[c];
                double[] m = whiteMeans[c];
                for (int j = 0; j < y.length; j++) {
                    double e = y[j] - m[j];
                    s -= 0.5 * e * e;
                }
                out[c] = s + productScore(c, counts);
            }
        }

        /**
         * The E step: each row's posterior over personas into {@code resp}; returns the log-likelihood of the rows,
         * the normal densities' constants included.
         */
        double expect(double[][] z, double[][] counts, double[][] resp) {
            double constant = -0.5 * gaussian.length * Math.log(2 * Math.PI);
            for (int a = 0; a < gaussian.length; a++) constant -= Math.log(covarianceFactor[a][a]);
            double total = 0;
            for (int i = 0; i < z.length; i++) {
                score(z[i], counts[i], score);
                double max = Double.NEGATIVE_INFINITY;
                for (double s : score) max = Math.max(max, s);
                double sum = 0;
                for (int c = 0; c < score.length; c++) { score[c] = Math.exp(score[c] - max); sum += score[c]; }
                if (resp != null) for (int c = 0; c < score.length; c++) resp[i][c] = score[c] / sum;
                total += max + Math.log(sum) + constant;
            }
            return total;
        }

        /** The persona of every row: its highest score. */
        int[] labels(double[][] z, double[][] counts) {
            int[] out = new int[z.length];
            for (int i = 0; i < z.length; i++) {
                score(z[i], counts[i], score);
                out[i] = best(score);
            }
            return out;
        }
    }

    /** Persona {@code c}'s product term: each product's orders times the log of its share of the persona's orders. */
    private double productScore(int c, double[] counts) {
        double s = 0;
        int at = 0;
        for (Products pr : products) {
            double[] logShares = pr.logShares[c];
            for (int j = 0; j < logShares.length; j++, at++) if (counts[at] != 0) s += counts[at] * logShares[j];
        }
        return s;
    }

    /**
     * Each persona's score for a person: a log posterior up to one constant, higher is likelier.
     *
     * @param raw the person's raw feature values (for product orders)
     * @param z   the same values standardised
     */
    public void scores(double[] raw, double[] z, double[] out) {
        new Scorer().scores(raw, z, out);
    }

    /**
     * Each persona's score as a linear function of some normal features' standardised values, for a caller that
     * scores one person under many values of those features (the persona flow, as recency grows day by day): persona
     * {@code c}'s score is {@code fixed[c] + sum over r of slopes[c][r] * z[varying[r]]}, plus a term the same for
     * every persona (so the highest is the persona). The values of {@code z} at {@code varying} are ignored here.
     * A varying feature that is not one of the normal columns gets slope 0.
     */
    public void linearScores(double[] raw, double[] z, int[] varying, double[] fixed, double[][] slopes) {
        int g = gaussian.length;
        double[] zg = new double[g], a = new double[g], unit = new double[g];
        for (int j = 0; j < g; j++) zg[j] = z[gaussian[j]];
        int[] position = new int[varying.length];
        for (int r = 0; r < varying.length; r++) {
            position[r] = -1;
            for (int j = 0; j < g; j++) if (gaussian[j] == varying[r]) { position[r] = j; zg[j] = 0; }
        }
        whiten(covarianceFactor, zg, a);
        double[][] b = new double[varying.length][g]; // L^-1 e_r: how whitened values move with feature r
        for (int r = 0; r < varying.length; r++) {
            if (position[r] < 0) continue;
            Arrays.fill(unit, 0);
            unit[position[r]] = 1;
            whiten(covarianceFactor, unit, b[r]);
        }
        double[] counts = new double[productColumns()], white = new double[g];
        counts(raw, counts);
        for (int c = 0; c < k(); c++) {
            whiten(covarianceFactor, means[c], white);
            double s = logWeights[c] + productScore(c, counts);
            for (int j = 0; j < g; j++) {
                double e = a[j] - white[j];
                s -= 0.5 * e * e;
            }
            fixed[c] = s;
            for (int r = 0; r < varying.length; r++) {
                double dot = 0;
                for (int j = 0; j < g; j++) dot += b[r][j] * (a[j] - white[j]);
                slopes[c][r] = -dot;
            }
        }
    }

    /** A person's orders of each product, in {@link Layout#counts} order, from their raw feature values. */
    private void counts(double[] raw, double[] out) {
        int at = 0;
        for (Products pr : products) for (int f : pr.shares) out[at++] = orders(raw[f], raw[pr.frequency]);
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

    /** The log-likelihood of rows under this mixture, the normal densities' constants included. */
    double logLikelihood(double[][] z, double[][] counts) {
        return new Scorer().expect(z, counts, null);
    }

    /** The index of the largest score, the lowest on a tie. */
    static int best(double[] scores) {
        int best = 0;
        for (int c = 1; c < scores.length; c++) if (scores[c] > scores[best]) best = c;
        return best;
    }

    /** The persona of every row: its highest score. */
    int[] labels(double[][] z, double[][] counts) {
        return new Scorer().labels(z, counts);
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
        return new PersonaMixture(gaussian, covarianceFactor, m, w, ps);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PersonaMixture m && Arrays.equals(gaussian, m.gaussian) && Arrays.deepEquals(covarianceFactor, m.covarianceFactor)
                && Arrays.deepEquals(means, m.means) && Arrays.equals(logWeights, m.logWeights) && products.equals(m.products);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(gaussian), Arrays.deepHashCode(covarianceFactor), Arrays.deepHashCode(means),
                Arrays.hashCode(logWeights), products);
    }

    @Override
    public String toString() {
        return "PersonaMixture[k=" + k() + ", gaussian=" + Arrays.toString(gaussian) + ", products=" + products.size() + "]";
    }
}
