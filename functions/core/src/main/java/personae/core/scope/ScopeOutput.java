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
import java.util.List;
import java.util.Map;

/**
 * A scope's output CSV: one row per person of the population, the person's identity fields from the dataset, then,
 * per persona set of the payload, the persona id and name assigned to that person.
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

    private final List<String> identityColumns;
    private final List<PersonaSetColumns> personaSets;
    private final CSVPrinter out;
    private long rows;

    public ScopeOutput(List<String> identityColumns, List<PersonaSetColumns> personaSets, OutputStream os) {
        this.identityColumns = List.copyOf(identityColumns);
        this.personaSets = List.copyOf(personaSets);
        List<String> header = new ArrayList<>(identityColumns);
        for (PersonaSetColumns p : personaSets) {
            header.add(p.idColumn());
            header.add(p.nameColumn());
        }
        this.out = Csv.write(os, header);
    }

    /**
     * Writes the rows of one dataset's people.
     *
     * @param people      the dataset's people.csv
     * @param persons     person ids to write, ascending
     * @param assignments per persona set (payload order), the persona index of each person in {@code persons}
     */
    public void writeDataset(InputStream people, int[] persons, List<int[]> assignments) {
        try (CSVParser p = Csv.read(people)) {
            Map<String, Integer> cols = p.getHeaderMap();
            int[] idx = identityColumns.stream().mapToInt(c -> cols.getOrDefault(c, -1)).toArray();
            int next = 0;
            for (CSVRecord r : p) {
                if (next >= persons.length) break;
                if (Integer.parseInt(r.get(0)) != persons[next]) continue;
                for (int i : idx) out.print(i < 0 ? "" : r.get(i));
                for (int s = 0; s < personaSets.size(); s++) {
                    int persona = assignments.get(s)[next];
                    out.print(personaSets.get(s).personaIds().get(persona));
                    out.print(personaSets.get(s).personaNames().get(persona));
                }
                out.println();
                rows++;
                next++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
