package personae.core.trait;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import personae.core.persona.Feature;
import personae.core.persona.FeatureTable;

import personae.core.util.Csv;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/** Reads a dataset's traits.csv into clustering inputs, for chosen people only. */
public final class TraitFiles {

    private TraitFiles() {}

    /**
     * The {@code features} of {@code persons} (ascending person ids), one row per person in that order; a feature the
     * file lacks, or an empty cell, is NaN.
     */
    public static FeatureTable features(InputStream traitsCsv, List<Feature> features, int[] persons) {
        double[][] columns = new double[features.size()][persons.length];
        for (double[] c : columns) Arrays.fill(c, Double.NaN);
        try (CSVParser p = Csv.read(traitsCsv)) {
            int[] col = new int[features.size()];
            for (int f = 0; f < col.length; f++) col[f] = p.getHeaderMap().getOrDefault(features.get(f).name(), -1);
            int next = 0;
            for (CSVRecord r : p) {
                if (next >= persons.length) break;
                int person = Integer.parseInt(r.get(0));
                if (person != persons[next]) continue;
                for (int f = 0; f < col.length; f++) {
                    if (col[f] >= 0 && !r.get(col[f]).isEmpty()) columns[f][next] = Double.parseDouble(r.get(col[f]));
                }
                next++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FeatureTable(features, columns, persons.length);
    }
}
