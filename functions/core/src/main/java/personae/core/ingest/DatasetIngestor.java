package personae.core.ingest;

import org.apache.commons.csv.CSVPrinter;
import personae.core.ingest.DatasetSpec.IdentitySet;
import personae.core.ingest.DatasetSpec.Property;
import personae.core.ingest.DatasetSpec.StreamSpec;
import personae.core.ingest.DatasetSpec.TraitSpec;
import personae.core.util.Csv;
import personae.core.util.Dictionary;
import personae.core.util.GrowableDoubles;
import personae.core.util.GrowableInts;
import personae.core.util.GrowableLongs;
import personae.core.util.LongHashSet;
import personae.core.util.LongIntHashMap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Ingestion and identity resolution in one streaming pass over a dataset's files: rows are checked, de-duplicated,
 * resolved to people (union of the identity keys each identity set carries on a row: email, phone, name + address;
 * each set is one person; a row's reference keys, such as a customer id, belong to the row's first identified person
 * or are the person) and split into stream events and first-party traits. Rows are never held as objects: events are kept as primitive columns and
 * written grouped by person.
 */
public final class DatasetIngestor {

    /**
     * A file to read: its display name (directory/file), how to open it, and, with an {@code incremental_column}, the
     * high-water mark in force when the file was first ingested (rows at or below it are skipped; NaN: none).
     */
    public record SourceFile(String name, Supplier<InputStream> open, double olderThan) {
        public SourceFile(String name, Supplier<InputStream> open) {
            this(name, open, Double.NaN);
        }
    }

    /** How many rows a {@code preview} dataset reads, over all its files, to detect its columns. */
    public static final int PREVIEW_ROWS = 1000;

    /**
     * Counts for the dataset resource, plus the manifest written beside the data. Every row read is kept or dropped
     * for exactly one reason: {@code rowCount == keptRows + duplicateRows + supersededRows + olderRows +
     * unidentifiedRows}.
     *
     * @param rowCount         data rows read (duplicates included; a preview counts the rows it read)
     * @param duplicateRows    rows dropped as an exact repeat of an earlier row
     * @param supersededRows   rows dropped because a newer row has the same {@code upsert_columns} key
     * @param olderRows        rows dropped because, in a file ingested after others, their {@code incremental_column}
     *                         is not newer than the high-water mark of what was ingested before
     * @param unidentifiedRows rows dropped because no identity set and no reference key identifies anyone on them
     * @param highWater        the largest {@code incremental_column} value of a kept row (NaN: none, or no column)
     */
    public record Result(long rowCount, long duplicateRows, long supersededRows, long olderRows, long unidentifiedRows,
                         double highWater, DatasetManifest manifest, List<DetectedColumn> detectedColumns) {
        public long keptRows() {
            return rowCount - duplicateRows - supersededRows - olderRows - unidentifiedRows;
        }
    }

    /** DatasetColumn: a header column with its inferred type and fill rate. */
    public record DetectedColumn(String name, String dataType, boolean nullable, double fillRate) {}

    private final DatasetSpec spec;
    private final Function<String, OutputStream> output;

    // identity resolution
    // (nodes by 64-bit key, see Identity.emailKey: a String-keyed map held ~170 bytes a key, 500 MB at a million
    // people; the two caches only save re-hashing repeated cells, so they are bounded)
    private static final int CACHE_LIMIT = 200_000;
    private final LongIntHashMap nodeOfKey = new LongIntHashMap();
    private final GrowableInts parent = new GrowableInts();
    private final personae.core.util.GrowableLongs keyOfNode = new personae.core.util.GrowableLongs();
    // per node, its identity fields packed into one String (see pack): one object, not an array of eight
    private final List<String> identityOfNode = new ArrayList<>();
    private final Map<String, Long> emailKeys = new HashMap<>();
    private final Map<String, Long> addressKeys = new HashMap<>();
    private final long[] rowKeys = new long[4];
    private final List<String> identityColumns;
    private final List<String> referenceKeys;
    private final int[] referenceField; // per reference key column, its index in identityColumns
    private final LongHashSet seenRows = new LongHashSet();

    // per stream and trait, one entry per kept row
    private final List<StreamColumns> streams = new ArrayList<>();
    private final List<TraitColumns> traits = new ArrayList<>();

    // detected columns
    private final Map<String, ColumnStats> columnStats = new LinkedHashMap<>();
    private long read;
    private long rows; // distinct rows
    private long duplicates;
    private long unidentified;
    private long superseded;
    private long older;
    private double highWater = Double.NaN;
    // upsert_columns: per key hash, the sequence number (over all rows, in file order) of its newest row
    private final LongIntHashMap newestOfKey = new LongIntHashMap();
    private int sequence;
    private double olderThan = Double.NaN; // the current file's incremental high-water mark
    // a reference table: its keys, in first-seen order (a trait column's "node" is the key's index)
    private final Map<String, Integer> referenceKeyIndex = new HashMap<>();
    private final List<String> referenceKeysSeen = new ArrayList<>();
    // a dataset of people: the reference tables whose traits its people take, and each person's identity fields
    private List<ReferenceTable> joins = List.of();
    private String[] personIdentity = new String[0];

    /**
     * @param output opens a blob for writing by a name relative to the dataset's data folder ("people.csv",
     *               "streams/orders.csv"...), see {@link personae.core.pipeline.Keys}
     */
    public DatasetIngestor(DatasetSpec spec, Function<String, OutputStream> output) {
        this.spec = spec;
        this.output = output;
        List<String> mapped = new ArrayList<>();
        for (String f : Identity.FIELDS) {
            if (spec.identitySets().stream().anyMatch(s -> s.columns().containsKey(f))) mapped.add(f);
        }
        this.referenceKeys = spec.referenceKeyColumns();
        this.referenceField = new int[referenceKeys.size()];
        for (int i = 0; i < referenceKeys.size(); i++) {
            if (!mapped.contains(referenceKeys.get(i))) mapped.add(referenceKeys.get(i));
            referenceField[i] = mapped.indexOf(referenceKeys.get(i));
        }
        this.identityColumns = List.copyOf(mapped);
        for (StreamSpec s : spec.streams()) streams.add(new StreamColumns(s));
        for (TraitSpec t : spec.traits()) traits.add(new TraitColumns(t));
    }

    /**
     * The reference tables whose traits this dataset's people take (by their postcode, state or email), after their
     * own first-party traits. A trait name the dataset maps itself fails the build, naming both.
     */
    public DatasetIngestor joining(List<ReferenceTable> tables) {
        for (ReferenceTable t : tables) {
            for (String name : t.traits()) {
                if (spec.traits().stream().anyMatch(own -> own.name().equals(name))) {
                    throw new personae.core.Problem(personae.core.Problem.Kind.INVALID, "trait '" + name + "' is both "
                            + "mapped by this dataset and given by a reference table (by " + t.by() + "): rename one of them");
                }
            }
        }
        this.joins = List.copyOf(tables);
        return this;
    }

    /** The reference table's distinct keys (0 for a dataset of people). */
    public int referenceKeys() {
        return referenceKeysSeen.size();
    }

    /** Reads every file, resolves identities and writes people, events and first-party traits. */
    public Result ingest(List<SourceFile> files) {
        if (spec.preview()) {
            preview(files);
        } else {
            if (!spec.upsertColumns().isEmpty()) {
                // the newest row of each key is known only once every file is read: a first pass finds it
                for (SourceFile f : files) readFile(f, this::markNewest);
                sequence = 0;
            }
            for (SourceFile f : files) readFile(f, this::accept);
        }
        int[] personOfNode = compact();
        int people = 0;
        for (int p : personOfNode) people = Math.max(people, p + 1);
        writePeople(personOfNode, people);
        if (spec.referenceTable() == null) writeIdentityKeys(personOfNode, people);
        Map<String, DatasetManifest.StreamInfo> infos = new LinkedHashMap<>();
        for (StreamColumns s : streams) infos.put(s.spec.name(), s.write(personOfNode, people));
        writeTraits(personOfNode, people);
        if (spec.referenceTable() != null) writeReferenceTable();
        // a reference table's traits belong to the people of the datasets that join it, not to its (no) people
        List<String> traitNames = new ArrayList<>(spec.referenceTable() != null ? List.of()
                : spec.traits().stream().map(TraitSpec::name).toList());
        for (ReferenceTable t : joins) traitNames.addAll(t.traits());
        DatasetManifest manifest = new DatasetManifest(people, identityColumns, infos, List.copyOf(traitNames),
                spec.referenceTable() == null);
        List<DetectedColumn> detected = new ArrayList<>();
        // fill rates over the rows observed: duplicates are skipped before any cell is observed
        columnStats.forEach((name, st) -> detected.add(st.describe(name, rows)));
        return new Result(read, duplicates, superseded, older, unidentified, highWater, manifest, detected);
    }

    /**
     * Column detection only: the first {@link #PREVIEW_ROWS} rows are observed and nobody is resolved, so the outputs
     * are empty (0 people).
     */
    private void preview(List<SourceFile> files) {
        for (SourceFile f : files) {
            if (read >= PREVIEW_ROWS) break;
            try {
                readFile(f, (file, row) -> {
                    if (read >= PREVIEW_ROWS) throw new EnoughRows();
                    read++;
                    rows++;
                    String[] v = row.values();
                    for (int i = 0; i < v.length; i++) statsByPosition[i].observe(v[i]);
                });
            } catch (EnoughRows enough) {
                // the preview has its rows
            }
        }
    }

    private static final class EnoughRows extends RuntimeException {
        EnoughRows() {
            super(null, null, false, false);
        }
    }

    /** A reference table's row: its key's trait values (a row without a valid key identifies nothing). */
    private void acceptReferenceRow(String[] v) {
        String key = ReferenceTable.key(spec.referenceTable().by(), cell(v, spec.referenceTable().column()));
        if (key == null) {
            unidentified++;
            return;
        }
        Integer index = referenceKeyIndex.get(key);
        if (index == null) {
            index = referenceKeysSeen.size();
            referenceKeyIndex.put(key, index);
            referenceKeysSeen.add(key);
        }
        for (TraitColumns t : traits) t.accept(v, index);
    }

    /** reference.csv: each key with its traits' last values. */
    private void writeReferenceTable() {
        Map<String, String[]> rows = new HashMap<>();
        for (String key : referenceKeysSeen) rows.put(key, new String[traits.size()]);
        for (int t = 0; t < traits.size(); t++) {
            TraitColumns tc = traits.get(t);
            for (int i = 0; i < tc.node.size(); i++) {
                int code = tc.value.get(i);
                if (code >= 0) rows.get(referenceKeysSeen.get(tc.node.get(i)))[t] = tc.dictionary.value(code);
            }
        }
        ReferenceTable table = new ReferenceTable(spec.referenceTable().by(),
                spec.traits().stream().map(TraitSpec::name).toList(), rows);
        try (OutputStream out = output.apply(personae.core.pipeline.Keys.REFERENCE_TABLE)) {
            table.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** First pass with upsert_columns: the sequence number of each key's newest (last read) row. */
    private void markNewest(String file, CsvFiles.Row row) {
        int at = sequence++;
        if (incremental(file, row) <= olderThan) return; // false for NaN: no mark, or no value
        newestOfKey.put(upsertKey(row.values()), at);
    }

    /** The row's upsert_columns values, hashed as {@link #hash} hashes a whole row. */
    private long upsertKey(String[] v) {
        List<String> columns = spec.upsertColumns();
        String[] key = new String[columns.size()];
        for (int i = 0; i < key.length; i++) key[i] = cell(v, columns.get(i));
        return hash(key);
    }

    /**
     * The row's incremental_column value ({@link #incrementalValue}), or NaN without the column or with an empty cell
     * (nothing to compare: the row is kept). A row of a file whose mark it does not beat is skipped.
     */
    private double incremental(String file, CsvFiles.Row row) {
        if (spec.incrementalColumn() == null) return Double.NaN;
        String raw = cell(row.values(), spec.incrementalColumn());
        if (raw.isEmpty()) return Double.NaN;
        try {
            return incrementalValue(raw);
        } catch (ValueFormat.FormatException e) {
            throw new CsvProblem(file, row.line(), spec.incrementalColumn(), "incremental_column needs a date or a "
                    + "number: " + e.getMessage());
        }
    }

    private String incrementalFormat;

    /** A plain number as it is; otherwise a date (in the format a stream maps the column with, else ISO-8601), in epoch seconds. */
    private double incrementalValue(String raw) {
        String s = raw.trim();
        if (!s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-') && s.chars().allMatch(
                c -> Character.isDigit(c) || c == '.' || c == '-') && s.indexOf('-', 1) < 0) {
            return Double.parseDouble(s);
        }
        if (incrementalFormat == null) {
            incrementalFormat = spec.streams().stream().flatMap(st -> st.properties().stream())
                    .filter(p -> p.column().equals(spec.incrementalColumn()) && ValueFormat.isDate(p.format()))
                    .map(Property::format).findFirst().orElse("date_iso8601");
        }
        return ValueFormat.epochSeconds(s, incrementalFormat);
    }

    private void readFile(SourceFile file, java.util.function.BiConsumer<String, CsvFiles.Row> each) {
        olderThan = file.olderThan();
        Map<String, String> refs = spec.referencedColumns();
        try (InputStream in = CsvFiles.decoded(file.name(), file.open().get())) {
            CsvFiles.read(file.name(), in, spec.delimiter(), spec.headerRow(), header -> {
                for (var e : refs.entrySet()) {
                    if (!header.contains(e.getKey())) {
                        throw new CsvProblem(file.name(), spec.headerRow() == null ? 1 : 0, e.getKey(),
                                "column named by " + e.getValue() + " is not in the header (columns: "
                                        + String.join(", ", header) + ")");
                    }
                }
                for (String h : header) columnStats.computeIfAbsent(h, k -> new ColumnStats());
                bind(header);
            }, row -> each.accept(file.name(), row));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // column positions for the current file
    private Map<String, Integer> position = Map.of();
    private ColumnStats[] statsByPosition = new ColumnStats[0];

    private void bind(List<String> header) {
        Map<String, Integer> pos = new HashMap<>();
        for (int i = 0; i < header.size(); i++) pos.put(header.get(i), i);
        position = pos;
        statsByPosition = header.stream().map(columnStats::get).toArray(ColumnStats[]::new);
    }

    private String cell(String[] values, String column) {
        Integer i = position.get(column);
        return i == null ? null : values[i].trim();
    }

    private void accept(String file, CsvFiles.Row row) {
        String[] v = row.values();
        read++;
        int at = sequence++;
        double incremental = incremental(file, row);
        if (incremental <= olderThan) { // false for NaN: no mark, or no value
            older++;
            return;
        }
        if (!spec.upsertColumns().isEmpty()) {
            if (newestOfKey.get(upsertKey(v)) != at) {
                superseded++;
                return;
            }
        } else if (!seenRows.add(hash(v))) {
            duplicates++;
            return;
        }
        rows++;
        if (!Double.isNaN(incremental) && !(incremental <= highWater)) highWater = incremental; // max, NaN at first
        for (int i = 0; i < v.length; i++) statsByPosition[i].observe(v[i]);
        if (spec.referenceTable() != null) {
            acceptReferenceRow(v);
            return;
        }
        int node = resolve(v);
        if (node < 0) {
            unidentified++;
            return;
        }
        for (StreamColumns s : streams) s.accept(file, row, v, node);
        for (TraitColumns t : traits) t.accept(v, node);
    }

    private static long hash(String[] values) {
        long h = 0xcbf29ce484222325L;
        for (String s : values) {
            for (int i = 0; i < s.length(); i++) {
                h ^= s.charAt(i);
                h *= 0x100000001b3L;
            }
            h ^= 0x1f;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * Resolves the people a row names: each identity set groups one person's PII (a {@code buyer} and a
     * {@code recipient} on one row are two people), so keys are unioned within a set, never across sets; a key seen
     * again (in any row or set) is the same person. Returns the node of the first set (in the dataset's order) that
     * identifies someone on the row (that person owns the row's events and traits), or -1 when none does. The row's
     * reference keys are that person's too; on a row no set identifies, they are the person.
     */
    private int resolve(String[] v) {
        int rowNode = -1;
        for (IdentitySet set : spec.identitySets()) {
            int first = -1;
            String identity = null;
            int keys = keys(set, v);
            for (int k = 0; k < keys; k++) {
                long key = rowKeys[k];
                int node = nodeOfKey.get(key);
                if (node == LongIntHashMap.ABSENT) {
                    node = parent.size();
                    parent.add(node);
                    keyOfNode.add(key);
                    if (identity == null) identity = pack(identityFields(set, v));
                    identityOfNode.add(identity);
                    nodeOfKey.put(key, node);
                }
                if (first < 0) first = node;
                else union(first, node);
            }
            if (rowNode < 0) rowNode = first;
        }
        for (int r = 0; r < referenceKeys.size(); r++) {
            String value = cell(v, referenceKeys.get(r));
            if (value == null || value.isEmpty()) continue;
            long key = Identity.referenceKey(referenceKeys.get(r), value);
            int node = nodeOfKey.get(key);
            if (node == LongIntHashMap.ABSENT) {
                node = parent.size();
                parent.add(node);
                keyOfNode.add(key);
                String[] fields = new String[identityColumns.size()];
                fields[referenceField[r]] = value;
                identityOfNode.add(pack(fields));
                nodeOfKey.put(key, node);
            }
            if (rowNode < 0) rowNode = node;
            else union(rowNode, node);
        }
        return rowNode;
    }

    /** The identity keys one set carries on a row, into {@link #rowKeys}; returns how many. */
    private int keys(IdentitySet set, String[] v) {
        int n = 0;
        Map<String, List<String>> c = set.columns();
        String email = one(c, "email", v);
        if (email != null) {
            String lower = email.toLowerCase(java.util.Locale.ROOT);
            Long key = emailKeys.get(lower);
            if (key == null) {
                String normalized = Identity.normalizeEmail(lower);
                key = normalized == null ? NO_KEY : Identity.emailKey(normalized);
                cache(emailKeys, lower, key);
            }
            if (key != NO_KEY) rowKeys[n++] = key;
        }
        String hash = one(c, "email_hash", v);
        if (hash != null) rowKeys[n++] = Identity.emailHashKey(hash);
        String phone = Identity.normalizePhone(one(c, "phone", v));
        if (phone != null) rowKeys[n++] = Identity.phoneKey(phone);
        String last = one(c, "person_last_name", v);
        String firstName = one(c, "person_first_name", v);
        String full = one(c, "person_full_name", v);
        String name = last != null ? (firstName == null ? "" : firstName) + "|" + last : full;
        String street = many(c, "house_number_and_street", v);
        if (street == null) street = one(c, "freeform_address", v);
        String postcode = one(c, "postcode", v);
        if (name != null && street != null && (postcode != null || c.containsKey("freeform_address"))) {
            String raw = name + "|" + street + "|" + (postcode == null ? "" : postcode);
            Long key = addressKeys.get(raw);
            if (key == null) {
                key = Identity.addressKey(Identity.nameAddress(name, street, postcode));
                cache(addressKeys, raw, key);
            }
            rowKeys[n++] = key;
        }
        return n;
    }

    /** Cached "not an email" (0 is a possible key, but this value is never one: its type bits are unused). */
    private static final long NO_KEY = -1L;

    private static void cache(Map<String, Long> cache, String raw, long key) {
        if (cache.size() >= CACHE_LIMIT) cache.clear();
        cache.put(raw, key);
    }

    private String one(Map<String, List<String>> c, String key, String[] v) {
        List<String> cols = c.get(key);
        if (cols == null || cols.isEmpty()) return null;
        String s = cell(v, cols.get(0));
        return s == null || s.isEmpty() ? null : s;
    }

    private String many(Map<String, List<String>> c, String key, String[] v) {
        List<String> cols = c.get(key);
        if (cols == null) return null;
        StringBuilder b = new StringBuilder();
        for (String col : cols) {
            String s = cell(v, col);
            if (s != null && !s.isEmpty()) b.append(b.isEmpty() ? "" : " ").append(s);
        }
        return b.isEmpty() ? null : b.toString();
    }

    /** The row's values for the identity output columns from one set's columns (null where it maps none). */
    private String[] identityFields(IdentitySet set, String[] v) {
        String[] out = new String[identityColumns.size()];
        for (int i = 0; i < out.length; i++) {
            String f = identityColumns.get(i);
            out[i] = f.equals("house_number_and_street") ? many(set.columns(), f, v) : one(set.columns(), f, v);
        }
        return out;
    }

    /** Fields as one String: per field, its length + 1 in two chars (0 = null), then its chars. */
    static String pack(String[] fields) {
        StringBuilder b = new StringBuilder();
        for (String f : fields) {
            int n = f == null ? 0 : f.length() + 1;
            b.append((char) (n >>> 16)).append((char) n);
            if (f != null) b.append(f);
        }
        return b.toString();
    }

    static String[] unpack(String packed, int count) {
        String[] out = new String[count];
        int at = 0;
        for (int i = 0; i < count; i++) {
            int n = packed.charAt(at) << 16 | packed.charAt(at + 1);
            at += 2;
            if (n > 0) {
                out[i] = packed.substring(at, at + n - 1);
                at += n - 1;
            }
        }
        return out;
    }

    private int find(int x) {
        while (parent.get(x) != x) {
            parent.set(x, parent.get(parent.get(x)));
            x = parent.get(x);
        }
        return x;
    }

    private void union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra == rb) return;
        // the older node stays the root, so a person keeps the identity first seen
        if (ra < rb) parent.set(rb, ra);
        else parent.set(ra, rb);
    }

    /**
     * Person index per node. People are numbered by the smallest identity key they carry (keys are hashes of the
     * normalized identities), not by first appearance, so the numbering, and so everything written and computed per
     * person downstream (events, traits, clustering input), is the same whatever the order of rows and files.
     */
    private int[] compact() {
        int n = parent.size();
        int[] root = new int[n];
        long[] minKey = new long[n];
        Arrays.fill(minKey, Long.MAX_VALUE);
        int roots = 0;
        for (int i = 0; i < n; i++) {
            root[i] = find(i);
            minKey[root[i]] = Math.min(minKey[root[i]], keyOfNode.get(i));
            if (root[i] == i) roots++;
        }
        long[] rootKeys = new long[roots];
        int j = 0;
        for (int i = 0; i < n; i++) if (root[i] == i) rootKeys[j++] = minKey[i];
        Arrays.sort(rootKeys); // each key belongs to one node, so no two people share their smallest key
        LongIntHashMap personOfKey = new LongIntHashMap();
        for (int p = 0; p < roots; p++) personOfKey.put(rootKeys[p], p);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = personOfKey.get(minKey[root[i]]);
        return out;
    }

    /**
     * Every identity key and the person carrying it ({@code person_id,key}, by person then key), what links this
     * dataset's people to the account's other datasets (person/AccountPeople): the same key there is the same person.
     */
    private void writeIdentityKeys(int[] personOfNode, int people) {
        int n = personOfNode.length;
        int[] start = new int[people + 1]; // grouped by person (a counting sort), then each person's keys sorted
        for (int p : personOfNode) start[p + 1]++;
        for (int p = 0; p < people; p++) start[p + 1] += start[p];
        long[] keys = new long[n];
        int[] fill = Arrays.copyOf(start, people);
        for (int i = 0; i < n; i++) keys[fill[personOfNode[i]]++] = keyOfNode.get(i);
        try (CSVPrinter out = printer(personae.core.pipeline.Keys.IDENTITY_KEYS, List.of("person_id", "key"))) {
            for (int p = 0; p < people; p++) {
                Arrays.sort(keys, start[p], start[p + 1]);
                for (int i = start[p]; i < start[p + 1]; i++) out.printRecord(p, keys[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writePeople(int[] personOfNode, int people) {
        int fields = identityColumns.size();
        String[] identity = new String[people]; // packed, unpacked one person at a time when written
        // a person's value of a reference key column: the one with the smallest key, whatever the order of rows
        String[][] reference = new String[referenceKeys.size()][];
        long[][] referenceKey = new long[referenceKeys.size()][];
        for (int r = 0; r < reference.length; r++) {
            reference[r] = new String[people];
            referenceKey[r] = new long[people];
        }
        for (int node = 0; node < personOfNode.length; node++) {
            int p = personOfNode[node];
            String more = identityOfNode.get(node);
            long key = keyOfNode.get(node);
            if (key >>> 62 == 3) { // a reference key's node carries that key's value only
                String[] fieldsOfNode = unpack(more, fields);
                for (int r = 0; r < reference.length; r++) {
                    String value = fieldsOfNode[referenceField[r]];
                    if (value != null && (reference[r][p] == null || Long.compareUnsigned(key, referenceKey[r][p]) < 0)) {
                        reference[r][p] = value;
                        referenceKey[r][p] = key;
                    }
                }
                continue;
            }
            if (identity[p] == null) {
                identity[p] = more;
                continue;
            }
            if (identity[p] == more) continue; // nodes of one set on one row share their fields
            // fill fields the first row lacked from later rows of the same person
            String[] have = unpack(identity[p], fields);
            String[] add = unpack(more, fields);
            boolean changed = false;
            for (int i = 0; i < fields; i++) {
                if (have[i] == null && add[i] != null) {
                    have[i] = add[i];
                    changed = true;
                }
            }
            if (changed) identity[p] = pack(have);
        }
        personIdentity = identity;
        List<String> header = new ArrayList<>();
        header.add("person_id");
        header.addAll(identityColumns);
        try (CSVPrinter out = printer("people.csv", header)) {
            for (int p = 0; p < people; p++) {
                out.print(p);
                String[] values = identity[p] == null ? new String[fields] : unpack(identity[p], fields);
                for (int r = 0; r < reference.length; r++) {
                    if (reference[r][p] != null) values[referenceField[r]] = reference[r][p];
                }
                for (String s : values) out.print(s == null ? "" : s);
                out.println();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeTraits(int[] personOfNode, int people) {
        List<TraitColumns> traits = spec.referenceTable() != null ? List.of() : this.traits;
        List<String> header = new ArrayList<>();
        header.add("person_id");
        traits.forEach(t -> header.add(t.spec.name()));
        joins.forEach(j -> header.addAll(j.traits()));
        int fields = identityColumns.size();
        int[] keyField = new int[joins.size()]; // per reference table, the identity column its key is read from
        for (int j = 0; j < keyField.length; j++) {
            keyField[j] = identityColumns.indexOf(ReferenceTable.PERSON_FIELD.get(joins.get(j).by()));
        }
        int[][] latest = new int[traits.size()][people];
        for (int t = 0; t < traits.size(); t++) {
            Arrays.fill(latest[t], -1);
            TraitColumns tc = traits.get(t);
            for (int i = 0; i < tc.node.size(); i++) {
                int code = tc.value.get(i);
                if (code >= 0) latest[t][personOfNode[tc.node.get(i)]] = code;
            }
        }
        try (CSVPrinter out = printer("first_party_traits.csv", header)) {
            for (int p = 0; p < people; p++) {
                out.print(p);
                for (int t = 0; t < traits.size(); t++) {
                    int code = latest[t][p];
                    out.print(code < 0 ? "" : traits.get(t).dictionary.value(code));
                }
                String[] identity = joins.isEmpty() || personIdentity[p] == null ? null : unpack(personIdentity[p], fields);
                for (int j = 0; j < keyField.length; j++) {
                    String[] values = identity == null || keyField[j] < 0 ? null : joins.get(j).valuesFor(identity[keyField[j]]);
                    for (int t = 0; t < joins.get(j).traits().size(); t++) {
                        out.print(values == null || values[t] == null ? "" : values[t]);
                    }
                }
                out.println();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CSVPrinter printer(String name, List<String> header) throws IOException {
        return Csv.write(output.apply(name), header);
    }

    /** One stream's events as primitive columns. */
    private final class StreamColumns {
        final StreamSpec spec;
        final GrowableInts node = new GrowableInts();
        final GrowableLongs time = new GrowableLongs();
        final Property datetime;
        final Long staticTime;
        final List<Property> others = new ArrayList<>();
        final List<Object> columns = new ArrayList<>(); // GrowableDoubles for value, GrowableInts (codes) otherwise
        final List<Dictionary> dictionaries = new ArrayList<>();

        StreamColumns(StreamSpec spec) {
            this.spec = spec;
            this.datetime = spec.property("datetime");
            this.staticTime = datetime != null && "static_date_iso8601".equals(datetime.format())
                    ? ValueFormat.epochSeconds(datetime.column(), "static_date_iso8601") : null;
            for (Property p : spec.properties()) {
                if (p.name().equals("datetime")) continue;
                others.add(p);
                columns.add(isNumeric(p) ? new GrowableDoubles() : new GrowableInts());
                dictionaries.add(new Dictionary());
            }
        }

        boolean isNumeric(Property p) {
            return p.name().equals("value") || (p.format() != null && p.format().startsWith("currency"));
        }

        void accept(String file, CsvFiles.Row row, String[] v, int rowNode) {
            if (!Condition.all(spec.conditions(), col -> cell(v, col))) return;
            long t = Long.MIN_VALUE;
            if (staticTime != null) {
                t = staticTime;
            } else if (datetime != null) {
                String raw = cell(v, datetime.column());
                if (!raw.isEmpty()) {
                    try {
                        t = ValueFormat.epochSeconds(raw, datetime.format());
                    } catch (ValueFormat.FormatException e) {
                        throw new CsvProblem(file, row.line(), datetime.column(), e.getMessage()
                                + " (output_to_streams/" + spec.name() + "/data_map/datetime)");
                    }
                }
            }
            for (int i = 0; i < others.size(); i++) {
                Property p = others.get(i);
                String raw = cell(v, p.column());
                if (columns.get(i) instanceof GrowableDoubles d) {
                    double x = number(file, row, p, p.column(), raw, p.format());
                    if (p.multiplyBy() != null) {
                        // a plain number (a quantity: the format is the first column's); either empty = no value
                        x *= number(file, row, p, p.multiplyBy(), cell(v, p.multiplyBy()), null);
                    }
                    d.add(x);
                } else {
                    List<String> values = raw.isEmpty() ? List.of() : ValueFormat.list(raw, p.format());
                    ((GrowableInts) columns.get(i)).add(values.isEmpty() ? -1 : dictionaries.get(i).code(values.get(0)));
                }
            }
            node.add(rowNode);
            time.add(t);
        }

        /** A numeric cell, NaN when empty; a cell that is not a number fails the build naming file, line and column. */
        private double number(String file, CsvFiles.Row row, Property p, String column, String raw, String format) {
            if (raw.isEmpty()) return Double.NaN;
            try {
                return ValueFormat.number(raw, format);
            } catch (ValueFormat.FormatException e) {
                throw new CsvProblem(file, row.line(), column, e.getMessage() + " (output_to_streams/" + spec.name()
                        + "/data_map/" + p.name() + (column.equals(p.column()) ? "" : "/" + DatasetSpec.MULTIPLY_BY) + ")");
            }
        }

        /**
         * One person's events in an order of their own (time, then each property's value), not the input's, so
         * that sums over them are the same to the last bit whatever the order of rows and files.
         */
        private void sortByContent(int[] order, int from, int to) {
            boolean sorted = true;
            for (int i = from + 1; i < to && sorted; i++) sorted = compareContent(order[i - 1], order[i]) <= 0;
            if (sorted) return; // the usual case: a file in time order
            if (to - from <= 32) { // insertion sort, no boxing
                for (int i = from + 1; i < to; i++) {
                    int x = order[i];
                    int j = i - 1;
                    while (j >= from && compareContent(order[j], x) > 0) {
                        order[j + 1] = order[j];
                        j--;
                    }
                    order[j + 1] = x;
                }
                return;
            }
            Integer[] segment = new Integer[to - from];
            for (int i = from; i < to; i++) segment[i - from] = order[i];
            Arrays.sort(segment, this::compareContent);
            for (int i = from; i < to; i++) order[i] = segment[i - from];
        }

        private int compareContent(int x, int y) {
            int c = Long.compare(time.get(x), time.get(y));
            for (int k = 0; c == 0 && k < others.size(); k++) {
                Object col = columns.get(k);
                if (col instanceof GrowableDoubles d) {
                    c = Double.compare(d.get(x), d.get(y));
                } else {
                    int cx = ((GrowableInts) col).get(x);
                    int cy = ((GrowableInts) col).get(y);
                    c = cx == cy ? 0 : cx < 0 ? -1 : cy < 0 ? 1
                            : dictionaries.get(k).value(cx).compareTo(dictionaries.get(k).value(cy));
                }
            }
            return c;
        }

        DatasetManifest.StreamInfo write(int[] personOfNode, int people) {
            int n = node.size();
            // counting sort of events by person
            int[] start = new int[people + 1];
            for (int i = 0; i < n; i++) start[personOfNode[node.get(i)] + 1]++;
            for (int p = 0; p < people; p++) start[p + 1] += start[p];
            int[] order = new int[n];
            int[] fill = Arrays.copyOf(start, people);
            for (int i = 0; i < n; i++) order[fill[personOfNode[node.get(i)]]++] = i;
            for (int p = 0; p < people; p++) sortByContent(order, start[p], start[p + 1]);

            List<String> header = new ArrayList<>(List.of("person_id", "datetime"));
            others.forEach(p -> header.add(p.name()));
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            int productIndex = -1;
            for (int i = 0; i < others.size(); i++) if (others.get(i).name().equals("product")) productIndex = i;
            long[] productCounts = productIndex < 0 ? null : new long[dictionaries.get(productIndex).size()];
            try (CSVPrinter out = printer(personae.core.pipeline.Keys.streamEvents(spec.name()), header)) {
                for (int k = 0; k < n; k++) {
                    int i = order[k];
                    out.print(personOfNode[node.get(i)]);
                    long t = time.get(i);
                    out.print(t == Long.MIN_VALUE ? "" : Long.toString(t));
                    if (t != Long.MIN_VALUE) {
                        min = Math.min(min, t);
                        max = Math.max(max, t);
                    }
                    for (int c = 0; c < others.size(); c++) {
                        Object col = columns.get(c);
                        if (col instanceof GrowableDoubles d) {
                            double x = d.get(i);
                            out.print(Double.isNaN(x) ? "" : format(x));
                        } else {
                            int code = ((GrowableInts) col).get(i);
                            out.print(code < 0 ? "" : dictionaries.get(c).value(code));
                            if (c == productIndex && code >= 0) productCounts[code]++;
                        }
                    }
                    out.println();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, Long> products = new LinkedHashMap<>();
            if (productCounts != null) {
                for (int c = 0; c < productCounts.length; c++) {
                    products.put(dictionaries.get(productIndex).value(c), productCounts[c]);
                }
            }
            return new DatasetManifest.StreamInfo(n, header.subList(2, header.size()),
                    min == Long.MAX_VALUE ? Long.MIN_VALUE : min, max, products);
        }
    }

    static String format(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) return Long.toString((long) x);
        return Double.toString(x);
    }

    /** One output_to_traits column: the value code per kept row (after the transformation table). */
    private final class TraitColumns {
        final TraitSpec spec;
        final GrowableInts node = new GrowableInts();
        final GrowableInts value = new GrowableInts();
        final Dictionary dictionary = new Dictionary();

        TraitColumns(TraitSpec spec) {
            this.spec = spec;
        }

        void accept(String[] v, int rowNode) {
            String raw = cell(v, spec.column());
            String mapped = raw;
            // an empty cell is no value: neither "*" nor any other mapping turns it into one
            if (raw != null && !raw.isEmpty() && !spec.transformationTable().isEmpty()) {
                mapped = spec.transformationTable().getOrDefault(raw, spec.transformationTable().get("*"));
                if (mapped == null) mapped = raw;
            }
            node.add(rowNode);
            value.add(mapped == null || mapped.isEmpty() ? -1 : dictionary.code(mapped));
        }
    }

    /** Fill rate and a type guess for one header column. */
    private static final class ColumnStats {
        long filled;
        long numeric;
        long dates;
        long sampled;

        void observe(String raw) {
            String s = raw.trim();
            if (s.isEmpty()) return;
            filled++;
            if (sampled >= 2000) return;
            sampled++;
            if (looksNumeric(s)) numeric++;
            else if (s.length() >= 8 && Character.isDigit(s.charAt(0)) && (s.contains("-") || s.contains("/"))) dates++;
        }

        static boolean looksNumeric(String s) {
            try {
                Double.parseDouble(s);
                return !s.startsWith("0") || s.length() == 1 || s.startsWith("0.");
            } catch (NumberFormatException e) {
                return false;
            }
        }

        DetectedColumn describe(String name, long total) {
            String type = sampled > 0 && numeric == sampled ? "double" : sampled > 0 && dates == sampled ? "date" : "string";
            return new DetectedColumn(name, type, filled < total, total == 0 ? 0 : (double) filled / total);
        }
    }
}
