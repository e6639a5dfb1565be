package personae.core.cohort;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import personae.core.util.Csv;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of people's records across datasets (a cohort's members): per dataset id, a bit per person id. One bit per
 * record, no objects; people/AccountPeople says which records are one person.
 */
public final class Members {

    private final Map<String, BitSet> byDataset = new TreeMap<>();

    /** Reads a members.csv ({@code dataset_id,person_id}). */
    public static Members read(InputStream in) {
        Members m = new Members();
        m.addAll(in);
        return m;
    }

    private void addAll(InputStream in) {
        try (CSVParser p = Csv.read(in)) {
            for (CSVRecord r : p) byDataset.computeIfAbsent(r.get(0), k -> new BitSet()).set(Integer.parseInt(r.get(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds one person of a dataset. */
    public void add(String datasetId, int person) {
        byDataset.computeIfAbsent(datasetId, k -> new BitSet()).set(person);
    }

    /** Writes a members.csv ({@code dataset_id,person_id}), in (dataset id, person id) order. */
    public void write(java.io.OutputStream out) {
        try (org.apache.commons.csv.CSVPrinter p = Csv.write(out, java.util.List.of("dataset_id", "person_id"))) {
            for (var e : byDataset.entrySet()) {
                BitSet bits = e.getValue();
                for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) p.printRecord(e.getKey(), i);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the first {@code n} people in (dataset id, person id) order. */
    public void limit(long n) {
        long left = n;
        for (BitSet bits : byDataset.values()) {
            int i = bits.nextSetBit(0);
            while (i >= 0) {
                if (left > 0) left--;
                else bits.clear(i);
                i = bits.nextSetBit(i + 1);
            }
        }
    }

    public long size() {
        return byDataset.values().stream().mapToLong(BitSet::cardinality).sum();
    }

    /** Dataset ids in order, each with its person ids ascending. */
    public Map<String, int[]> byDataset() {
        Map<String, int[]> out = new TreeMap<>();
        byDataset.forEach((d, bits) -> {
            if (!bits.isEmpty()) out.put(d, bits.stream().toArray());
        });
        return out;
    }
}
