package personae.core.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import personae.core.ingest.Condition;
import personae.core.people.AccountPeople;

import personae.core.util.Csv;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cohort's membership: the people with qualifying events in its stream. An event qualifies when it passes the
 * {@code stream_conditions}; a person is a member when their qualifying events satisfy {@code min_count}/{@code
 * max_count}, the total {@code value} satisfies {@code min_value}/{@code max_value}, and the first or last event
 * satisfies {@code recency}, and their traits (their row of the same dataset's traits.csv) satisfy the {@code traits}
 * conditions: non-optional ones AND together, optional ones OR together, a trait the dataset lacks is null.
 */
public final class CohortBuilder {

    /** The membership rules of one cohort. */
    public record Rules(String streamName, List<Condition> streamConditions, Double minCount, Double maxCount,
                        Double minValue, Double maxValue, String recencyOccurrence, Double recencyMinDays,
                        Double recencyMaxDays, List<Condition> traitConditions) {

        public static Rules fromDocument(JsonNode doc) {
            JsonNode recency = doc.path("recency");
            return new Rules(CohortSpec.STREAM.string(doc),
                    Condition.listFromJson(doc.get("stream_conditions"), "property"),
                    num(doc, "min_count"), num(doc, "max_count"), num(doc, "min_value"), num(doc, "max_value"),
                    recency.isObject() ? recency.path("occurrence").asText("last") : null,
                    num(recency, "min_days"), num(recency, "max_days"),
                    Condition.listFromJson(doc.get("traits"), "name"));
        }

        /** The trait names the {@code traits} conditions read, in their order, without repeats. */
        public List<String> traitNames() {
            return traitConditions.stream().map(Condition::field).distinct().toList();
        }

        private static Double num(JsonNode n, String f) {
            return n != null && n.hasNonNull(f) ? n.get(f).asDouble() : null;
        }
    }

    /**
     * One dataset's events for the cohort's stream (null for a dataset that only lends its traits to people of the
     * stream's datasets), and, when the cohort has {@code traits} conditions, its traits.csv and which of its columns
     * hold numbers.
     */
    public record Source(String datasetId, InputStream events, InputStream traits, Set<String> numericTraits) {
        public Source(String datasetId, InputStream events) {
            this(datasetId, events, null, Set.of());
        }
    }

    private CohortBuilder() {}

    /**
     * Writes {@code dataset_id,person_id} per member and returns the member count. A person's (people/AccountPeople)
     * events in every source count together and their traits come from any linked dataset (the first, in dataset id
     * order, that has a value), and each member is written once, as their first record in a dataset of the stream.
     */
    public static long build(Rules rules, List<Source> sources, AccountPeople people, Instant now, OutputStream members) {
        List<Source> ordered = new ArrayList<>(sources);
        ordered.sort(Comparator.comparing(Source::datasetId)); // first value wins: in dataset id order
        Accumulators acc = new Accumulators(people);
        try {
            for (Source s : ordered) if (s.events() != null) acc.addEvents(rules, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BitSet qualified = new BitSet();
        for (int p = 0; p < acc.size(); p++) if (acc.qualifies(p, rules, now)) qualified.set(p);
        if (!rules.traitConditions().isEmpty()) keepTraits(rules, ordered, acc, qualified);
        Members out = new Members();
        for (int p = qualified.nextSetBit(0); p >= 0; p = qualified.nextSetBit(p + 1)) {
            out.add(acc.recordDataset(p), acc.recordId(p));
        }
        out.write(members);
        return qualified.cardinality();
    }

    /**
     * Clears the people whose traits fail the trait conditions: each trait's value is the first non-empty one of the
     * person's rows in the sources' traits.csv files (one pass each); a person without any row has every trait null.
     */
    private static void keepTraits(Rules rules, List<Source> sources, Accumulators acc, BitSet members) {
        List<String> names = rules.traitNames();
        Map<String, Integer> slot = new HashMap<>();
        for (int i = 0; i < names.size(); i++) slot.put(names.get(i), i);
        String[][] values = new String[names.size()][acc.size()];
        Set<String> numeric = new HashSet<>();
        for (Source s : sources) {
            numeric.addAll(s.numericTraits());
            if (s.traits() == null) continue;
            try (CSVParser p = Csv.read(s.traits())) {
                int[] col = new int[names.size()];
                for (int i = 0; i < col.length; i++) col[i] = p.getHeaderMap().getOrDefault(names.get(i), -1);
                for (CSVRecord r : p) {
                    int person = acc.personOf(s.datasetId(), Integer.parseInt(r.get(0)));
                    if (person < 0 || !members.get(person)) continue;
                    for (int i = 0; i < col.length; i++) {
                        if (col[i] >= 0 && values[i][person] == null && !r.get(col[i]).isEmpty()) {
                            values[i][person] = r.get(col[i]);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (int person = members.nextSetBit(0); person >= 0; person = members.nextSetBit(person + 1)) {
            int p = person;
            if (!Condition.all(rules.traitConditions(), t -> {
                Integer i = slot.get(t);
                return i == null ? null : values[i][p];
            }, numeric::contains)) {
                members.clear(person);
            }
        }
    }

    /**
     * Per person, the qualifying events' count, total value and first and last times, as primitive columns, and the
     * record to write for them (their first record in a dataset of the stream), indexed by the account's person
     * ({@link AccountPeople}).
     */
    private static final class Accumulators {
        private final AccountPeople people;
        private final long[] events;
        private final double[] value;
        private final long[] first;
        private final long[] last;
        private final int[] recordDataset; // index into datasetIds, -1 until the person's first qualifying event
        private final int[] recordId;
        private final Map<String, Integer> datasetNumber = new HashMap<>();
        private final List<String> datasetIds = new ArrayList<>();

        Accumulators(AccountPeople people) {
            this.people = people;
            int n = people.people();
            events = new long[n];
            value = new double[n];
            first = new long[n];
            last = new long[n];
            recordDataset = new int[n];
            recordId = new int[n];
            java.util.Arrays.fill(first, Long.MAX_VALUE);
            java.util.Arrays.fill(last, Long.MIN_VALUE);
            java.util.Arrays.fill(recordDataset, -1);
        }

        int size() {
            return events.length;
        }

        /** The person of a dataset's person id, or -1 when that dataset is not linked. */
        int personOf(String datasetId, int id) {
            return people.person(datasetId, id);
        }

        private int slot(String datasetId, int id) {
            int p = people.person(datasetId, id);
            if (p < 0) return -1; // a dataset not linked (never modelled): its events count for nobody
            // sources come in dataset id order and their events by person id: the first record seen is the smallest
            if (recordDataset[p] < 0) {
                recordDataset[p] = datasetNumber.computeIfAbsent(datasetId, k -> {
                    datasetIds.add(k);
                    return datasetIds.size() - 1;
                });
                recordId[p] = id;
            }
            return p;
        }

        /** The stream's events of one dataset, grouped by person id. */
        void addEvents(Rules rules, Source source) throws IOException {
            try (CSVParser p = Csv.read(source.events())) {
                Map<String, Integer> columns = new HashMap<>(p.getHeaderMap());
                int valueCol = columns.getOrDefault("value", -1);
                for (CSVRecord r : p) {
                    if (!Condition.all(rules.streamConditions(), prop -> {
                        Integer c = columns.get(prop);
                        return c == null ? null : r.get(c);
                    })) {
                        continue;
                    }
                    int person = slot(source.datasetId(), Integer.parseInt(r.get(0)));
                    if (person < 0) continue;
                    events[person]++;
                    if (valueCol >= 0 && !r.get(valueCol).isEmpty()) value[person] += Double.parseDouble(r.get(valueCol));
                    if (!r.get(1).isEmpty()) {
                        long t = Long.parseLong(r.get(1));
                        first[person] = Math.min(first[person], t);
                        last[person] = Math.max(last[person], t);
                    }
                }
            }
        }

        String recordDataset(int p) {
            return datasetIds.get(recordDataset[p]);
        }

        int recordId(int p) {
            return recordId[p];
        }

        boolean qualifies(int p, Rules r, Instant now) {
            long n = events[p];
            double v = value[p];
            if (n == 0) return false;
            if (r.minCount() != null && n < r.minCount()) return false;
            if (r.maxCount() != null && n > r.maxCount()) return false;
            if (r.minValue() != null && v < r.minValue()) return false;
            if (r.maxValue() != null && v > r.maxValue()) return false;
            if (r.recencyOccurrence() != null) {
                long t = "first".equals(r.recencyOccurrence()) ? first[p] : last[p];
                if (t == Long.MIN_VALUE || t == Long.MAX_VALUE) return false;
                double days = (now.getEpochSecond() - t) / 86_400.0;
                if (r.recencyMinDays() != null && days < r.recencyMinDays()) return false;
                if (r.recencyMaxDays() != null && days > r.recencyMaxDays()) return false;
            }
            return true;
        }
    }
}
