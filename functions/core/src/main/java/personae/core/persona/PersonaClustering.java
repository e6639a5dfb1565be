package personae.core.persona;

import smile.clustering.CentroidClustering;
import smile.clustering.Clustering;
import smile.clustering.KMeans;
import smile.math.MathEx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Finds personas: k-means (k-means++ seeding, Lloyd iterations, by Smile) on standardised features. Stateless; the
 * result is an immutable {@link PersonaModel}.
 *
 * <p>Each feature is first transformed ({@link FeatureScaling}): {@code log1p} for the skewed kinds; a product share
 * shrunk toward the stream's overall mix by {@value #SHARE_PRIOR_EVENTS} pseudo-events of the person's own
 * {@code <stream>_frequency} (one order is weak evidence of a taste; the trait users see stays the real share);
 * winsorising of continuous traits at the 1st and 99th percentiles (an income of 666,666 or a birth year of 1893 sits
 * at the edge of the crowd, not beyond it); the column mean for a missing value; then a z-score (product shares, and
 * the 0/1 indicators of one text trait's values, are each one composition and share one pooled scale).
 * {@link PersonaModel#assign} applies the same transform.
 *
 * <p>Each clustering is the best of {@value #RESTARTS} k-means++ restarts (lowest distortion), run on a seeded sample
 * of at most {@value #FIT_SAMPLE} rows; the winner's centres then start Lloyd steps on every row. When the number of
 * personas is not given, it is chosen in {@value #MIN_CHOSEN_K}..{@value #MAX_CHOSEN_K} by the best mean silhouette
 * on a seeded sample of at most {@value #SILHOUETTE_SAMPLE} people (a near-tie, within {@value #SILHOUETTE_TIE}, goes
 * to the smaller number); every candidate's silhouette is kept in the model's {@link ClusterCountChoice} so a user can
 * see how clear the structure is. The final clustering then runs on every row.
 *
 * <p>Determinism: the same table and seed give the same model. Smile draws its k-means++ seeds from a thread-local
 * generator ({@link MathEx#setSeed}), which this class seeds on the calling thread; Smile's parallel parts only
 * compute per-row distances. As a guard against floating-point noise in Smile's parallel sums, every Smile result is
 * finished by sequential Lloyd steps here, and restarts are compared on a sequentially computed distortion.
 */
public final class PersonaClustering {

    /** Smallest number of personas considered when choosing. */
    public static final int MIN_CHOSEN_K = 2;
    /** Largest number of personas considered when choosing. */
    public static final int MAX_CHOSEN_K = 8;
    /** Largest number of personas a caller may ask for. */
    public static final int MAX_K = 50;
    /** Most rows the silhouette is measured on when choosing the number of personas. */
    public static final int SILHOUETTE_SAMPLE = 3000;
    /** A candidate within this much of the best mean silhouette counts as a tie; the smaller k wins. */
    static final double SILHOUETTE_TIE = 0.02;

    private static final int MAX_ITER = 100;
    /** k-means++ restarts per clustering; the lowest distortion wins. */
    static final int RESTARTS = 10;
    /** Most rows the restarts run on; the winner is then refined on every row. */
    static final int FIT_SAMPLE = 20_000;
    /** Pseudo-events of the overall product mix each person's product shares are shrunk with before clustering. */
    public static final double SHARE_PRIOR_EVENTS = 2.0;
    private static final int POLISH_ITER = 50;

    private PersonaClustering() {
    }

    /**
     * Fits personas to a cohort.
     *
     * @param table            one row per person
     * @param numberOfClusters the number of personas (1..50), or {@code null} to choose it from the data
     * @param seed             fixes every random choice; the same inputs and seed give the same model
     * @throws IllegalArgumentException when the table has no rows or {@code numberOfClusters} is out of range
     */
    public static PersonaModel fit(FeatureTable table, Integer numberOfClusters, long seed) {
        if (table.rows() == 0) throw new IllegalArgumentException("the cohort has no people to cluster");
        if (numberOfClusters != null && (numberOfClusters < 1 || numberOfClusters > MAX_K)) {
            throw new IllegalArgumentException("number of personas must be between 1 and " + MAX_K + ", got " + numberOfClusters);
        }
        List<Feature> features = table.features();
        int d = features.size();
        List<FeatureScaling> scalings = new ArrayList<>(d);
        for (int f = 0; f < d; f++) scalings.add(fitScaling(features, table, f));
        poolProductShares(features, scalings);
        double[][] z = standardise(table, scalings);

        int wanted = numberOfClusters != null ? numberOfClusters : MAX_CHOSEN_K;
        int distinct = countDistinct(z, wanted);
        int k;
        ClusterCountChoice choice;
        if (numberOfClusters != null) {
            k = Math.min(numberOfClusters, distinct);
            choice = new ClusterCountChoice("given", 0, Map.of());
        } else if (distinct < MIN_CHOSEN_K) {
            k = 1;
            choice = new ClusterCountChoice("trivial", 0, Map.of());
        } else {
            choice = chooseK(z, distinct, seed);
            k = pickFromScores(choice.silhouetteByK());
        }

        int[] groups = cluster(z, k, seed);
        return buildModel(table, scalings, z, groups, k, seed, choice);
    }

    /**
     * Product shares are one composition (they sum to about 1), and so are the 0/1 indicators of one text trait's
     * values ({@code CATEGORY}, named {@code <trait>=<value>}): each composition shares one scale, the root mean square
     * of its columns' standard deviations. Scaled one by one, a rare product's or value's column has a tiny spread and
     * a single order of it would sit several standard deviations out, splitting people by what they happened to buy
     * once.
     */
    static void poolProductShares(List<Feature> features, List<FeatureScaling> scalings) {
        Map<String, List<Integer>> compositions = new LinkedHashMap<>();
        for (int f = 0; f < features.size(); f++) {
            String key = compositionOf(features.get(f));
            if (key != null) compositions.computeIfAbsent(key, x -> new ArrayList<>()).add(f);
        }
        for (List<Integer> members : compositions.values()) {
            if (members.size() < 2) continue;
            double squares = 0;
            for (int f : members) squares += scalings.get(f).scale() * scalings.get(f).scale();
            double pooled = Math.sqrt(squares / members.size());
            for (int f : members) scalings.set(f, scalings.get(f).withScale(pooled));
        }
    }

    /** The composition a feature belongs to ({@code share:<stream>} or {@code category:<trait>}), or null. */
    static String compositionOf(Feature feature) {
        String name = feature.name();
        return switch (feature.kind()) {
            case PRODUCT_SHARE -> {
                int at = name.lastIndexOf("_product_share_");
                yield "share:" + (at < 0 ? "" : name.substring(0, at));
            }
            case CATEGORY -> {
                int at = name.lastIndexOf('=');
                yield "category:" + (at < 0 ? name : name.substring(0, at));
            }
            default -> null;
        };
    }

    /**
     * The scaling of feature {@code f}: a product share whose stream's {@code _frequency} feature is in the table is
     * shrunk toward the stream's overall mix (event-weighted mean share) by {@link #SHARE_PRIOR_EVENTS} pseudo-events.
     */
    static FeatureScaling fitScaling(List<Feature> features, FeatureTable table, int f) {
        Feature feature = features.get(f);
        double[] col = table.columns()[f];
        int count = feature.kind() == Feature.Kind.PRODUCT_SHARE ? frequencyColumn(features, feature) : -1;
        if (count < 0) return FeatureScaling.fit(feature.kind(), col);
        double[] n = table.columns()[count];
        double events = 0, product = 0;
        for (int r = 0; r < col.length; r++) {
            if (Double.isFinite(col[r]) && Double.isFinite(n[r]) && n[r] > 0) { events += n[r]; product += col[r] * n[r]; }
        }
        double prior = events == 0 ? 0 : product / events;
        return FeatureScaling.fit(feature.kind(), col, n, features.get(count).name(), prior, SHARE_PRIOR_EVENTS);
    }

    /** The column of the {@code <stream>_frequency} feature of a {@code <stream>_product_share_<product>} feature, or -1. */
    static int frequencyColumn(List<Feature> features, Feature share) {
        int at = share.name().lastIndexOf("_product_share_");
        if (at <= 0) return -1;
        String name = share.name().substring(0, at) + "_frequency";
        for (int g = 0; g < features.size(); g++) {
            if (features.get(g).name().equals(name) && features.get(g).kind() == Feature.Kind.FREQUENCY) return g;
        }
        return -1;
    }

    /** The standardised table, row-major, as Smile wants it. */
    public static double[][] standardise(FeatureTable table, List<FeatureScaling> scalings) {
        int n = table.rows(), d = scalings.size();
        int[] counts = FeatureScaling.countColumns(table.features(), scalings);
        double[][] z = new double[n][d];
        double[] raw = new double[d];
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < d; f++) raw[f] = table.columns()[f][r];
            FeatureScaling.standardiseRow(scalings, counts, raw, z[r]);
        }
        return z;
    }

    /** The number of distinct rows, counted up to {@code limit} (the count stops there). */
    static int countDistinct(double[][] z, int limit) {
        record Row(double[] v) {
            @Override public boolean equals(Object o) { return o instanceof Row r && Arrays.equals(v, r.v); }
            @Override public int hashCode() { return Arrays.hashCode(v); }
        }
        Set<Row> seen = new HashSet<>();
        for (double[] row : z) {
            seen.add(new Row(row));
            if (seen.size() >= limit) return limit;
        }
        return seen.size();
    }

    /** Scores k in 2..min(8, distinct rows) by mean silhouette on a seeded sample. */
    static ClusterCountChoice chooseK(double[][] z, int distinct, long seed) {
        double[][] sample = sample(z, SILHOUETTE_SAMPLE, seed);
        int maxK = Math.min(Math.min(MAX_CHOSEN_K, distinct), countDistinct(sample, MAX_CHOSEN_K));
        if (maxK < MIN_CHOSEN_K) maxK = MIN_CHOSEN_K; // the sample missed the variety; silhouette still well defined
        float[] distances = pairwiseDistances(sample);
        Map<Integer, Double> scores = new LinkedHashMap<>();
        for (int k = MIN_CHOSEN_K; k <= maxK; k++) {
            int[] groups = cluster(sample, k, seed + k);
            scores.put(k, meanSilhouette(distances, groups, sample.length));
        }
        return new ClusterCountChoice("silhouette", sample.length, scores);
    }

    /** The smallest k whose score is within {@link #SILHOUETTE_TIE} of the best. */
    static int pickFromScores(Map<Integer, Double> scores) {
        double best = scores.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return scores.entrySet().stream().filter(e -> e.getValue() >= best - SILHOUETTE_TIE)
                .mapToInt(Map.Entry::getKey).min().orElseThrow();
    }

    /** At most {@code max} rows drawn without replacement (partial Fisher-Yates), in their original order. */
    static double[][] sample(double[][] z, int max, long seed) {
        int n = z.length;
        if (n <= max) return z;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(n - i);
            int t = idx[i]; idx[i] = idx[j]; idx[j] = t;
        }
        int[] chosen = Arrays.copyOf(idx, max);
        Arrays.sort(chosen);
        double[][] s = new double[max][];
        for (int i = 0; i < max; i++) s[i] = z[chosen[i]];
        return s;
    }

    /** Euclidean distances of every pair i &lt; j, packed row by row. */
    static float[] pairwiseDistances(double[][] x) {
        int m = x.length;
        float[] out = new float[m * (m - 1) / 2];
        int p = 0;
        for (int i = 0; i < m; i++) {
            double[] a = x[i];
            for (int j = i + 1; j < m; j++) {
                double[] b = x[j];
                double s = 0;
                for (int f = 0; f < a.length; f++) {
                    double e = a[f] - b[f];
                    s += e * e;
                }
                out[p++] = (float) Math.sqrt(s);
            }
        }
        return out;
    }

    /** Mean silhouette of a labelling, from packed pairwise distances; a point alone in its cluster scores 0. */
    static double meanSilhouette(float[] distances, int[] groups, int m) {
        int k = 0;
        for (int g : groups) k = Math.max(k, g + 1);
        int[] sizes = new int[k];
        for (int g : groups) sizes[g]++;
        double[][] sums = new double[m][k];
        int p = 0;
        for (int i = 0; i < m; i++) {
            int gi = groups[i];
            double[] si = sums[i];
            for (int j = i + 1; j < m; j++) {
                double dist = distances[p++];
                si[groups[j]] += dist;
                sums[j][gi] += dist;
            }
        }
        double total = 0;
        for (int i = 0; i < m; i++) {
            int gi = groups[i];
            if (sizes[gi] <= 1) continue;
            double a = sums[i][gi] / (sizes[gi] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) if (c != gi && sizes[c] > 0) b = Math.min(b, sums[i][c] / sizes[c]);
            if (b == Double.POSITIVE_INFINITY) continue; // a single cluster: silhouette undefined, count 0
            double denominator = Math.max(a, b);
            total += denominator == 0 ? 0 : (b - a) / denominator;
        }
        return total / m;
    }

    /**
     * Labels every row with one of {@code k} clusters: the best (lowest distortion) of {@link #RESTARTS} seeded Smile
     * k-means++/Lloyd runs, each finished by sequential Lloyd steps. Above {@link #FIT_SAMPLE} rows the restarts run
     * on a seeded sample and the best one's centres start sequential Lloyd steps on every row. Labels are 0..k'-1,
     * where k' &lt;= k if a cluster came out empty.
     */
    static int[] cluster(double[][] z, int k, long seed) {
        int n = z.length;
        if (k <= 1) return new int[n];
        double[][] fitted = sample(z, FIT_SAMPLE, seed ^ 0x5DEECE66DL);
        MathEx.setSeed(seed);
        int[] best = null;
        double bestDistortion = Double.POSITIVE_INFINITY;
        for (int run = 0; run < RESTARTS; run++) {
            CentroidClustering<double[], double[]> smile = KMeans.lloyd(fitted, new Clustering.Options(k, MAX_ITER));
            int[] groups = smile.group().clone();
            double distortion = polish(fitted, groups, k);
            if (distortion < bestDistortion) { bestDistortion = distortion; best = groups; }
        }
        if (fitted != z) {
            double[][] centres = means(fitted, best, k);
            best = new int[n];
            for (int i = 0; i < n; i++) best[i] = nearestNonEmpty(centres, z[i]);
            polish(z, best, k);
        }
        return compact(best, k);
    }

    /**
     * Sequential Lloyd steps from a labelling until it no longer changes (or an iteration cap): each row ends on
     * its nearest centre, lowest index on a tie. Returns the final distortion (sum of squared distances).
     */
    static double polish(double[][] z, int[] groups, int k) {
        for (int i = 0; i < groups.length; i++) if (groups[i] < 0 || groups[i] >= k) groups[i] = 0; // Smile outlier label
        double distortion = 0;
        for (int iter = 0; iter < POLISH_ITER; iter++) {
            double[][] centres = means(z, groups, k);
            boolean changed = false;
            distortion = 0;
            for (int i = 0; i < z.length; i++) {
                int c = nearestNonEmpty(centres, z[i]);
                if (c != groups[i]) { groups[i] = c; changed = true; }
                distortion += squaredDistance(z[i], centres[c]);
            }
            if (!changed) break;
        }
        return distortion;
    }

    private static int nearestNonEmpty(double[][] centres, double[] x) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centres.length; c++) {
            if (centres[c] == null) continue;
            double s = squaredDistance(x, centres[c]);
            if (s < bestDistance) { bestDistance = s; best = c; }
        }
        return best;
    }

    private static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int f = 0; f < a.length; f++) {
            double e = a[f] - b[f];
            s += e * e;
        }
        return s;
    }

    /** Per-cluster means; {@code null} for an empty cluster. */
    static double[][] means(double[][] z, int[] groups, int k) {
        int d = z.length == 0 ? 0 : z[0].length;
        double[][] sums = new double[k][d];
        int[] counts = new int[k];
        for (int i = 0; i < z.length; i++) {
            int g = groups[i];
            counts[g]++;
            double[] s = sums[g];
            for (int f = 0; f < d; f++) s[f] += z[i][f];
        }
        double[][] out = new double[k][];
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) continue;
            out[c] = sums[c];
            for (int f = 0; f < d; f++) out[c][f] /= counts[c];
        }
        return out;
    }

    /** Renumbers labels so the clusters in use are 0..k'-1, keeping their order. */
    private static int[] compact(int[] groups, int k) {
        int[] counts = new int[k];
        for (int g : groups) counts[g]++;
        int[] map = new int[k];
        int next = 0;
        for (int c = 0; c < k; c++) map[c] = counts[c] > 0 ? next++ : -1;
        int[] out = new int[groups.length];
        for (int i = 0; i < groups.length; i++) out[i] = map[groups[i]];
        return out;
    }

    /** Orders personas by size (largest first, ties by label) and computes their centroids and raw-space centres. */
    private static PersonaModel buildModel(FeatureTable table, List<FeatureScaling> scalings, double[][] z, int[] groups,
                                           int kAsked, long seed, ClusterCountChoice choice) {
        int k = 0;
        for (int g : groups) k = Math.max(k, g + 1);
        int[] counts = new int[k];
        for (int g : groups) counts[g]++;
        Integer[] order = new Integer[k];
        for (int c = 0; c < k; c++) order[c] = c;
        Arrays.sort(order, (a, b) -> counts[a] != counts[b] ? Integer.compare(counts[b], counts[a]) : Integer.compare(a, b));
        int[] rank = new int[k];
        for (int r = 0; r < k; r++) rank[order[r]] = r;
        int[] personas = new int[groups.length];
        for (int i = 0; i < groups.length; i++) personas[i] = rank[groups[i]];

        double[][] centroids = means(z, personas, k);
        List<Feature> features = table.features();
        int d = features.size();
        double[][] rawSums = new double[k][d];
        long[][] rawCounts = new long[k][d];
        for (int f = 0; f < d; f++) {
            double[] col = table.columns()[f];
            for (int i = 0; i < col.length; i++) {
                if (Double.isFinite(col[i])) { rawSums[personas[i]][f] += col[i]; rawCounts[personas[i]][f]++; }
            }
        }
        List<Map<String, Double>> centers = new ArrayList<>(k);
        List<Integer> memberCounts = new ArrayList<>(k);
        for (int p = 0; p < k; p++) {
            Map<String, Double> center = new LinkedHashMap<>();
            for (int f = 0; f < d; f++) {
                center.put(features.get(f).name(), rawCounts[p][f] == 0 ? null : rawSums[p][f] / rawCounts[p][f]);
            }
            centers.add(center);
            memberCounts.add(counts[order[p]]);
        }
        return new PersonaModel(features, scalings, k, centroids, centers, memberCounts, seed, choice);
    }
}
