package personae.core.persona;

/**
 * How one feature's raw value becomes a clustering coordinate: an optional {@code log1p} (negatives clamped to 0),
 * then a z-score. A missing value ({@code NaN} or infinite) is imputed with the transformed column mean, so it lands
 * exactly on 0.
 *
 * @param log1p whether the raw value goes through {@code log1p(max(0, x))} first
 * @param mean  mean of the transformed column over the fitted rows (also the imputation value)
 * @param scale standard deviation of the transformed column, or 1 when the column is constant
 */
public record FeatureScaling(boolean log1p, double mean, double scale) {

    public FeatureScaling {
        if (!Double.isFinite(mean)) throw new IllegalArgumentException("mean must be finite: " + mean);
        if (!(scale > 0) || !Double.isFinite(scale)) throw new IllegalArgumentException("scale must be positive: " + scale);
    }

    /** Whether a feature of this kind is log-transformed: the counts, money and day spans, which are right-skewed. */
    public static boolean isSkewed(Feature.Kind kind) {
        return switch (kind) {
            case FREQUENCY, TOTAL_VALUE, AVERAGE_VALUE, TENURE_DAYS, RECENCY_DAYS -> true;
            case PRODUCT_SHARE, USER_DEFINED, CATEGORY -> false;
        };
    }

    /** The transformed value before standardisation, or {@code NaN} when the raw value is missing. */
    public static double transform(double raw, boolean log1p) {
        if (!Double.isFinite(raw)) return Double.NaN;
        return log1p ? Math.log1p(Math.max(0, raw)) : raw;
    }

    /** Fits the scaling of one raw column. */
    public static FeatureScaling fit(Feature.Kind kind, double[] rawColumn) {
        boolean log = isSkewed(kind);
        double sum = 0;
        long n = 0;
        for (double raw : rawColumn) {
            double t = transform(raw, log);
            if (!Double.isNaN(t)) { sum += t; n++; }
        }
        if (n == 0) return new FeatureScaling(log, 0, 1);
        double mean = sum / n;
        // imputed values sit on the mean and add nothing to the squared deviations
        double squares = 0;
        for (double raw : rawColumn) {
            double t = transform(raw, log);
            if (!Double.isNaN(t)) squares += (t - mean) * (t - mean);
        }
        double sd = Math.sqrt(squares / rawColumn.length);
        return new FeatureScaling(log, mean, sd > 1e-12 && Double.isFinite(sd) ? sd : 1);
    }

    /** The standardised coordinate of a raw value; 0 for a missing value. */
    public double apply(double raw) {
        double t = transform(raw, log1p);
        return Double.isNaN(t) ? 0 : (t - mean) / scale;
    }
}
