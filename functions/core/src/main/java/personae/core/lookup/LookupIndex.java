package personae.core.lookup;

import com.fasterxml.jackson.core.type.TypeReference;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import personae.core.persona.PersonaModel;
import personae.core.resource.Json;
import personae.core.scope.ScopeOutput;
import personae.core.util.Csv;
import personae.core.util.GrowableInts;
import personae.core.util.GrowableLongs;
import personae.core.util.LongIntHashMap;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A lookup target's index: every person of its scope's output under the keys a lookup matches by ({@link LookupKeys}),
 * and per persona set of the payload the person's persona, as columns (one byte per person and set, the persona's
 * code; a key map of 12 bytes a slot), with the sets' personas and models for people it does not know. Written once by
 * the target's build ({@link #write}) as one compact file, read once per target version by the API ({@link #read}).
 * Immutable once read, so any number of threads look up at once.
 */
public final class LookupIndex {

    private static final int MAGIC = 0x504c4931; // "PLI1"

    /** The kinds of key, in the order a lookup tries them (and the reference's {@code match_type} of each). */
    public enum Match {
        EMAIL("email_only"), PHONE_LAST_NAME("phone_last_name"), ADDRESS("address_only");

        private final String matchType;

        Match(String matchType) {
            this.matchType = matchType;
        }

        public String matchType() {
            return matchType;
        }
    }

    /**
     * A persona set of the payload: its personas (a code is an index in these lists; the model's persona {@code i} is
     * code {@code i}, personas the set no longer has come after) and its model.
     */
    public record PersonaSet(String id, List<String> personaIds, List<String> personaNames, PersonaModel model) {
        public String idColumn() {
            return columns().idColumn();
        }

        public String nameColumn() {
            return columns().nameColumn();
        }

        private ScopeOutput.PersonaSetColumns columns() {
            return new ScopeOutput.PersonaSetColumns(id, personaIds, personaNames);
        }
    }

    /** What the build knows of a persona set: its id, its personas in the model's order, its model. */
    public record SetInput(String id, List<String> personaIds, List<String> personaNames, PersonaModel model) {}

    private final List<PersonaSet> sets;
    private final int people;
    private final byte[][] persona; // [set][person]: the persona's code, unsigned
    private final LongIntHashMap[] byKey; // per Match: key -> person
    private final java.util.Set<String> traits;

    private LookupIndex(List<PersonaSet> sets, int people, byte[][] persona, LongIntHashMap[] byKey) {
        this.sets = List.copyOf(sets);
        java.util.Set<String> t = new java.util.LinkedHashSet<>();
        for (PersonaSet s : sets) s.model().features().forEach(f -> t.add(f.trait()));
        this.traits = java.util.Collections.unmodifiableSet(t);
        this.people = people;
        this.persona = persona;
        this.byKey = byKey;
    }

    public List<PersonaSet> personaSets() {
        return sets;
    }

    /** The traits the sets' models read, in order (a lookup may send their values for an unknown person). */
    public java.util.Set<String> traits() {
        return traits;
    }

    /** The number of people indexed. */
    public int people() {
        return people;
    }

    /** The number of keys of one kind (the first person of a key keeps it: a key two people share is theirs). */
    public int keys(Match kind) {
        return byKey[kind.ordinal()].size();
    }

    /** The person under {@code key} of this kind, or -1. */
    public int person(Match kind, long key) {
        return key == LookupKeys.NONE ? -1 : byKey[kind.ordinal()].get(key);
    }

    /** The code of person {@code person}'s persona in set {@code set} (an index in its {@link PersonaSet} lists). */
    public int persona(int set, int person) {
        return persona[set][person] & 0xff;
    }

    /**
     * The bytes the index's arrays take in memory: the key maps' slots (as {@link LongIntHashMap} sizes them) and
     * the persona columns; not the few objects of the models and names.
     */
    public long memoryBytes() {
        long bytes = (long) sets.size() * people;
        for (LongIntHashMap m : byKey) bytes += capacity(m.size()) * 12L;
        return bytes;
    }

    /** {@link LongIntHashMap}'s capacity after {@code size} puts (1,024 slots, doubled above a load of 3/4). */
    static long capacity(int size) {
        long c = 1 << 10;
        while (size * 4L > c * 3L) c *= 2;
        return c;
    }

    // ------------------------------------------------------------------ the file

    /**
     * Writes the index of a scope's output: per row its keys and, per set, its persona (by the persona id the row
     * carries; a persona the set no longer lists keeps the name the row has).
     *
     * @param sets     the payload's persona sets, in the scope's order
     * @param scopeCsv the scope's output ({@link ScopeOutput})
     * @return the number of people written
     */
    public static int write(List<SetInput> sets, InputStream scopeCsv, OutputStream out) {
        List<List<String>> ids = new ArrayList<>();
        List<List<String>> names = new ArrayList<>();
        for (SetInput s : sets) {
            if (s.personaIds().size() != s.model().k() || s.personaNames().size() != s.model().k()) {
                throw new IllegalArgumentException("persona set " + s.id() + " lists " + s.personaIds().size()
                        + " personas but its model has " + s.model().k() + "; rebuild the persona set");
            }
            ids.add(new ArrayList<>(s.personaIds()));
            names.add(new ArrayList<>(s.personaNames()));
        }
        List<GrowableInts> codes = sets.stream().map(s -> new GrowableInts()).toList();
        LongIntHashMap[] seen = new LongIntHashMap[Match.values().length];
        GrowableLongs[] keys = new GrowableLongs[seen.length];
        GrowableInts[] persons = new GrowableInts[seen.length];
        for (int m = 0; m < seen.length; m++) {
            seen[m] = new LongIntHashMap();
            keys[m] = new GrowableLongs();
            persons[m] = new GrowableInts();
        }
        int n = 0;
        try (CSVParser p = Csv.read(scopeCsv)) {
            Map<String, Integer> cols = p.getHeaderMap();
            int[] idCol = new int[sets.size()];
            int[] nameCol = new int[sets.size()];
            for (int s = 0; s < sets.size(); s++) {
                var c = new ScopeOutput.PersonaSetColumns(sets.get(s).id(), List.of(), List.of());
                Integer i = cols.get(c.idColumn());
                if (i == null) {
                    throw new IllegalArgumentException("the scope's output has no column " + c.idColumn()
                            + " for persona set " + sets.get(s).id() + "; rebuild the scope");
                }
                idCol[s] = i;
                nameCol[s] = cols.getOrDefault(c.nameColumn(), -1);
            }
            for (CSVRecord r : p) {
                long[] rowKeys = {
                        LookupKeys.email(cell(r, cols, "email"), cell(r, cols, "email_hash")),
                        LookupKeys.phoneLastName(cell(r, cols, "phone"), cell(r, cols, "person_last_name")),
                        LookupKeys.streetCityState(cell(r, cols, "house_number_and_street"), cell(r, cols, "city"),
                                cell(r, cols, "state"))};
                for (int m = 0; m < rowKeys.length; m++) {
                    long k = rowKeys[m];
                    if (k == LookupKeys.NONE || seen[m].get(k) != LongIntHashMap.ABSENT) continue;
                    seen[m].put(k, n);
                    keys[m].add(k);
                    persons[m].add(n);
                }
                for (int s = 0; s < sets.size(); s++) {
                    String id = r.get(idCol[s]);
                    int code = ids.get(s).indexOf(id);
                    if (code < 0) {
                        code = ids.get(s).size();
                        ids.get(s).add(id);
                        names.get(s).add(nameCol[s] < 0 ? "" : r.get(nameCol[s]));
                    }
                    if (code > 255) throw new IllegalArgumentException("persona set " + sets.get(s).id()
                            + " has more than 256 personas; a lookup index holds at most 256");
                    codes.get(s).add(code);
                }
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
            d.writeInt(MAGIC);
            List<Map<String, Object>> header = new ArrayList<>();
            for (int s = 0; s < sets.size(); s++) {
                header.add(Map.of("id", sets.get(s).id(), "persona_ids", ids.get(s), "persona_names", names.get(s),
                        "model", sets.get(s).model()));
            }
            byte[] json = Json.MAPPER.writeValueAsBytes(header);
            d.writeInt(json.length);
            d.write(json);
            d.writeInt(n);
            byte[] column = new byte[n];
            for (int s = 0; s < sets.size(); s++) {
                for (int i = 0; i < n; i++) column[i] = (byte) codes.get(s).get(i);
                d.write(column);
            }
            for (int m = 0; m < keys.length; m++) {
                d.writeInt(keys[m].size());
                for (int i = 0; i < keys[m].size(); i++) {
                    d.writeLong(keys[m].get(i));
                    d.writeInt(persons[m].get(i));
                }
            }
            d.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    private static String cell(CSVRecord r, Map<String, Integer> cols, String column) {
        Integer i = cols.get(column);
        return i == null ? null : r.get(i);
    }

    /** Reads an index {@link #write} wrote. */
    public static LookupIndex read(InputStream in) {
        try {
            DataInputStream d = new DataInputStream(new BufferedInputStream(in, 1 << 16));
            if (d.readInt() != MAGIC) throw new IllegalArgumentException("not a lookup index");
            byte[] json = new byte[d.readInt()];
            d.readFully(json);
            List<Header> header = Json.MAPPER.readValue(new String(json, StandardCharsets.UTF_8),
                    new TypeReference<List<Header>>() {});
            int n = d.readInt();
            byte[][] persona = new byte[header.size()][n];
            for (byte[] column : persona) d.readFully(column);
            LongIntHashMap[] byKey = new LongIntHashMap[Match.values().length];
            for (int m = 0; m < byKey.length; m++) {
                byKey[m] = new LongIntHashMap();
                int size = d.readInt();
                for (int i = 0; i < size; i++) byKey[m].put(d.readLong(), d.readInt());
            }
            List<PersonaSet> sets = new ArrayList<>();
            for (Header h : header) {
                sets.add(new PersonaSet(h.id(), List.copyOf(h.personaIds()), List.copyOf(h.personaNames()), h.model()));
            }
            return new LookupIndex(sets, n, persona, byKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Header(String id, @com.fasterxml.jackson.annotation.JsonProperty("persona_ids") List<String> personaIds,
                          @com.fasterxml.jackson.annotation.JsonProperty("persona_names") List<String> personaNames,
                          PersonaModel model) {}
}
