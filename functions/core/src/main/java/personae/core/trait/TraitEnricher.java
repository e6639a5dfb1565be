package personae.core.trait;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import personae.core.ingest.DatasetManifest;
import personae.core.ingest.DatasetManifest.StreamInfo;
import personae.core.persona.Feature;
import personae.core.persona.Feature.Kind;

import personae.core.util.Csv;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Trait enrichment: behavioural traits per person from the dataset's events (recency, frequency, tenure, total and
 * average value when {@code value} is mapped, product mix when {@code product} is mapped), plus the first-party traits
 * of {@code output_to_traits} (numbers as they are; a text trait with a bounded set of values also as one 0/1 feature
 * per value, see {@link #categories}). Recency is measured against the dataset's latest event, so a rebuild of the
 * same data gives the same traits. An order is a person's events with one {@code order_id} property, or else at one
 * datetime; the total is net of returns (orders
 * of non-positive value), the average is over purchases only.
 */
public final class TraitEnricher {

    /** Products with their own share trait, most frequent first; the rest only count toward frequency. */
    public static final int MAX_PRODUCTS = 8;
    /** A stream property naming the order an event belongs to (e.g. an invoice number): its events are one order. */
    public static final String ORDER_ID = "order_id";
    /** A text trait with more distinct values than this is free text, not a category. */
    public static final int MAX_CATEGORY_VALUES = 20;
    /** Values of a category trait held by fewer than this share of the people with a value get no feature. */
    public static final double MIN_CATEGORY_SHARE = 0.01;
    /** At most this many values of one category trait become features. */
    public static final int MAX_CATEGORY_FEATURES = 10;

    private TraitEnricher() {}

    /** What traits.json holds: the clustering features and every column of traits.csv after person_id. */
    public record TraitColumns(List<Feature> features, List<String> columns) {}

    /**
     * @param events opens a stream's events file by stream name
     * @param firstParty the first_party_traits.csv stream
     */
    public static TraitColumns enrich(DatasetManifest manifest, Function<String, InputStream> events,
                                      InputStream firstParty, OutputStream traitsCsv) {
        int people = manifest.people();
        long reference = manifest.streams().values().stream().mapToLong(StreamInfo::maxTime).max()
                .orElse(Long.MIN_VALUE);
        List<Feature> features = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (var e : manifest.streams().entrySet()) {
            streamTraits(e.getKey(), e.getValue(), events.apply(e.getKey()), people, reference, features, values);
        }
        List<String> textColumns = new ArrayList<>();
        String[][] text = firstPartyTraits(manifest, firstParty, people, features, values, textColumns);
        List<String> columns = new ArrayList<>();
        features.forEach(f -> columns.add(f.name()));
        columns.addAll(textColumns);
        write(traitsCsv, people, columns, values, text);
        return new TraitColumns(features, columns);
    }

    private static void streamTraits(String stream, StreamInfo info, InputStream in, int people, long reference,
                                     List<Feature> features, List<double[]> values) {
        boolean dated = info.minTime() != Long.MIN_VALUE;
        boolean hasValue = info.properties().contains("value");
        List<String> products = info.productCounts().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_PRODUCTS).map(Map.Entry::getKey).toList();
        Map<String, Integer> productIndex = new HashMap<>();
        for (int i = 0; i < products.size(); i++) productIndex.put(products.get(i), i);

        // the stream's traits, in the order they are listed; the product shares are the raw shares (clustering
        // shrinks them toward the overall mix, see FeatureScaling)
        List<Feature> mine = new ArrayList<>();
        List<Integer> productOf = new ArrayList<>();
        if (dated) mine.add(new Feature(stream + "_recency_days", Kind.RECENCY_DAYS, stream));
        mine.add(new Feature(stream + "_frequency", Kind.FREQUENCY, stream));
        if (dated) mine.add(new Feature(stream + "_tenure_days", Kind.TENURE_DAYS, stream));
        if (hasValue) {
            mine.add(new Feature(stream + "_total_value", Kind.TOTAL_VALUE, stream));
            mine.add(new Feature(stream + "_average_value", Kind.AVERAGE_VALUE, stream));
        }
        mine.forEach(f -> productOf.add(-1));
        for (int k = 0; k < products.size(); k++) {
            mine.add(new Feature(stream + "_product_share_" + slug(products.get(k)), Kind.PRODUCT_SHARE, products.get(k)));
            productOf.add(k);
        }
        double[][] columns = new double[mine.size()][];
        for (int f = 0; f < columns.length; f++) columns[f] = filled(people, Double.NaN);

        Behaviour behaviour = new Behaviour(hasValue, products.size());
        // one person's open orders: order key (order_id, else datetime, else the event alone) -> {value, valued}
        Map<String, double[]> open = new HashMap<>();
        try (CSVParser p = Csv.read(in)) {
            int valueCol = p.getHeaderMap().getOrDefault("value", -1);
            int productCol = p.getHeaderMap().getOrDefault("product", -1);
            int orderCol = p.getHeaderMap().getOrDefault(ORDER_ID, -1);
            int person = -1, alone = 0;
            for (CSVRecord r : p) { // grouped by person (see DatasetIngestor)
                int who = Integer.parseInt(r.get(0));
                if (who != person) {
                    if (person >= 0) flush(behaviour, open, person, mine, productOf, columns, reference);
                    person = who;
                    alone = 0;
                }
                String t = r.get(1);
                String v = valueCol >= 0 ? r.get(valueCol) : "";
                double value = v.isEmpty() ? Double.NaN : Double.parseDouble(v);
                int product = productCol < 0 ? Integer.MIN_VALUE : productIndex.getOrDefault(r.get(productCol), -1);
                behaviour.line(t.isEmpty() ? Long.MIN_VALUE : Long.parseLong(t), value, product);
                String id = orderCol >= 0 ? r.get(orderCol) : "";
                String key = !id.isEmpty() ? "o" + id : !t.isEmpty() ? "t" + t : "u" + alone++;
                double[] order = open.computeIfAbsent(key, x -> new double[2]);
                if (!Double.isNaN(value)) {
                    order[0] += value;
                    order[1] = 1;
                }
            }
            if (person >= 0) flush(behaviour, open, person, mine, productOf, columns, reference);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int f = 0; f < columns.length; f++) add(features, values, mine.get(f), columns[f]);
    }

    /** Closes one person's orders and writes their traits. */
    private static void flush(Behaviour behaviour, Map<String, double[]> open, int person, List<Feature> features,
                              List<Integer> productOf, double[][] columns, long reference) {
        for (double[] order : open.values()) behaviour.order(order[0], order[1] > 0);
        open.clear();
        for (int f = 0; f < columns.length; f++) {
            columns[f][person] = behaviour.value(features.get(f).kind(), productOf.get(f), reference);
        }
        behaviour.reset();
    }

    /** Reads first-party traits: numeric ones become features, the others stay text columns. */
    private static String[][] firstPartyTraits(DatasetManifest manifest, InputStream in, int people,
                                               List<Feature> features, List<double[]> values,
                                               List<String> textColumns) {
        List<String> names = manifest.traits();
        String[][] text = new String[names.size()][people];
        try (CSVParser p = Csv.read(in)) {
            for (CSVRecord r : p) {
                int person = Integer.parseInt(r.get(0));
                for (int t = 0; t < names.size(); t++) text[t][person] = r.get(t + 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String[]> kept = new ArrayList<>();
        for (int t = 0; t < names.size(); t++) {
            double[] numbers = numeric(text[t]);
            if (numbers != null) {
                add(features, values, new Feature(names.get(t), Kind.USER_DEFINED, names.get(t)), numbers);
            } else {
                categories(names.get(t), text[t], features, values);
                kept.add(text[t]);
                textColumns.add(names.get(t));
            }
        }
        return kept.toArray(String[][]::new);
    }

    /**
     * A text trait with a bounded set of values (at most {@value #MAX_CATEGORY_VALUES}, e.g. marital status or
     * country) is also a clustering input: one 0/1 feature {@code <trait>=<value>} per value that at least
     * {@value #MIN_CATEGORY_SHARE} of the people with a value hold, most common first, at most
     * {@value #MAX_CATEGORY_FEATURES}; missing for people without a value. A free-text trait (more values) stays text.
     */
    private static void categories(String trait, String[] cells, List<Feature> features, List<double[]> values) {
        Map<String, Integer> counts = new HashMap<>();
        int valued = 0;
        for (String c : cells) {
            if (c == null || c.isEmpty()) continue;
            valued++;
            counts.merge(c, 1, Integer::sum);
            if (counts.size() > MAX_CATEGORY_VALUES) return;
        }
        if (counts.size() < 2) return;
        int min = (int) Math.ceil(MIN_CATEGORY_SHARE * valued);
        List<String> chosen = counts.entrySet().stream().filter(e -> e.getValue() >= min)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_CATEGORY_FEATURES).map(Map.Entry::getKey).toList();
        for (String value : chosen) {
            double[] indicator = new double[cells.length];
            for (int i = 0; i < cells.length; i++) {
                String c = cells[i];
                indicator[i] = c == null || c.isEmpty() ? Double.NaN : c.equals(value) ? 1 : 0;
            }
            add(features, values, new Feature(categoryFeature(trait, value), Kind.CATEGORY, value), indicator);
        }
    }

    /** The name of the feature that is 1 when {@code trait} has {@code value}. */
    public static String categoryFeature(String trait, String value) {
        return trait + "=" + value;
    }

    private static double[] numeric(String[] cells) {
        double[] out = new double[cells.length];
        boolean any = false;
        for (int i = 0; i < cells.length; i++) {
            String s = cells[i];
            if (s == null || s.isEmpty()) {
                out[i] = Double.NaN;
                continue;
            }
            try {
                out[i] = Double.parseDouble(s);
                any = true;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return any ? out : null;
    }

    private static void write(OutputStream os, int people, List<String> columns, List<double[]> values,
                              String[][] text) {
        List<String> header = new ArrayList<>();
        header.add("person_id");
        header.addAll(columns);
        try (CSVPrinter out = Csv.write(os, header)) {
            for (int p = 0; p < people; p++) {
                out.print(p);
                for (double[] v : values) out.print(Double.isNaN(v[p]) ? "" : number(v[p]));
                for (String[] t : text) out.print(t[p] == null ? "" : t[p]);
                out.println();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String number(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) return Long.toString((long) x);
        return String.format(Locale.ROOT, "%.4f", x);
    }

    private static void add(List<Feature> features, List<double[]> values, Feature f, double[] v) {
        features.add(f);
        values.add(v);
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    /** A product name as it appears in a trait name: lower-case letters, digits and underscores. */
    public static String slug(String s) {
        String out = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return out.isEmpty() ? "other" : out;
    }
}
