package personae.core.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import personae.core.ingest.Condition;

import personae.core.util.Csv;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.BitSet;
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
     * One dataset's events for the cohort's stream, and (when the cohort has {@code traits} conditions) its traits.csv
     * and which of its columns hold numbers.
     */
    public record Source(String datasetId, InputStream events, InputStream traits, Set<String> numericTraits) {
        public Source(String datasetId, InputStream events) {
            this(datasetId, events, null, Set.of());
        }
    }

    private CohortBuilder() {}

    /** Writes {@code dataset_id,person_id} per member and returns the member count. */
    public static long build(Rules rules, List<Source> sources, Instant now, OutputStream members) {
        long count = 0;
        try (CSVPrinter out = Csv.write(members, List.of("dataset_id", "person_id"))) {
            for (Source s : sources) count += members(rules, s, now, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    private static long members(Rules rules, Source source, Instant now, CSVPrinter out) throws IOException {
        BitSet qualified = qualified(rules, source, now);
        if (!rules.traitConditions().isEmpty()) keepTraits(rules.traitConditions(), source, qualified);
        for (int id = qualified.nextSetBit(0); id >= 0; id = qualified.nextSetBit(id + 1)) {
            out.printRecord(source.datasetId(), id);
        }
        return qualified.cardinality();
    }

    /** The people whose qualifying events satisfy the rules, a bit per person id. */
    private static BitSet qualified(Rules rules, Source source, Instant now) throws IOException {
        BitSet members = new BitSet();
        try (CSVParser p = Csv.read(source.events())) {
            Map<String, Integer> columns = new HashMap<>(p.getHeaderMap());
            int valueCol = columns.getOrDefault("value", -1);
            // the events file is grouped by person: aggregate one person at a time
            int current = -1;
            Person person = new Person();
            for (CSVRecord r : p) {
                int id = Integer.parseInt(r.get(0));
                if (id != current) {
                    if (current >= 0 && person.qualifies(rules, now)) members.set(current);
                    current = id;
                    person = new Person();
                }
                if (!Condition.all(rules.streamConditions(), prop -> {
                    Integer c = columns.get(prop);
                    return c == null ? null : r.get(c);
                })) {
                    continue;
                }
                person.events++;
                if (valueCol >= 0 && !r.get(valueCol).isEmpty()) person.value += Double.parseDouble(r.get(valueCol));
                if (!r.get(1).isEmpty()) {
                    long t = Long.parseLong(r.get(1));
                    person.first = Math.min(person.first, t);
                    person.last = Math.max(person.last, t);
                }
            }
            if (current >= 0 && person.qualifies(rules, now)) members.set(current);
        }
        return members;
    }

    /** Clears the people whose traits.csv row fails the trait conditions (one pass; a missing file: every trait null). */
    private static void keepTraits(List<Condition> conditions, Source source, BitSet members) throws IOException {
        if (source.traits() == null) {
            if (!Condition.all(conditions, t -> null)) members.clear();
            return;
        }
        try (CSVParser p = Csv.read(source.traits())) {
            Map<String, Integer> columns = new HashMap<>(p.getHeaderMap());
            BitSet seen = new BitSet();
            for (CSVRecord r : p) {
                int id = Integer.parseInt(r.get(0));
                if (!members.get(id)) continue;
                seen.set(id);
                if (!Condition.all(conditions, t -> {
                    Integer c = columns.get(t);
                    return c == null ? null : r.get(c);
                }, source.numericTraits()::contains)) {
                    members.clear(id);
                }
            }
            // a member without a traits row has no trait values
            BitSet unseen = (BitSet) members.clone();
            unseen.andNot(seen);
            if (!unseen.isEmpty() && !Condition.all(conditions, t -> null)) members.andNot(unseen);
        }
    }

    private static final class Person {
        long events;
        double value;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;

        boolean qualifies(Rules r, Instant now) {
            if (events == 0) return false;
            if (r.minCount() != null && events < r.minCount()) return false;
            if (r.maxCount() != null && events > r.maxCount()) return false;
            if (r.minValue() != null && value < r.minValue()) return false;
            if (r.maxValue() != null && value > r.maxValue()) return false;
            if (r.recencyOccurrence() != null) {
                long t = "first".equals(r.recencyOccurrence()) ? first : last;
                if (t == Long.MIN_VALUE || t == Long.MAX_VALUE) return false;
                double days = (now.getEpochSecond() - t) / 86_400.0;
                if (r.recencyMinDays() != null && days < r.recencyMinDays()) return false;
                if (r.recencyMaxDays() != null && days > r.recencyMaxDays()) return false;
            }
            return true;
        }
    }
}
