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
import java.util.stream.IntStream;

/**
 * Finds personas: k-means (k-means++ seeding, Lloyd iterations, by Smile) on standardised features, refined into a
 * {@link PersonaMixture} that weighs a person's product evidence by their number of orders. Stateless; the result is an
 * immutable {@link PersonaModel}.
 *
 * <p>Each feature is first transformed ({@link FeatureScaling}): {@code log1p} for the skewed kinds; a product share
 * shrunk toward the stream's overall mix by {@value #SHARE_PRIOR_EVENTS} pseudo-events of the person's own
 * {@code <stream>_frequency} (one order is weak evidence of a taste; the trait users see stays the real share);
 * winsorising of continuous traits at the 1st and 99th percentiles (an income of 666,666 or a birth year of 1893 sits
 * at the edge of the crowd, not beyond it); the column mean for a missing value; then a z-score (product shares, and
 * the 0/1 indicators of one text trait's values, are each one composition and share one pooled scale).
 * {@link PersonaModel#assign} applies the same transform.
 *
 * <p>Each clustering ({@link #cluster}) runs on a seeded sample of at most {@value #FIT_SAMPLE} rows: the best of
 * {@value #RESTARTS} k-means++ restarts (lowest distortion, on at most {@value #RESTART_SAMPLE} of them, then Lloyd
 * steps on all of them) starts the mixture's expectation-maximisation, and the fitted mixture then places every row
 * (its highest posterior). When the number of personas is not given, it is
 * chosen in {@value #MIN_CHOSEN_K}..{@value #MAX_CHOSEN_K}: each candidate is clustered, and the best mean silhouette of
 * its personas on a seeded sample of at most {@value #SILHOUETTE_SAMPLE} people wins (a near-tie, within
 * {@value #SILHOUETTE_TIE}, goes to the smaller number); the winner's personas are the result. Every candidate's
 * silhouette is kept in the model's {@link ClusterCountChoice} so a user can see how clear the structure is.
 *
 * <p>Determinism: the same table and seed give the same model. Smile draws its k-means++ seeds from a thread-local
 * generator ({@link MathEx#setSeed}), which this class seeds on the calling thread; Smile's parallel parts only
 * compute per-row distances. As a guard against floating-point noise in Smile's parallel sums, every Smile result is
 * finished by sequential Lloyd steps here, and restarts are compared on a sequentially computed distortion; the
 * mixture's sums are sequential.
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
    /** Most rows a clustering is fitted on; the fitted mixture then places every row. */
    static final int FIT_SAMPLE = 20_000;
    /** Most of those rows the k-means restarts run on; the winner's centres are then refined on all of them. */
    static final int RESTART_SAMPLE = 3_000;
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
        List<FeatureScaling> scalings = scalings(table);
        double[][] z = standardise(table, scalings);

        PersonaMixture.Layout layout = PersonaMixture.Layout.of(features);
        double[][] counts = layout.counts(table);

        int wanted = numberOfClusters != null ? numberOfClusters : MAX_CHOSEN_K;
        int distinct = countDistinct(z, wanted);
        ClusterCountChoice choice;
        Partition partition;
        if (numberOfClusters != null) {
            choice = new ClusterCountChoice("given", 0, Map.of());
            partition = cluster(layout, z, counts, Math.min(numberOfClusters, distinct), seed);
        } else if (distinct < MIN_CHOSEN_K) {
            choice = new ClusterCountChoice("trivial", 0, Map.of());
            partition = cluster(layout, z, counts, 1, seed);
        } else {
            Map<Integer, Partition> candidates = new LinkedHashMap<>();
            choice = chooseK(layout, z, counts, distinct, seed, candidates);
            partition = candidates.get(pickFromScores(choice.silhouetteByK())); // the personas the score describes
        }
        return buildModel(table, scalings, z, partition, seed, choice);
    }

    /**
     * Each feature's scaling fitted on the table, the compositions (product shares, a text trait's values) pooled to
     * one scale each: what {@link #standardise} applies before clustering.
     */
    static List<FeatureScaling> scalings(FeatureTable table) {
        List<Feature> features = table.features();
        List<FeatureScaling> scalings = new ArrayList<>(features.size());
        for (int f = 0; f < features.size(); f++) scalings.add(fitScaling(features, table, f));
        poolProductShares(features, scalings);
        return scalings;
    }

    /**
     * Each row's persona (0..k'-1) and the mixture that places them ({@code null} for a single persona).
     */
    record Partition(int[] labels, PersonaMixture mixture) {
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

    /**
     * Scores k in 2..min(8, distinct rows) by the mean silhouette, on a seeded sample, of the personas {@link #cluster}
     * finds among everyone; puts each candidate's partition in {@code partitions}.
     */
    static ClusterCountChoice chooseK(PersonaMixture.Layout layout, double[][] z, double[][] counts, int distinct, long seed,
                                      Map<Integer, Partition> partitions) {
        int[] rows = sampleRows(z.length, SILHOUETTE_SAMPLE, seed);
        double[][] sample = pick(z, rows);
        int maxK = Math.min(Math.min(MAX_CHOSEN_K, distinct), countDistinct(sample, MAX_CHOSEN_K));
        if (maxK < MIN_CHOSEN_K) maxK = MIN_CHOSEN_K; // the sample missed the variety; silhouette still well defined
        float[] distances = pairwiseDistances(sample);
        Map<Integer, Double> scores = new LinkedHashMap<>();
        // the candidates are independent and each is seeded on its own thread (Smile's k-means++ draws on the caller's
        // thread-local generator), so fitting them side by side gives the same partitions as one after another
        Partition[] found = new Partition[maxK + 1];
        IntStream.rangeClosed(MIN_CHOSEN_K, maxK).parallel().forEach(k -> found[k] = cluster(layout, z, counts, k, seed + k));
        int[] sampleLabels = new int[rows.length];
        for (int k = MIN_CHOSEN_K; k <= maxK; k++) {
            partitions.put(k, found[k]);
            for (int i = 0; i < rows.length; i++) sampleLabels[i] = found[k].labels()[rows[i]];
            scores.put(k, meanSilhouette(distances, sampleLabels, sample.length));
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
        return pick(z, sampleRows(z.length, max, seed));
    }

    /** The indices of at most {@code max} of {@code n} rows drawn without replacement, ascending; all when n <= max. */
    static int[] sampleRows(int n, int max, long seed) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        if (n <= max) return idx;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(n - i);
            int t = idx[i]; idx[i] = idx[j]; idx[j] = t;
        }
        int[] chosen = Arrays.copyOf(idx, max);
        Arrays.sort(chosen);
        return chosen;
    }

    /** The rows at {@code rows}, shared, not copied; {@code x} itself when {@code rows} is every row. */
    private static double[][] pick(double[][] x, int[] rows) {
        if (rows.length == x.length) return x;
        double[][] s = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) s[i] = x[rows[i]];
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
     * Finds {@code k} personas on a seeded sample of at most {@link #FIT_SAMPLE} rows: the best (lowest distortion) of
     * {@link #RESTARTS} k-means runs ({@link #kMeans}) on at most {@link #RESTART_SAMPLE} of them, its centres carried
     * to the whole sample by sequential Lloyd steps, then {@link PersonaMixture} fitted from that partition, which
     * places every row. Labels are 0..k'-1, where k' &lt;= k if a persona came out empty.
     */
    static Partition cluster(PersonaMixture.Layout layout, double[][] z, double[][] counts, int k, long seed) {
        int n = z.length;
        if (k <= 1) return new Partition(new int[n], null);
        int[] rows = sampleRows(n, FIT_SAMPLE, seed ^ 0x5DEECE66DL);
        double[][] fitted = pick(z, rows);
        double[][] restarted = sample(fitted, RESTART_SAMPLE, seed ^ 0x2545F4914F6CDD1DL);
        int[] start = kMeans(restarted, k, seed);
        if (restarted != fitted) {
            double[][] centres = means(restarted, start, k);
            start = new int[fitted.length];
            for (int i = 0; i < fitted.length; i++) start[i] = nearestNonEmpty(centres, fitted[i]);
            polish(fitted, start, k);
        }
        PersonaMixture mixture = PersonaMixture.fit(layout, fitted, pick(counts, rows), start, k);
        int[] labels = mixture.labels(z, counts);
        boolean[] used = new boolean[k];
        for (int g : labels) used[g] = true;
        int[] kept = IntStream.range(0, k).filter(c -> used[c]).toArray();
        return new Partition(compact(labels, k), mixture.select(kept));
    }

    /**
     * Labels every row with one of {@code k} clusters: the best (lowest distortion) of {@link #RESTARTS} seeded Smile
     * k-means++/Lloyd runs, each finished by sequential Lloyd steps (labels 0..k-1, some possibly unused).
     */
    static int[] kMeans(double[][] z, int k, long seed) {
        if (k <= 1) return new int[z.length];
        MathEx.setSeed(seed);
        int[] best = null;
        double bestDistortion = Double.POSITIVE_INFINITY;
        for (int run = 0; run < RESTARTS; run++) {
            CentroidClustering<double[], double[]> smile = KMeans.lloyd(z, new Clustering.Options(k, MAX_ITER));
            int[] groups = smile.group().clone();
            double distortion = polish(z, groups, k);
            if (distortion < bestDistortion) { bestDistortion = distortion; best = groups; }
        }
        return best;
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
    private static PersonaModel buildModel(FeatureTable table, List<FeatureScaling> scalings, double[][] z, Partition partition,
                                           long seed, ClusterCountChoice choice) {
        int[] groups = partition.labels();
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
        PersonaMixture mixture = partition.mixture() == null ? null
                : partition.mixture().select(Arrays.stream(order).mapToInt(Integer::intValue).toArray());
        return new PersonaModel(features, scalings, k, centroids, centers, memberCounts, seed, choice, mixture);
    }
}
