package personae.core.persona;

import java.util.Arrays;
import java.util.List;

/**
 * How one feature's raw value becomes a clustering coordinate, in four steps:
 * <ol>
 * <li>{@code log1p} for the right-skewed kinds (negatives clamped to 0);</li>
 * <li>for a product share with {@code countFeature}, shrinkage toward the overall mix:
 *     {@code (share * n + priorEvents * prior) / (n + priorEvents)} where {@code n} is the person's number of events
 *     in that stream (the {@code countFeature} column), so that one order is weak evidence of a preference;</li>
 * <li>winsorising: the value is clamped to {@code [low, high]}, the 1st and 99th percentiles of the fitted column, so
 *     that an income of 666,666 or a birth year of 1893 sits at the edge of the crowd instead of far beyond it;</li>
 * <li>a z-score with the mean and standard deviation of the clamped column.</li>
 * </ol>
 * A missing value ({@code NaN} or infinite) is imputed with the column mean, so it lands exactly on 0.
 *
 * @param log1p        whether the raw value goes through {@code log1p(max(0, x))} first
 * @param mean         mean of the transformed, clamped column over the fitted rows (also the imputation value)
 * @param scale        standard deviation of the transformed, clamped column, or 1 when the column is constant
 * @param low          lower clamp; no clamping when {@code low >= high} (a model stored before winsorising has 0, 0)
 * @param high         upper clamp
 * @param countFeature for a shrunk product share, the name of its stream's frequency feature; otherwise {@code null}
 * @param prior        the overall share the value is shrunk toward
 * @param priorEvents  pseudo-events of the overall mix added (0: no shrinkage)
 */
public record FeatureScaling(boolean log1p, double mean, double scale, double low, double high, String countFeature,
                             double prior, double priorEvents) {

    /** Share of rows below {@code low} (and above {@code high}). */
    public static final double WINSOR_TAIL = 0.01;

    public FeatureScaling {
        if (!Double.isFinite(mean)) throw new IllegalArgumentException("mean must be finite: " + mean);
        if (!(scale > 0) || !Double.isFinite(scale)) throw new IllegalArgumentException("scale must be positive: " + scale);
    }

    /** A plain scaling: optional {@code log1p}, then a z-score; no clamping or shrinkage. */
    public FeatureScaling(boolean log1p, double mean, double scale) {
        this(log1p, mean, scale, 0, 0, null, 0, 0);
    }

    /** Whether a feature of this kind is log-transformed: the counts, money and day spans, which are right-skewed. */
    public static boolean isSkewed(Feature.Kind kind) {
        return switch (kind) {
            case FREQUENCY, TOTAL_VALUE, AVERAGE_VALUE, TENURE_DAYS, RECENCY_DAYS -> true;
            case PRODUCT_SHARE, USER_DEFINED, CATEGORY -> false;
        };
    }

    /** Whether values of this kind are winsorised: continuous traits; never 0/1 indicators or shares. */
    public static boolean isWinsorised(Feature.Kind kind) {
        return switch (kind) {
            case FREQUENCY, TOTAL_VALUE, AVERAGE_VALUE, TENURE_DAYS, RECENCY_DAYS, USER_DEFINED -> true;
            case PRODUCT_SHARE, CATEGORY -> false;
        };
    }

    /** The transformed value before standardisation, or {@code NaN} when the raw value is missing. */
    public static double transform(double raw, boolean log1p) {
        if (!Double.isFinite(raw)) return Double.NaN;
        return log1p ? Math.log1p(Math.max(0, raw)) : raw;
    }

    /** Fits the scaling of one raw column (no shrinkage). */
    public static FeatureScaling fit(Feature.Kind kind, double[] rawColumn) {
        return fit(kind, rawColumn, null, null, 0, 0);
    }

    /**
     * Fits the scaling of one raw column; with a {@code counts} column (the stream's frequency), the column is a
     * product share shrunk toward {@code prior} by {@code priorEvents} pseudo-events.
     */
    public static FeatureScaling fit(Feature.Kind kind, double[] rawColumn, double[] counts, String countFeature,
                                     double prior, double priorEvents) {
        boolean log = isSkewed(kind);
        boolean shrink = counts != null && priorEvents > 0;
        double[] t = new double[rawColumn.length];
        int n = 0;
        for (int r = 0; r < rawColumn.length; r++) {
            double v = transform(rawColumn[r], log);
            if (shrink) v = shrink(v, counts[r], prior, priorEvents);
            if (!Double.isNaN(v)) t[n++] = v;
        }
        String cf = shrink ? countFeature : null;
        double pe = shrink ? priorEvents : 0, pr = shrink ? prior : 0;
        if (n == 0) return new FeatureScaling(log, 0, 1, 0, 0, cf, pr, pe);
        double low = 0, high = 0;
        if (isWinsorised(kind)) {
            double[] sorted = Arrays.copyOf(t, n);
            Arrays.sort(sorted);
            low = sorted[(int) Math.floor(WINSOR_TAIL * (n - 1))];
            high = sorted[(int) Math.ceil((1 - WINSOR_TAIL) * (n - 1))];
        }
        double sum = 0;
        for (int i = 0; i < n; i++) sum += clamp(t[i], low, high);
        double mean = sum / n;
        // imputed values sit on the mean and add nothing to the squared deviations
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double e = clamp(t[i], low, high) - mean;
            squares += e * e;
        }
        double sd = Math.sqrt(squares / rawColumn.length);
        return new FeatureScaling(log, mean, sd > 1e-12 && Double.isFinite(sd) ? sd : 1, low, high, cf, pr, pe);
    }

    private static double shrink(double share, double count, double prior, double priorEvents) {
        if (Double.isNaN(share)) return share;
        double c = Double.isFinite(count) && count > 0 ? count : 0;
        return (share * c + priorEvents * prior) / (c + priorEvents);
    }

    private static double clamp(double v, double low, double high) {
        return low < high ? Math.max(low, Math.min(high, v)) : v;
    }

    /** This scaling with another scale (pooled product shares). */
    public FeatureScaling withScale(double newScale) {
        return new FeatureScaling(log1p, mean, newScale, low, high, countFeature, prior, priorEvents);
    }

    /**
     * The standardised coordinate of a raw value, without shrinkage (a centre's mean share is already an average
     * over many events); 0 for a missing value.
     */
    public double apply(double raw) {
        double t = transform(raw, log1p);
        return Double.isNaN(t) ? 0 : (clamp(t, low, high) - mean) / scale;
    }

    /** The standardised coordinate of a raw value given the person's event count ({@code countFeature}'s value). */
    public double apply(double raw, double count) {
        double t = transform(raw, log1p);
        if (priorEvents > 0) t = shrink(t, count, prior, priorEvents);
        return Double.isNaN(t) ? 0 : (clamp(t, low, high) - mean) / scale;
    }

    /** Per feature, the column index of its {@code countFeature}, or -1 when it has none. */
    public static int[] countColumns(List<Feature> features, List<FeatureScaling> scalings) {
        int[] out = new int[scalings.size()];
        for (int f = 0; f < out.length; f++) {
            out[f] = -1;
            String name = scalings.get(f).countFeature();
            if (name == null) continue;
            for (int g = 0; g < features.size(); g++) if (features.get(g).name().equals(name)) out[f] = g;
            if (out[f] < 0) throw new IllegalArgumentException("scaling of " + features.get(f).name() + " needs " + name);
        }
        return out;
    }

    /** The standardised row of raw values: every feature's scaling, with its count column where it has one. */
    public static void standardiseRow(List<FeatureScaling> scalings, int[] countColumns, double[] raw, double[] out) {
        for (int f = 0; f < out.length; f++) {
            FeatureScaling s = scalings.get(f);
            out[f] = countColumns[f] < 0 ? s.apply(raw[f]) : s.apply(raw[f], raw[countColumns[f]]);
        }
    }
}
