package personae.core.persona;

import java.util.List;
import java.util.Objects;

/**
 * The clustering input: one row per person, one column per {@link Feature}, stored column-major so that a million
 * people cost one {@code double[]} per feature and no object per person. {@code NaN} marks a missing value.
 */
public record FeatureTable(List<Feature> features, double[][] columns, int rows) {

    public FeatureTable {
        features = List.copyOf(features);
        Objects.requireNonNull(columns);
        if (columns.length != features.size()) {
            throw new IllegalArgumentException(columns.length + " columns for " + features.size() + " features");
        }
        for (double[] c : columns) {
            if (c.length != rows) throw new IllegalArgumentException("column of " + c.length + " rows, expected " + rows);
        }
    }

    /** The value of feature {@code f} for row {@code r}. */
    public double get(int r, int f) {
        return columns[f][r];
    }

    /** Row {@code r} as a new array, in feature order. */
    public double[] row(int r) {
        double[] x = new double[columns.length];
        for (int f = 0; f < x.length; f++) x[f] = columns[f][r];
        return x;
    }

    /** Tables of the same features one under the other (people of several datasets). */
    public static FeatureTable concat(List<Feature> features, List<FeatureTable> parts) {
        if (parts.size() == 1) return parts.get(0);
        int rows = parts.stream().mapToInt(FeatureTable::rows).sum();
        double[][] cols = new double[features.size()][rows];
        int offset = 0;
        for (FeatureTable t : parts) {
            for (int f = 0; f < features.size(); f++) System.arraycopy(t.columns()[f], 0, cols[f], offset, t.rows());
            offset += t.rows();
        }
        return new FeatureTable(features, cols, rows);
    }

    /** The columns of {@code chosen} (features of this table), in that order; the arrays are shared, not copied. */
    public FeatureTable select(List<Feature> chosen) {
        double[][] cols = new double[chosen.size()][];
        for (int f = 0; f < cols.length; f++) {
            int at = features.indexOf(chosen.get(f));
            if (at < 0) throw new IllegalArgumentException("not a feature of this table: " + chosen.get(f).name());
            cols[f] = columns[at];
        }
        return new FeatureTable(chosen, cols, rows);
    }
}
