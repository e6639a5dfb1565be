package personae.core.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bins of a trait's distribution, as the reference's {@code AnalysisDimensionsTraitBin}: a number trait in up to
 * {@value #MAX_NUMBER_BINS} ranges of about equal population ({@code min} inclusive, {@code max} exclusive, the last
 * open-ended), a text trait in one bin per value (the {@value #MAX_TEXT_BINS} most common; the rest together in one
 * {@value #OTHER} bin). A binning is decided once, on a reference population (the cohort, or the account's people),
 * and then counts any subset of it (a persona) with the same edges, so the two can be compared bin by bin. Missing
 * values are in no bin; {@code percent} is a bin's share of the counted people, 0 to 100.
 */
public final class Bins {

    public static final int MAX_NUMBER_BINS = 10;
    public static final int MAX_TEXT_BINS = 20;
    /** The text bin of every value beyond the {@value #MAX_TEXT_BINS} most common. */
    public static final String OTHER = "(other values)";

    private Bins() {}

    /** One bin: {@code data_type} {@code number} ({@code min}, {@code max} or null) or {@code text} ({@code value}). */
    public record Bin(String dataType, Double min, Double max, String value, long count, double percent) {}

    /** One trait's bins ({@code AnalysisDimensionsTrait}). */
    public record TraitBins(String traitName, List<Bin> bins) {}

    /** A way to put values into bins, fixed on a reference population. */
    public sealed interface Binning permits NumberBinning, TextBinning {}

    /**
     * Edges for numbers: the lowest value, then the values at every tenth of the sorted population, rounded to two
     * significant digits (bins must have readable bounds), without repeats. A value is in the last bin whose edge it
     * reaches.
     */
    public record NumberBinning(double[] edges) implements Binning {

        public static NumberBinning of(double[] values) {
            double[] sorted = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
            if (sorted.length == 0) return new NumberBinning(new double[0]);
            List<Double> edges = new ArrayList<>();
            edges.add(sorted[0]);
            for (int i = 1; i < MAX_NUMBER_BINS; i++) {
                double q = round2(sorted[(int) ((long) i * sorted.length / MAX_NUMBER_BINS)]);
                if (q > edges.get(edges.size() - 1) && q <= sorted[sorted.length - 1]) edges.add(q);
            }
            return new NumberBinning(edges.stream().mapToDouble(Double::doubleValue).toArray());
        }

        /** The bin of {@code v}, or -1 when it is missing. */
        public int bin(double v) {
            if (!Double.isFinite(v) || edges.length == 0) return -1;
            int i = Arrays.binarySearch(edges, v);
            if (i >= 0) return i;
            return Math.max(0, -i - 2); // below the lowest edge (not in the reference population): the first bin
        }

        public int size() {
            return edges.length;
        }

        /** The bins with their counts. */
        public List<Bin> bins(long[] counts) {
            long total = Arrays.stream(counts).sum();
            List<Bin> out = new ArrayList<>();
            for (int i = 0; i < edges.length; i++) {
                out.add(new Bin("number", edges[i], i + 1 < edges.length ? edges[i + 1] : null, null, counts[i],
                        percent(counts[i], total)));
            }
            return out;
        }
    }

    /** Values for text: the most common ones by count (then by value), the rest as {@value #OTHER}. */
    public record TextBinning(List<String> values, Map<String, Integer> index, boolean hasOther) implements Binning {

        public static TextBinning of(Iterable<String> cells) {
            Map<String, Long> counts = new HashMap<>();
            for (String c : cells) if (c != null && !c.isEmpty()) counts.merge(c, 1L, Long::sum);
            List<String> values = counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(MAX_TEXT_BINS).map(Map.Entry::getKey).toList();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < values.size(); i++) index.put(values.get(i), i);
            return new TextBinning(values, index, counts.size() > values.size());
        }

        public int bin(String v) {
            if (v == null || v.isEmpty()) return -1;
            Integer i = index.get(v);
            return i != null ? i : hasOther ? values.size() : -1;
        }

        public int size() {
            return values.size() + (hasOther ? 1 : 0);
        }

        public List<Bin> bins(long[] counts) {
            long total = Arrays.stream(counts).sum();
            List<Bin> out = new ArrayList<>();
            for (int i = 0; i < size(); i++) {
                out.add(new Bin("text", null, null, i < values.size() ? values.get(i) : OTHER, counts[i],
                        percent(counts[i], total)));
            }
            return out;
        }
    }

    static double percent(long count, long total) {
        return total == 0 ? 0 : Math.round(10_000.0 * count / total) / 100.0;
    }

    /** {@code x} to two significant digits. */
    static double round2(double x) {
        if (x == 0 || !Double.isFinite(x)) return x;
        double scale = Math.pow(10, 1 - (int) Math.floor(Math.log10(Math.abs(x))));
        return Math.round(x * scale) / scale;
    }
}
