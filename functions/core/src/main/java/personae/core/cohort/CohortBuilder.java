package personae.core.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import personae.core.ingest.Condition;
import personae.core.people.AccountPeople;
import personae.core.util.GrowableDoubles;
import personae.core.util.GrowableInts;
import personae.core.util.GrowableLongs;
import personae.core.util.LongIntHashMap;

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

    /** Writes {@code dataset_id,person_id} per member and returns the member count; each dataset's people are its own. */
    public static long build(Rules rules, List<Source> sources, Instant now, OutputStream members) {
        return build(rules, sources, null, now, members);
    }

    /**
     * Writes {@code dataset_id,person_id} per member and returns the member count. With {@code people}, a person's
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
     * record to write for them (their first record in a dataset of the stream). A person is an account person with
     * {@link AccountPeople}, else a dataset's person.
     */
    private static final class Accumulators {
        private final AccountPeople people;
        private final LongIntHashMap separate = new LongIntHashMap(); // without people: (dataset, id) -> person
        private final Map<String, Integer> datasetNumber = new HashMap<>();
        private final List<String> datasetIds = new ArrayList<>();
        private final GrowableLongs events = new GrowableLongs();
        private final GrowableDoubles value = new GrowableDoubles();
        private final GrowableLongs first = new GrowableLongs();
        private final GrowableLongs last = new GrowableLongs();
        private final GrowableInts recordDataset = new GrowableInts();
        private final GrowableInts recordId = new GrowableInts();

        Accumulators(AccountPeople people) {
            this.people = people;
        }

        int size() {
            return events.size();
        }

        /** The person of a dataset's person id, or -1 when it has no events here (or is not linked). */
        int personOf(String datasetId, int id) {
            if (people != null) {
                int p = people.person(datasetId, id);
                return p < size() ? p : -1;
            }
            Integer d = datasetNumber.get(datasetId);
            return d == null ? -1 : separate.get(((long) d << 32) | id);
        }

        private int slot(String datasetId, int id) {
            int d = datasetNumber.computeIfAbsent(datasetId, k -> {
                datasetIds.add(k);
                return datasetIds.size() - 1;
            });
            int p;
            if (people != null) {
                p = people.person(datasetId, id);
                if (p < 0) return -1; // a dataset not linked (never modelled): its events count for nobody
            } else {
                long key = ((long) d << 32) | id;
                p = separate.get(key);
                if (p == LongIntHashMap.ABSENT) {
                    p = size();
                    separate.put(key, p);
                }
            }
            while (size() <= p) {
                events.add(0);
                value.add(0);
                first.add(Long.MAX_VALUE);
                last.add(Long.MIN_VALUE);
                recordDataset.add(-1);
                recordId.add(-1);
            }
            // sources come in dataset id order and their events by person id: the first record seen is the smallest
            if (recordDataset.get(p) < 0) {
                recordDataset.set(p, d);
                recordId.set(p, id);
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
                    events.set(person, events.get(person) + 1);
                    if (valueCol >= 0 && !r.get(valueCol).isEmpty()) {
                        value.set(person, value.get(person) + Double.parseDouble(r.get(valueCol)));
                    }
                    if (!r.get(1).isEmpty()) {
                        long t = Long.parseLong(r.get(1));
                        first.set(person, Math.min(first.get(person), t));
                        last.set(person, Math.max(last.get(person), t));
                    }
                }
            }
        }

        String recordDataset(int p) {
            return datasetIds.get(recordDataset.get(p));
        }

        int recordId(int p) {
            return recordId.get(p);
        }

        boolean qualifies(int p, Rules r, Instant now) {
            long n = events.get(p);
            double v = value.get(p);
            if (n == 0) return false;
            if (r.minCount() != null && n < r.minCount()) return false;
            if (r.maxCount() != null && n > r.maxCount()) return false;
            if (r.minValue() != null && v < r.minValue()) return false;
            if (r.maxValue() != null && v > r.maxValue()) return false;
            if (r.recencyOccurrence() != null) {
                long t = "first".equals(r.recencyOccurrence()) ? first.get(p) : last.get(p);
                if (t == Long.MIN_VALUE || t == Long.MAX_VALUE) return false;
                double days = (now.getEpochSecond() - t) / 86_400.0;
                if (r.recencyMinDays() != null && days < r.recencyMinDays()) return false;
                if (r.recencyMaxDays() != null && days > r.recencyMaxDays()) return false;
            }
            return true;
        }
    }
}
