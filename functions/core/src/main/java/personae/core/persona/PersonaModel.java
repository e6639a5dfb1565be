package personae.core.persona;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fitted set of personas: everything needed to show them and to place a new person in one. Immutable, and stored
 * as JSON ({@code model.json}) with a plain Jackson {@code ObjectMapper}. Built by {@link PersonaClustering#fit}.
 * Persona {@code 0} is the largest.
 *
 * @param features     the clustering inputs, in column order
 * @param scalings     per feature, the transform applied before clustering (same order as {@code features})
 * @param k            number of personas
 * @param centroids    per persona, its centre in the transformed (standardised) space: {@code k x features}
 * @param centers      per persona, the raw-space mean of each feature over its members (feature name to mean, in
 *                     feature order; {@code null} when no member has a value), shown by the API as {@code details.center}
 * @param memberCounts per persona, how many of the fitted people it holds
 * @param seed         the seed the model was fitted with
 * @param choice       how {@code k} was decided
 * @param mixture      the probability model that places a person ({@link PersonaMixture}); {@code null} for one persona
 *                     and in models stored before it existed, which place a person at the nearest centroid
 */
public record PersonaModel(
        List<Feature> features,
        List<FeatureScaling> scalings,
        int k,
        double[][] centroids,
        List<Map<String, Double>> centers,
        List<Integer> memberCounts,
        long seed,
        ClusterCountChoice choice,
        PersonaMixture mixture) {

    public PersonaModel {
        features = List.copyOf(features);
        scalings = List.copyOf(scalings);
        int d = features.size();
        if (scalings.size() != d) throw new IllegalArgumentException(scalings.size() + " scalings for " + d + " features");
        if (k < 1) throw new IllegalArgumentException("a model needs at least one persona, got k=" + k);
        Objects.requireNonNull(centroids, "centroids");
        if (centroids.length != k) throw new IllegalArgumentException(centroids.length + " centroids for k=" + k);
        centroids = deepCopy(centroids);
        for (double[] c : centroids) {
            if (c.length != d) throw new IllegalArgumentException("centroid of " + c.length + " values for " + d + " features");
        }
        if (centers.size() != k) throw new IllegalArgumentException(centers.size() + " centers for k=" + k);
        List<Map<String, Double>> copies = new ArrayList<>(k);
        for (Map<String, Double> c : centers) copies.add(Collections.unmodifiableMap(new LinkedHashMap<>(c)));
        centers = Collections.unmodifiableList(copies);
        memberCounts = List.copyOf(memberCounts);
        if (memberCounts.size() != k) throw new IllegalArgumentException(memberCounts.size() + " member counts for k=" + k);
        Objects.requireNonNull(choice, "choice");
        if (mixture != null && mixture.k() != k) throw new IllegalArgumentException("a mixture of " + mixture.k() + " personas for k=" + k);
    }

    /** The centroids, as a copy (the model stays immutable). */
    @Override
    public double[][] centroids() {
        return deepCopy(centroids);
    }

    /** The standardised coordinate of persona {@code persona}'s centre on feature {@code feature}. */
    public double centroid(int persona, int feature) {
        return centroids[persona][feature];
    }

    /** Total number of people the model was fitted on. */
    public long people() {
        long n = 0;
        for (int c : memberCounts) n += c;
        return n;
    }

    /**
     * The persona of one person: the highest of its {@link #scores} after the same transform as in fitting
     * ({@link FeatureScaling}, product shares shrunk by the person's own event count; a missing value ({@code NaN})
     * counts as the column mean), the lowest index on a tie.
     *
     * @param rawRow the person's raw feature values, in {@link #features()} order
     */
    public int assign(double[] rawRow) {
        if (rawRow.length != features.size()) {
            throw new IllegalArgumentException("row of " + rawRow.length + " values for " + features.size() + " features");
        }
        double[] z = new double[rawRow.length];
        standardise(rawRow, z);
        double[] scores = new double[k];
        scores(rawRow, z, scores);
        return PersonaMixture.best(scores);
    }

    /** The persona of every row of a table whose features are this model's features, in the same order. */
    public int[] assignAll(FeatureTable table) {
        if (!table.features().equals(features)) {
            throw new IllegalArgumentException("the table's features " + names(table.features())
                    + " are not the model's " + names(features));
        }
        int d = features.size();
        int[] out = new int[table.rows()];
        int[] counts = FeatureScaling.countColumns(features, scalings);
        double[] raw = new double[d];
        double[] z = new double[d];
        double[] scores = new double[k];
        PersonaMixture.Scorer scorer = mixture == null ? null : mixture.new Scorer();
        for (int r = 0; r < out.length; r++) {
            for (int f = 0; f < d; f++) raw[f] = table.columns()[f][r];
            FeatureScaling.standardiseRow(scalings, counts, raw, z);
            if (scorer != null) scorer.scores(raw, z, scores);
            else scores(raw, z, scores);
            out[r] = PersonaMixture.best(scores);
        }
        return out;
    }

    /** A person's raw feature values transformed as in fitting, into {@code z}. */
    public void standardise(double[] rawRow, double[] z) {
        FeatureScaling.standardiseRow(scalings, FeatureScaling.countColumns(features, scalings), rawRow, z);
    }

    /**
     * Each persona's score for a person, higher meaning a better fit: the {@link PersonaMixture}'s log posterior, or,
     * for a model without one, minus the squared distance to the centroid. The person's persona is the highest.
     *
     * @param raw the person's raw feature values
     * @param z   the same, {@link #standardise standardised}
     * @param out receives one score per persona
     */
    public void scores(double[] raw, double[] z, double[] out) {
        if (mixture != null) {
            mixture.scores(raw, z, out);
            return;
        }
        for (int c = 0; c < k; c++) {
            double[] m = centroids[c];
            double s = 0;
            for (int f = 0; f < z.length; f++) {
                double e = z[f] - m[f];
                s += e * e;
            }
            out[c] = -s;
        }
    }

    /**
     * The {@link #scores} as a linear function of some features' standardised values, for scoring one person under
     * many values of those features (the persona flow's recency, day by day): persona {@code c}'s score is
     * {@code fixed[c] + sum over r of slopes[c][r] * z[varying[r]]} plus a term the same for every persona, so the
     * highest is the same persona {@link #scores} picks. The values of {@code z} at {@code varying} are ignored.
     * Only for features that are neither product shares nor frequencies (those also weigh a person's orders).
     */
    public void linearScores(double[] raw, double[] z, int[] varying, double[] fixed, double[][] slopes) {
        if (mixture != null) {
            mixture.linearScores(raw, z, varying, fixed, slopes);
            return;
        }
        boolean[] isVarying = new boolean[z.length];
        for (int f : varying) isVarying[f] = true;
        for (int c = 0; c < k; c++) {
            double[] m = centroids[c];
            double s = 0;
            for (int f = 0; f < z.length; f++) {
                if (isVarying[f]) continue;
                double e = z[f] - m[f];
                s += e * e;
            }
            // -(t - m)^2 = -t^2 + 2 m t - m^2, and -t^2 is the same for every persona
            for (int r = 0; r < varying.length; r++) {
                s += m[varying[r]] * m[varying[r]];
                slopes[c][r] = 2 * m[varying[r]];
            }
            fixed[c] = -s;
        }
    }

    private static List<String> names(List<Feature> fs) {
        return fs.stream().map(Feature::name).toList();
    }

    /** A copy of every row of {@code a} (the persona package's records keep their arrays to themselves). */
    static double[][] deepCopy(double[][] a) {
        double[][] b = new double[a.length][];
        for (int i = 0; i < a.length; i++) b[i] = a[i].clone();
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PersonaModel m && features.equals(m.features) && scalings.equals(m.scalings) && k == m.k
                && Arrays.deepEquals(centroids, m.centroids) && centers.equals(m.centers)
                && memberCounts.equals(m.memberCounts) && seed == m.seed && choice.equals(m.choice)
                && Objects.equals(mixture, m.mixture);
    }

    @Override
    public int hashCode() {
        return Objects.hash(features, scalings, k, Arrays.deepHashCode(centroids), centers, memberCounts, seed, choice, mixture);
    }

    @Override
    public String toString() {
        return "PersonaModel[k=" + k + ", features=" + names(features) + ", memberCounts=" + memberCounts
                + ", choice=" + choice + "]";
    }
}
