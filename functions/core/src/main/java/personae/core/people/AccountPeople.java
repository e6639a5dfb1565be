package personae.core.people;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import personae.core.cohort.Members;
import personae.core.util.Csv;
import personae.core.util.LongIntHashMap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The people of an account: each dataset resolves its own rows to people (ingest/DatasetIngestor), and the identity
 * keys they carry (normalised email, phone, name + address, reference key: its {@code identity_keys.csv}) link them
 * across datasets: a key two datasets share is one person. So a CRM table and an orders file about the same customers
 * are one person each, whose traits and identity fields come from both.
 *
 * <p>A dataset's person is a <em>record</em>; a person is the set of records linked by a key. Datasets are taken in
 * id order, so a person's <em>first record</em> (its representative: the record in the first dataset, the smallest
 * person id there) and the numbering of people do not depend on the order anything was uploaded or built. Values
 * two records disagree on are taken from the first record that has one (see {@link #records}).
 *
 * <p>Memory: an {@code int} per record and per person, a hash entry per distinct key; no object per person.
 */
public final class AccountPeople {

    /** A dataset's records: its id, its person count, and its identity keys (null when its build wrote none). */
    public record Dataset(String id, int people, InputStream keys) {}

    private final List<String> datasets;
    private final Map<String, Integer> indexOf;
    private final int[] offset;        // per dataset, its first record's index; offset[datasets] = records
    private final int[] personOfRecord;
    private final int[] start;         // per person, where its records start in recordsOfPerson
    private final int[] recordsOfPerson;
    private final long sharedKeys;

    private AccountPeople(List<String> datasets, int[] offset, int[] personOfRecord, int[] start, int[] records,
                          long sharedKeys) {
        this.datasets = List.copyOf(datasets);
        this.indexOf = new java.util.HashMap<>();
        for (int i = 0; i < datasets.size(); i++) indexOf.put(datasets.get(i), i);
        this.offset = offset;
        this.personOfRecord = personOfRecord;
        this.start = start;
        this.recordsOfPerson = records;
        this.sharedKeys = sharedKeys;
    }

    /** Links the datasets' records by the keys they share. Reads (and closes) every keys stream once. */
    public static AccountPeople link(List<Dataset> in) {
        List<Dataset> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparing(Dataset::id));
        int[] offset = new int[sorted.size() + 1];
        for (int d = 0; d < sorted.size(); d++) offset[d + 1] = offset[d] + sorted.get(d).people();
        int n = offset[sorted.size()];
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        LongIntHashMap recordOfKey = new LongIntHashMap();
        long shared = 0;
        for (int d = 0; d < sorted.size(); d++) {
            Dataset ds = sorted.get(d);
            if (ds.keys() == null) continue;
            try (CSVParser p = Csv.read(ds.keys())) {
                for (CSVRecord r : p) {
                    int local = Integer.parseInt(r.get(0));
                    if (local < 0 || local >= ds.people()) continue; // a keys file newer than the count read: ignore
                    int record = offset[d] + local;
                    long key = Long.parseLong(r.get(1));
                    int other = recordOfKey.get(key);
                    if (other == LongIntHashMap.ABSENT) {
                        recordOfKey.put(key, record);
                    } else if (union(parent, other, record)) {
                        shared++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // the root of a person is its smallest record (union keeps the smaller root), so people numbered in record
        // order are numbered by their first record
        int[] personOfRecord = new int[n];
        int people = 0;
        for (int i = 0; i < n; i++) {
            int root = find(parent, i);
            personOfRecord[i] = root == i ? people++ : personOfRecord[root];
        }
        int[] start = new int[people + 1];
        for (int p : personOfRecord) start[p + 1]++;
        for (int p = 0; p < people; p++) start[p + 1] += start[p];
        int[] fill = Arrays.copyOf(start, people);
        int[] records = new int[n];
        for (int i = 0; i < n; i++) records[fill[personOfRecord[i]]++] = i; // ascending within each person
        return new AccountPeople(sorted.stream().map(Dataset::id).toList(), offset, personOfRecord, start, records,
                shared);
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    /** Unions two records' people; true when they were two. */
    private static boolean union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra == rb) return false;
        if (ra < rb) parent[rb] = ra;
        else parent[ra] = rb;
        return true;
    }

    /** The linked datasets' ids, in id order. */
    public List<String> datasets() {
        return datasets;
    }

    /** How many people the account has (each counted once, however many datasets hold them). */
    public int people() {
        return start.length - 1;
    }

    /** How many records the datasets hold together. */
    public int records() {
        return personOfRecord.length;
    }

    /** How many times a key joined two people into one (records linked across or within datasets). */
    public long links() {
        return sharedKeys;
    }

    /** The person of a dataset's person id, or -1 when that dataset is not linked here or the id is out of range. */
    public int person(String datasetId, int local) {
        Integer d = indexOf.get(datasetId);
        if (d == null || local < 0 || local >= offset[d + 1] - offset[d]) return -1;
        return personOfRecord[offset[d] + local];
    }

    /** A person's records, first record first: per record, its dataset (an index into {@link #datasets}) and id. */
    public void records(int person, RecordVisitor visitor) {
        for (int i = start[person]; i < start[person + 1]; i++) {
            int record = recordsOfPerson[i];
            int d = datasetOfRecord(record);
            visitor.visit(d, record - offset[d]);
        }
    }

    /** Receives one record of a person. */
    @FunctionalInterface
    public interface RecordVisitor {
        void visit(int datasetIndex, int personId);
    }

    /** The person's first record in a dataset (its smallest person id there), or -1 when it has none there. */
    public int recordIn(int person, int datasetIndex) {
        for (int i = start[person]; i < start[person + 1]; i++) {
            int record = recordsOfPerson[i];
            if (record >= offset[datasetIndex] && record < offset[datasetIndex + 1]) return record - offset[datasetIndex];
        }
        return -1;
    }

    /**
     * Where rows of people, given by one record each ({@code rows}: dataset after dataset, person ids ascending, as
     * {@code Members.byDataset} lists them), have a record in dataset {@code datasetId}: per such row its person id
     * there (the row's own record when the row is of that dataset and {@code includeOwn}, else the person's first record
     * there) and the row's index, packed {@code id << 32 | row}, sorted by id: a per-person file of that dataset can
     * then be read once, in order, to join it.
     */
    public long[] rowsIn(Map<String, int[]> rows, String datasetId, boolean includeOwn) {
        int d = datasetIndex(datasetId);
        int total = rows.values().stream().mapToInt(a -> a.length).sum();
        long[] pairs = new long[total];
        int n = 0, row = 0;
        for (var e : rows.entrySet()) {
            boolean own = e.getKey().equals(datasetId);
            for (int id : e.getValue()) {
                int there = own ? (includeOwn ? id : -1) : -1;
                if (!own && d >= 0) {
                    int p = person(e.getKey(), id);
                    if (p >= 0) there = recordIn(p, d);
                }
                if (there >= 0) pairs[n++] = ((long) there << 32) | row;
                row++;
            }
        }
        Arrays.sort(pairs, 0, n);
        return Arrays.copyOf(pairs, n);
    }

    /** The person id of a {@link #rowsIn} pair. */
    public static int idOf(long pair) {
        return (int) (pair >>> 32);
    }

    /** The row of a {@link #rowsIn} pair. */
    public static int rowOf(long pair) {
        return (int) pair;
    }

    /** The index of a dataset in {@link #datasets}, or -1. */
    public int datasetIndex(String datasetId) {
        return indexOf.getOrDefault(datasetId, -1);
    }

    /** The people of {@code persons}, each by their first record. */
    public Members firstRecords(java.util.BitSet persons) {
        Members out = new Members();
        for (int p = persons.nextSetBit(0); p >= 0; p = persons.nextSetBit(p + 1)) {
            int record = recordsOfPerson[start[p]];
            int d = datasetOfRecord(record);
            out.add(datasets.get(d), record - offset[d]);
        }
        return out;
    }

    /** Per dataset (in {@link #datasets}' order), how many of {@code persons} have a record there. */
    public long[] recordsPerDataset(java.util.BitSet persons) {
        long[] held = new long[datasets.size()];
        int[] seen = new int[datasets.size()];
        Arrays.fill(seen, -1);
        for (int p = persons.nextSetBit(0); p >= 0; p = persons.nextSetBit(p + 1)) {
            for (int i = start[p]; i < start[p + 1]; i++) {
                int d = datasetOfRecord(recordsOfPerson[i]);
                if (seen[d] != p) {
                    seen[d] = p;
                    held[d]++;
                }
            }
        }
        return held;
    }

    /** The people some record of which is in {@code members}, a bit per person. */
    public java.util.BitSet persons(Members members) {
        java.util.BitSet out = new java.util.BitSet(people());
        members.byDataset().forEach((ds, ids) -> {
            for (int id : ids) {
                int p = person(ds, id);
                if (p >= 0) out.set(p);
            }
        });
        return out;
    }

    private int datasetOfRecord(int record) {
        int d = Arrays.binarySearch(offset, record);
        if (d >= 0) {
            while (d + 1 < offset.length && offset[d + 1] == record) d++; // skip datasets without people
            return d;
        }
        return -d - 2;
    }
}
