package personae.core.scope;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import personae.core.util.Csv;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * A scope's output CSV: one row per person of the population, the person's identity fields from the dataset, then the
 * payload: per persona set the persona id and name assigned to that person, per payload cohort a membership flag
 * ({@code true}/{@code false}), per attribute the person's value of that trait (empty when the dataset has none).
 */
public final class ScopeOutput implements AutoCloseable {

    /** A persona set in the payload: its id, and per persona index the persona id and name. */
    public record PersonaSetColumns(String personaSetId, List<String> personaIds, List<String> personaNames) {
        public String idColumn() {
            return "fdy_persona_set_" + personaSetId.replace('-', '_') + "_persona_id";
        }

        public String nameColumn() {
            return "fdy_persona_set_" + personaSetId.replace('-', '_') + "_persona_name";
        }
    }

    /** The membership flag column of a payload cohort. */
    public static String cohortColumn(String cohortId) {
        return "fdy_cohort_" + cohortId.replace('-', '_') + "_member";
    }

    private final List<String> identityColumns;
    private final List<PersonaSetColumns> personaSets;
    private final int cohorts;
    private final List<String> attributes;
    private final CSVPrinter out;
    private long rows;

    public ScopeOutput(List<String> identityColumns, List<PersonaSetColumns> personaSets, OutputStream os) {
        this(identityColumns, personaSets, List.of(), List.of(), os);
    }

    /**
     * @param cohortIds  the payload cohorts, in the flag columns' order
     * @param attributes the trait names of the attribute columns, in order (each its own column's name)
     */
    public ScopeOutput(List<String> identityColumns, List<PersonaSetColumns> personaSets, List<String> cohortIds,
                       List<String> attributes, OutputStream os) {
        this.identityColumns = List.copyOf(identityColumns);
        this.personaSets = List.copyOf(personaSets);
        this.cohorts = cohortIds.size();
        this.attributes = List.copyOf(attributes);
        this.out = Csv.write(os, header(identityColumns, personaSets, cohortIds, attributes));
    }

    /** The output's columns, in order. */
    public static List<String> header(List<String> identityColumns, List<PersonaSetColumns> personaSets,
                                      List<String> cohortIds, List<String> attributes) {
        List<String> header = new ArrayList<>(identityColumns);
        for (PersonaSetColumns p : personaSets) {
            header.add(p.idColumn());
            header.add(p.nameColumn());
        }
        for (String c : cohortIds) header.add(cohortColumn(c));
        header.addAll(attributes);
        return header;
    }

    /**
     * Writes the rows of one dataset's people.
     *
     * @param people      the dataset's people.csv
     * @param persons     person ids to write, ascending
     * @param assignments per persona set (payload order), the persona index of each person in {@code persons}
     */
    public void writeDataset(InputStream people, int[] persons, List<int[]> assignments) {
        writeDataset(people, null, persons, assignments, List.of());
    }

    /**
     * Writes the rows of one dataset's people, read in step with its traits.
     *
     * @param people      the dataset's people.csv
     * @param traits      the dataset's traits.csv (one row per person, ascending), or null without attributes
     * @param persons     person ids to write, ascending
     * @param assignments per persona set (payload order), the persona index of each person in {@code persons}
     * @param memberships per payload cohort (payload order), whether a person id of this dataset is a member
     */
    public void writeDataset(InputStream people, InputStream traits, int[] persons, List<int[]> assignments,
                             List<IntPredicate> memberships) {
        writeDataset(people, traits, persons, assignments, memberships, null);
    }

    /**
     * A person's values from their records in other datasets, for the cells their own dataset leaves empty: the
     * {@code row}-th person of {@code persons}, an identity column or attribute by index.
     */
    public interface Linked {
        String identity(int row, int column);

        String attribute(int row, int attribute);
    }

    /** As {@link #writeDataset(InputStream, InputStream, int[], List, List)}, empty cells filled from {@code linked}. */
    public void writeDataset(InputStream people, InputStream traits, int[] persons, List<int[]> assignments,
                             List<IntPredicate> memberships, Linked linked) {
        if (memberships.size() != cohorts) throw new IllegalArgumentException("one membership per payload cohort");
        CSVParser traitRows = null;
        try (CSVParser p = Csv.read(people)) {
            Map<String, Integer> cols = p.getHeaderMap();
            int[] idx = identityColumns.stream().mapToInt(c -> cols.getOrDefault(c, -1)).toArray();
            int[] attr = new int[attributes.size()];
            java.util.Arrays.fill(attr, -1);
            Iterator<CSVRecord> traitIt = null;
            if (traits != null && !attributes.isEmpty()) {
                traitRows = Csv.read(traits);
                Map<String, Integer> tcols = traitRows.getHeaderMap();
                for (int a = 0; a < attr.length; a++) attr[a] = tcols.getOrDefault(attributes.get(a), -1);
                traitIt = traitRows.iterator();
            }
            CSVRecord traitRow = null;
            int next = 0;
            for (CSVRecord r : p) {
                if (next >= persons.length) break;
                int person = Integer.parseInt(r.get(0));
                if (person != persons[next]) continue;
                for (int c = 0; c < idx.length; c++) {
                    String v = idx[c] < 0 ? "" : r.get(idx[c]);
                    if (v.isEmpty() && linked != null) v = orEmpty(linked.identity(next, c));
                    out.print(v);
                }
                for (int s = 0; s < personaSets.size(); s++) {
                    int persona = assignments.get(s)[next];
                    out.print(personaSets.get(s).personaIds().get(persona));
                    out.print(personaSets.get(s).personaNames().get(persona));
                }
                for (IntPredicate m : memberships) out.print(m.test(person) ? "true" : "false");
                if (!attributes.isEmpty()) {
                    while (traitIt != null && (traitRow == null || Integer.parseInt(traitRow.get(0)) < person)
                            && traitIt.hasNext()) {
                        traitRow = traitIt.next();
                    }
                    boolean mine = traitRow != null && Integer.parseInt(traitRow.get(0)) == person;
                    for (int a = 0; a < attr.length; a++) {
                        String v = mine && attr[a] >= 0 ? traitRow.get(attr[a]) : "";
                        if (v.isEmpty() && linked != null) v = orEmpty(linked.attribute(next, a));
                        out.print(v);
                    }
                }
                out.println();
                rows++;
                next++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (traitRows != null) {
                try {
                    traitRows.close();
                } catch (IOException ignored) {
                    // the rows are written; closing the input is best effort
                }
            }
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    public long rows() {
        return rows;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
