package personae.core.analysis;

import personae.core.analysis.Bins.Binning;
import personae.core.analysis.Bins.NumberBinning;
import personae.core.analysis.Bins.TextBinning;
import personae.core.analysis.Bins.TraitBins;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The distribution of every trait of a population, and of groups within it (personas) with the same bins: what
 * {@code GET /v1/persona_sets/{id}/analysis/dimensions} and {@code GET /v1/traits/{id}/analysis/dimensions} show.
 */
public final class Dimensions {

    private Dimensions() {}

    /**
     * What a persona set's analysis holds: the cohort's bins of each trait, and each persona's counts in the same bins
     * (persona {@code i} is the model's persona {@code i}).
     */
    public record GroupDimensions(List<TraitBins> cohort, List<List<TraitBins>> personas) {}

    /**
     * @param table   the traits of every member
     * @param group   per row, its persona (0..k-1)
     * @param k       number of personas
     * @param leading trait names shown first (the clustering traits), in their order; the rest follow as in the table
     */
    public static GroupDimensions of(TraitTable table, int[] group, int k, List<String> leading) {
        List<String> order = new ArrayList<>();
        for (String t : leading) if ((table.numbers().containsKey(t) || table.texts().containsKey(t)) && !order.contains(t)) order.add(t);
        for (String t : table.numbers().keySet()) if (!order.contains(t)) order.add(t);
        for (String t : table.texts().keySet()) if (!order.contains(t)) order.add(t);
        List<TraitBins> cohort = new ArrayList<>();
        List<List<TraitBins>> personas = new ArrayList<>();
        for (int p = 0; p < k; p++) personas.add(new ArrayList<>());
        for (String trait : order) {
            double[] num = table.numbers().get(trait);
            String[] text = table.texts().get(trait);
            Binning binning = num != null ? NumberBinning.of(num) : TextBinning.of(Arrays.asList(text));
            int size = size(binning);
            long[] all = new long[size];
            long[][] byGroup = new long[k][size];
            for (int r = 0; r < table.rows(); r++) {
                int b = num != null ? ((NumberBinning) binning).bin(num[r]) : ((TextBinning) binning).bin(text[r]);
                if (b < 0) continue;
                all[b]++;
                byGroup[group[r]][b]++;
            }
            cohort.add(new TraitBins(trait, bins(binning, all)));
            for (int p = 0; p < k; p++) personas.get(p).add(new TraitBins(trait, bins(binning, byGroup[p])));
        }
        return new GroupDimensions(cohort, personas);
    }

    /** One trait's bins over a whole population (its numbers, or its text values). */
    public static TraitBins of(String trait, double[] numbers, List<String> texts) {
        Binning binning = numbers != null ? NumberBinning.of(numbers) : TextBinning.of(texts);
        long[] counts = new long[size(binning)];
        if (numbers != null) {
            for (double v : numbers) { int b = ((NumberBinning) binning).bin(v); if (b >= 0) counts[b]++; }
        } else {
            for (String v : texts) { int b = ((TextBinning) binning).bin(v); if (b >= 0) counts[b]++; }
        }
        return new TraitBins(trait, bins(binning, counts));
    }

    /** The cut points of a number trait over a population (the reference's {@code breaks}): the bins' edges. */
    public static double[] breaks(double[] numbers) {
        return NumberBinning.of(numbers).edges();
    }

    private static int size(Binning b) {
        return switch (b) {
            case NumberBinning n -> n.size();
            case TextBinning t -> t.size();
        };
    }

    private static List<Bins.Bin> bins(Binning b, long[] counts) {
        return switch (b) {
            case NumberBinning n -> n.bins(counts);
            case TextBinning t -> t.bins(counts);
        };
    }
}
