package personae.core.analysis;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import personae.core.ingest.DatasetManifest;
import personae.core.ingest.DatasetManifest.StreamInfo;
import personae.core.persona.Feature;
import personae.core.persona.FeatureScaling;
import personae.core.persona.FeatureTable;
import personae.core.persona.PersonaModel;
import personae.core.trait.Behaviour;
import personae.core.trait.TraitEnricher;
import personae.core.util.Csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * How many cohort members were in each persona on each day: every member's event history replayed, their behavioural
 * traits recomputed as of a day by the same {@link Behaviour} the trait step ({@link TraitEnricher}) uses at the end of
 * the data (recency from the
 * end of that day, or from the dataset's latest event on its last day), first-party traits as they are now, and the
 * person assigned with the set's model.
 *
 * <p>A person is re-assigned on each day they have an event and every {@value #STEP_DAYS} days from their first
 * event, and keeps that persona until the next such day. Between two events only recency changes, so the only error
 * is a persona change that recency alone causes (a customer lapsing) showing up to {@value #STEP_DAYS} - 1 days late.
 * Nobody counts before their first event. The days run from the data's first event day (the datasets' earliest event)
 * to its last, at most the last {@value #MAX_DAYS}. Undated events are left out, and lines of one {@code order_id}
 * stamped at different datetimes count as one order each datetime here (the trait step counts one). Cost: one pass over each dataset's
 * event files (members only), and per member about (span / {@value #STEP_DAYS} + event days) assignments.
 */
public final class PersonaFlow {

    public static final int MAX_DAYS = 1095;
    public static final int STEP_DAYS = 7;
    private static final double DAY = 86_400.0;

    /** Daily counts per persona, over a fixed window of days. */
    public static final class Counts {
        private final long firstDay;
        private final int days;
        private final int[][] diff;

        /** @param firstEpochDay, lastEpochDay: the span of the data; the window is its last {@value #MAX_DAYS} days at most */
        public Counts(int k, long firstEpochDay, long lastEpochDay) {
            this.firstDay = Math.max(firstEpochDay, lastEpochDay - MAX_DAYS + 1);
            this.days = (int) Math.max(0, lastEpochDay - firstDay + 1);
            this.diff = new int[k][days + 1];
        }

        /** Persona {@code p} held one more person from {@code from} (inclusive) to {@code to} (exclusive), epoch days. */
        void add(int p, long from, long to) {
            long a = Math.max(from, firstDay), b = Math.min(to, firstDay + days);
            if (a >= b) return;
            diff[p][(int) (a - firstDay)]++;
            diff[p][(int) (b - firstDay)]--;
        }

        public long firstEpochDay() {
            return firstDay;
        }

        public long lastEpochDay() {
            return firstDay + days - 1;
        }

        /** Per persona, the count of every day of the window. */
        public List<List<Day>> days() {
            List<List<Day>> out = new ArrayList<>();
            for (int[] d : diff) {
                List<Day> list = new ArrayList<>(days);
                int running = 0;
                for (int i = 0; i < days; i++) {
                    running += d[i];
                    list.add(new Day(LocalDate.ofEpochDay(firstDay + i).toString(), running));
                }
                out.add(list);
            }
            return out;
        }
    }

    /** One day of a persona: {@code {date, count}}. */
    public record Day(String date, long count) {}

    private PersonaFlow() {}

    /** Where a model feature's value comes from in one dataset. */
    private record Source(Feature.Kind kind, int stream, int product) {}

    /** A person's events across streams (reused buffers). */
    private static final class Events {
        long[] time = new long[64];
        int[] stream = new int[64];
        double[] value = new double[64];
        int[] product = new int[64];
        int n;
        Integer[] order = new Integer[64];

        void add(long t, int s, double v, int p) {
            if (n == time.length) {
                int m = n * 2;
                time = Arrays.copyOf(time, m);
                stream = Arrays.copyOf(stream, m);
                value = Arrays.copyOf(value, m);
                product = Arrays.copyOf(product, m);
                order = new Integer[m];
            }
            time[n] = t; stream[n] = s; value[n] = v; product[n] = p;
            n++;
        }
    }

    /** One stream's file, read person by person. */
    private static final class Reader implements AutoCloseable {
        final CSVParser parser;
        final Iterator<CSVRecord> it;
        final int valueCol, productCol;
        final Map<String, Integer> productIndex;
        CSVRecord next;

        Reader(InputStream in, Map<String, Integer> productIndex) {
            this.parser = Csv.read(in);
            this.it = parser.iterator();
            this.valueCol = parser.getHeaderMap().getOrDefault("value", -1);
            this.productCol = parser.getHeaderMap().getOrDefault("product", -1);
            this.productIndex = productIndex;
            this.next = it.hasNext() ? it.next() : null;
        }

        /** Adds {@code person}'s dated events to {@code events}, skipping anyone before them. */
        void read(int person, int s, Events events) {
            while (next != null) {
                int p = Integer.parseInt(next.get(0));
                if (p > person) return;
                if (p == person && !next.get(1).isEmpty()) {
                    double v = valueCol >= 0 && !next.get(valueCol).isEmpty() ? Double.parseDouble(next.get(valueCol)) : Double.NaN;
                    Integer k = productCol >= 0 ? productIndex.get(next.get(productCol)) : null;
                    events.add(Long.parseLong(next.get(1)), s, v, k == null ? -1 : k);
                }
                next = it.hasNext() ? it.next() : null;
            }
        }

        @Override
        public void close() {
            try {
                parser.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Replays one dataset's members into {@code counts}.
     *
     * @param persons     the members, ascending person ids
     * @param traits      the model's features for those persons as traits.csv has them (first-party values are read here)
     * @param events      opens the dataset's events file of a stream
     */
    public static void replay(PersonaModel model, DatasetManifest manifest, int[] persons, FeatureTable traits,
                              Function<String, InputStream> events, Counts counts) {
        List<String> streams = new ArrayList<>(manifest.streams().keySet());
        List<Feature> features = model.features();
        int d = features.size();
        Source[] sources = new Source[d];
        List<Map<String, Integer>> productIndex = new ArrayList<>();
        for (int s = 0; s < streams.size(); s++) productIndex.add(new java.util.HashMap<>());
        for (int f = 0; f < d; f++) sources[f] = source(features.get(f), streams, manifest, productIndex);
        Behaviour[] states = new Behaviour[streams.size()];
        long reference = Long.MIN_VALUE;
        for (int s = 0; s < streams.size(); s++) {
            StreamInfo info = manifest.streams().get(streams.get(s));
            states[s] = new Behaviour(info.properties().contains("value"), productIndex.get(s).size());
            reference = Math.max(reference, info.maxTime());
        }
        boolean[] hasProduct = new boolean[streams.size()];
        for (int s = 0; s < streams.size(); s++) hasProduct[s] = manifest.streams().get(streams.get(s)).properties().contains("product");
        List<Reader> readers = new ArrayList<>();
        try {
            for (String s : streams) readers.add(new Reader(events.apply(s), productIndex.get(streams.indexOf(s))));
            Events ev = new Events();
            double[] row = new double[d];
            long lastDay = counts.lastEpochDay();
            // between two events only recency changes: each persona's score is a fixed part plus a slope times each
            // recency feature (PersonaModel.linearScores), so a step without events costs the recency features only
            int k = model.k();
            List<FeatureScaling> scalings = model.scalings();
            int[] recency = IntStream.range(0, d).filter(f -> features.get(f).kind() == Feature.Kind.RECENCY_DAYS).toArray();
            double[] fixed = new double[k];
            double[][] slopes = new double[k][recency.length];
            double[] z = new double[d];
            int[] countColumns = FeatureScaling.countColumns(features, scalings);
            double[] zRecency = new double[recency.length];
            for (int i = 0; i < persons.length; i++) {
                ev.n = 0;
                for (int s = 0; s < readers.size(); s++) readers.get(s).read(persons[i], s, ev);
                if (ev.n == 0) continue;
                for (Behaviour st : states) st.reset();
                for (int j = 0; j < ev.n; j++) ev.order[j] = j;
                final Events e = ev;
                Arrays.sort(ev.order, 0, ev.n, (a, b) -> e.time[a] != e.time[b] ? Long.compare(e.time[a], e.time[b])
                        : Integer.compare(e.stream[a], e.stream[b]));
                long firstEventDay = Math.floorDiv(ev.time[ev.order[0]], 86_400L);
                int next = 0; // next event (in time order) not yet applied
                long day = firstEventDay;
                int persona = -1;
                long since = day;
                boolean stale = true;
                while (day <= lastDay) {
                    long dayEnd = (day + 1) * 86_400L;
                    long ref = Math.min(dayEnd, reference);
                    while (next < ev.n && ev.time[ev.order[next]] < dayEnd) {
                        next = applyOrder(ev, next, states, hasProduct);
                        stale = true;
                    }
                    int p;
                    if (day == lastDay) { // exactly as the model assigns the traits of now
                        for (int f = 0; f < d; f++) row[f] = value(sources[f], states, traits, i, f, ref);
                        p = model.assign(row);
                    } else {
                        if (stale) {
                            for (int f = 0; f < d; f++) row[f] = value(sources[f], states, traits, i, f, ref);
                            FeatureScaling.standardiseRow(scalings, countColumns, row, z);
                            model.linearScores(row, z, recency, fixed, slopes);
                            stale = false;
                        }
                        for (int r = 0; r < recency.length; r++) {
                            int f = recency[r];
                            zRecency[r] = scalings.get(f).apply(value(sources[f], states, traits, i, f, ref));
                        }
                        p = 0;
                        double best = Double.NEGATIVE_INFINITY;
                        for (int c = 0; c < k; c++) {
                            double score = fixed[c];
                            for (int r = 0; r < recency.length; r++) score += slopes[c][r] * zRecency[r];
                            if (score > best) { best = score; p = c; }
                        }
                    }
                    if (p != persona) {
                        if (persona >= 0) counts.add(persona, since, day);
                        persona = p;
                        since = day;
                    }
                    long weekly = day + STEP_DAYS - Math.floorMod(day - firstEventDay, STEP_DAYS);
                    long eventDay = next < ev.n ? Math.floorDiv(ev.time[ev.order[next]], 86_400L) : Long.MAX_VALUE;
                    long following = Math.min(weekly, eventDay);
                    if (following > lastDay && day < lastDay) following = lastDay; // the last day is exact
                    day = following;
                }
                counts.add(persona, since, lastDay + 1);
            }
        } finally {
            for (Reader r : readers) r.close();
        }
    }

    /** Applies the order starting at event {@code from} (its stream's events at one datetime); the next event's index. */
    private static int applyOrder(Events ev, int from, Behaviour[] states, boolean[] hasProduct) {
        int a = ev.order[from];
        int s = ev.stream[a];
        long t = ev.time[a];
        Behaviour st = states[s];
        double value = 0;
        boolean valued = false;
        int j = from;
        while (j < ev.n && ev.stream[ev.order[j]] == s && ev.time[ev.order[j]] == t) {
            int b = ev.order[j];
            st.line(t, ev.value[b], hasProduct[s] ? ev.product[b] : Integer.MIN_VALUE);
            if (!Double.isNaN(ev.value[b])) {
                value += ev.value[b];
                valued = true;
            }
            j++;
        }
        st.order(value, valued);
        return j;
    }

    private static double value(Source src, Behaviour[] states, FeatureTable traits, int row, int f, long reference) {
        if (src == null) return traits.get(row, f); // first-party: as traits.csv has it
        if (src.stream < 0) return Double.NaN;
        double x = states[src.stream].value(src.kind, src.product, reference);
        return Double.isNaN(x) ? x : Math.round(x * 10_000.0) / 10_000.0; // as traits.csv writes it (4 decimals)
    }

    /** Null for a first-party trait; a stream of -1 when the dataset does not write the feature's stream. */
    private static Source source(Feature f, List<String> streams, DatasetManifest manifest,
                                 List<Map<String, Integer>> productIndex) {
        return switch (f.kind()) {
            case USER_DEFINED, CATEGORY -> null;
            case PRODUCT_SHARE -> {
                for (int s = 0; s < streams.size(); s++) {
                    String stream = streams.get(s);
                    if (!f.name().equals(stream + "_product_share_" + TraitEnricher.slug(f.label()))) continue;
                    Map<String, Integer> index = productIndex.get(s);
                    int k = index.computeIfAbsent(f.label(), x -> index.size());
                    yield new Source(f.kind(), s, k);
                }
                yield new Source(f.kind(), -1, -1);
            }
            default -> new Source(f.kind(), streams.indexOf(f.label()), -1);
        };
    }
}
