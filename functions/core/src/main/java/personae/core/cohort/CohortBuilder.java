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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cohort's membership: the people with qualifying events in its stream. An event qualifies when it passes the
 * {@code stream_conditions}; a person is a member when their qualifying events satisfy {@code min_count}/{@code
 * max_count}, the total {@code value} satisfies {@code min_value}/{@code max_value}, and the first or last event
 * satisfies {@code recency}.
 */
public final class CohortBuilder {

    /** The membership rules of one cohort. */
    public record Rules(String streamName, List<Condition> streamConditions, Double minCount, Double maxCount,
                        Double minValue, Double maxValue, String recencyOccurrence, Double recencyMinDays,
                        Double recencyMaxDays) {

        public static Rules fromDocument(JsonNode doc) {
            JsonNode recency = doc.path("recency");
            return new Rules(CohortSpec.STREAM.string(doc),
                    Condition.listFromJson(doc.get("stream_conditions"), "property"),
                    num(doc, "min_count"), num(doc, "max_count"), num(doc, "min_value"), num(doc, "max_value"),
                    recency.isObject() ? recency.path("occurrence").asText("last") : null,
                    num(recency, "min_days"), num(recency, "max_days"));
        }

        private static Double num(JsonNode n, String f) {
            return n != null && n.hasNonNull(f) ? n.get(f).asDouble() : null;
        }
    }

    /** One dataset's events for the cohort's stream. */
    public record Source(String datasetId, InputStream events) {}

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
        long count = 0;
        try (CSVParser p = Csv.read(source.events())) {
            Map<String, Integer> columns = new HashMap<>(p.getHeaderMap());
            int valueCol = columns.getOrDefault("value", -1);
            // the events file is grouped by person: aggregate one person at a time
            int current = -1;
            Person person = new Person();
            for (CSVRecord r : p) {
                int id = Integer.parseInt(r.get(0));
                if (id != current) {
                    if (current >= 0 && person.qualifies(rules, now)) {
                        out.printRecord(source.datasetId(), current);
                        count++;
                    }
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
            if (current >= 0 && person.qualifies(rules, now)) {
                out.printRecord(source.datasetId(), current);
                count++;
            }
        }
        return count;
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
