package personae.core.analysis;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import personae.core.persona.Feature;
import personae.core.trait.TraitEnricher.TraitColumns;
import personae.core.util.Csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every trait of some people, column by column: numbers (the behavioural and numeric first-party traits) and text (a
 * first-party text trait; a category trait's {@code <trait>=<value>} features are read as its one text column).
 * Rows follow the people given, dataset after dataset.
 */
public final class TraitTable {

    private final Map<String, double[]> numbers = new LinkedHashMap<>();
    private final Map<String, String[]> texts = new LinkedHashMap<>();
    private int rows;

    /** The traits a dataset's traits.json lists, by name: numbers first, then text traits. */
    public static List<String> numberTraits(TraitColumns columns) {
        return columns.features().stream().filter(f -> f.kind() != Feature.Kind.CATEGORY).map(Feature::name).toList();
    }

    public static List<String> textTraits(TraitColumns columns) {
        List<String> numeric = columns.features().stream().map(Feature::name).toList();
        return columns.columns().stream().filter(c -> !numeric.contains(c)).toList();
    }

    /** A table of no one yet, with the given trait names (missing for everyone until rows are added). */
    public TraitTable(List<String> numberTraits, List<String> textTraits) {
        for (String n : numberTraits) numbers.put(n, new double[0]);
        for (String t : textTraits) if (!numbers.containsKey(t)) texts.put(t, new String[0]);
    }

    public int rows() {
        return rows;
    }

    public Map<String, double[]> numbers() {
        return numbers;
    }

    public Map<String, String[]> texts() {
        return texts;
    }

    /**
     * Appends the rows of {@code persons} (ascending) from one dataset's traits.csv; a trait the file lacks is missing
     * for them. Text values are shared per column (one String per distinct value, not per person).
     */
    public void append(InputStream traitsCsv, int[] persons) {
        int start = rows;
        int n = persons.length;
        numbers.replaceAll((k, v) -> grow(v, start + n));
        texts.replaceAll((k, v) -> Arrays.copyOf(v, start + n));
        rows = start + n;
        long[] pairs = new long[n];
        for (int i = 0; i < n; i++) pairs[i] = ((long) persons[i] << 32) | (start + i);
        fill(traitsCsv, pairs);
    }

    /**
     * Fills the missing cells of existing rows from a dataset's traits.csv: per pair {@code id << 32 | row}, sorted by
     * id (people/AccountPeople.rowsIn), the row takes that person's values where it has none yet.
     */
    public void fill(InputStream traitsCsv, long[] pairs) {
        try (CSVParser p = Csv.read(traitsCsv)) {
            Map<String, Integer> header = p.getHeaderMap();
            List<double[]> numCols = new ArrayList<>();
            List<Integer> numIdx = new ArrayList<>();
            numbers.forEach((name, col) -> {
                Integer i = header.get(name);
                if (i != null) { numCols.add(col); numIdx.add(i); }
            });
            List<String[]> textCols = new ArrayList<>();
            List<Integer> textIdx = new ArrayList<>();
            List<Map<String, String>> dictionaries = new ArrayList<>();
            texts.forEach((name, col) -> {
                Integer i = header.get(name);
                if (i != null) { textCols.add(col); textIdx.add(i); dictionaries.add(new HashMap<>()); }
            });
            int next = 0;
            for (CSVRecord r : p) {
                if (next >= pairs.length) break;
                int person = Integer.parseInt(r.get(0));
                while (next < pairs.length && (int) (pairs[next] >>> 32) < person) next++;
                while (next < pairs.length && (int) (pairs[next] >>> 32) == person) {
                    int row = (int) pairs[next++];
                    for (int c = 0; c < numCols.size(); c++) {
                        String s = r.get(numIdx.get(c));
                        if (!s.isEmpty() && Double.isNaN(numCols.get(c)[row])) numCols.get(c)[row] = Double.parseDouble(s);
                    }
                    for (int c = 0; c < textCols.size(); c++) {
                        String s = r.get(textIdx.get(c));
                        if (!s.isEmpty() && textCols.get(c)[row] == null) {
                            textCols.get(c)[row] = dictionaries.get(c).computeIfAbsent(s, x -> x);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] grow(double[] a, int size) {
        double[] b = Arrays.copyOf(a, size);
        Arrays.fill(b, a.length, size, Double.NaN);
        return b;
    }
}
