package personae.core.persona;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Names personas after their most distinctive traits: the features whose centroid (already standardised) lies
 * furthest from the cohort mean. A name is up to two adjectives and a noun, e.g. "Recent Garden Shoppers" or
 * "Lapsed One-time Buyers". Names are non-blank and unique within a model.
 */
public final class PersonaNamer {

    /** A trait must be at least this far (in standard deviations) from the cohort mean to name a persona. */
    static final double SALIENT_Z = 0.5;
    private static final String DEFAULT_NOUN = "Buyers";
    private static final String MAINSTREAM = "Mainstream Buyers";

    /** One word (or phrase) a trait contributes to a name. */
    private record Word(String text, boolean noun, int order, int feature) {
    }

    private PersonaNamer() {
    }

    /** One name per persona, in persona order. */
    public static List<String> names(PersonaModel model) {
        List<String> names = new ArrayList<>(model.k());
        Map<String, Integer> seen = new HashMap<>();
        for (int p = 0; p < model.k(); p++) {
            List<Word> words = words(model, p);
            String name = compose(words, 2);
            // a clash with an earlier persona: describe this one by more traits, then number it
            for (int more = 3; seen.containsKey(name) && more <= words.size(); more++) name = compose(words, more);
            String base = name;
            for (int n = 2; seen.containsKey(name); n++) name = base + " (" + n + ")";
            seen.put(name, p);
            names.add(name);
        }
        return List.copyOf(names);
    }

    /**
     * The {@code n} most distinctive traits of a persona, most distinctive first, e.g.
     * {@code "orders_total_value high (z=+1.8)"}.
     */
    public static List<String> salientTraits(PersonaModel model, int persona, int n) {
        if (persona < 0 || persona >= model.k()) {
            throw new IllegalArgumentException("persona " + persona + " is not in 0.." + (model.k() - 1));
        }
        List<String> out = new ArrayList<>();
        for (int f : byDistinctiveness(model, persona)) {
            if (out.size() >= n) break;
            double z = model.centroid(persona, f);
            out.add(String.format(Locale.ROOT, "%s %s (z=%+.1f)", model.features().get(f).name(), z >= 0 ? "high" : "low", z));
        }
        return List.copyOf(out);
    }

    /** Feature indexes by decreasing |z| of the persona's centroid (feature order breaks ties). */
    private static List<Integer> byDistinctiveness(PersonaModel model, int persona) {
        List<Integer> order = new ArrayList<>();
        for (int f = 0; f < model.features().size(); f++) order.add(f);
        order.sort(Comparator.comparingDouble((Integer f) -> -Math.abs(model.centroid(persona, f)))
                .thenComparingInt(f -> f));
        return order;
    }

    /** The persona's words, most distinctive trait first, only traits at least {@link #SALIENT_Z} away. */
    private static List<Word> words(PersonaModel model, int persona) {
        List<Word> words = new ArrayList<>();
        for (int f : byDistinctiveness(model, persona)) {
            double z = model.centroid(persona, f);
            if (Math.abs(z) < SALIENT_Z) break;
            Word w = word(model, persona, f, z > 0);
            if (w != null) words.add(w);
        }
        return words;
    }

    private static Word word(PersonaModel model, int persona, int f, boolean high) {
        Feature feature = model.features().get(f);
        return switch (feature.kind()) {
            case RECENCY_DAYS -> new Word(high ? "Lapsed" : "Recent", false, 0, f);
            // a short span between first and last order is "New" only for people who bought recently; long ago, it
            // describes one-time buyers
            case TENURE_DAYS -> high ? new Word(lapsed(model, persona) ? "Long-time" : "Loyal", false, 1, f)
                    : lapsed(model, persona) ? new Word("One-time", false, 2, f) : new Word("New", false, 1, f);
            case FREQUENCY -> new Word(high ? "Frequent" : (rawMean(model, persona, f) < 1.5 ? "One-time" : "Occasional"), false, 2, f);
            case TOTAL_VALUE -> new Word(high ? "High-Value" : "Low-Value", false, 3, f);
            case AVERAGE_VALUE -> new Word(high ? "Big-Basket" : "Small-Basket", false, 4, f);
            case USER_DEFINED -> new Word((high ? "High " : "Low ") + title(feature.label()), false, 5, f);
            case PRODUCT_SHARE -> high ? new Word(title(feature.label()), true, 6, f) : null;
            case CATEGORY -> high ? new Word(title(feature.label()), false, 5, f) : null;
        };
    }

    /** Builds a name from at most {@code limit} words: adjectives in a fixed order, then the noun. */
    private static String compose(List<Word> words, int limit) {
        if (words.isEmpty()) return MAINSTREAM;
        List<Word> used = words.subList(0, Math.min(limit, words.size()));
        Set<String> adjectives = new LinkedHashSet<>();
        List<String> products = new ArrayList<>();
        used.stream().sorted(Comparator.comparingInt(Word::order).thenComparingInt(Word::feature)).forEach(w -> {
            if (w.noun()) products.add(w.text()); else adjectives.add(w.text());
        });
        String noun = products.isEmpty() ? DEFAULT_NOUN : String.join(" & ", products) + " Shoppers";
        return adjectives.isEmpty() ? noun : String.join(" ", adjectives) + " " + noun;
    }

    private static boolean lapsed(PersonaModel model, int persona) {
        for (int f = 0; f < model.features().size(); f++) {
            if (model.features().get(f).kind() == Feature.Kind.RECENCY_DAYS && model.centroid(persona, f) >= SALIENT_Z) return true;
        }
        return false;
    }

    private static double rawMean(PersonaModel model, int persona, int f) {
        Double mean = model.centers().get(persona).get(model.features().get(f).name());
        return mean == null ? Double.NaN : mean;
    }

    /** {@code "garden_tools"} → {@code "Garden Tools"}. */
    static String title(String label) {
        if (label == null || label.isBlank()) return "Other";
        StringBuilder out = new StringBuilder();
        for (String part : label.trim().replace('_', ' ').split("\\s+")) {
            if (part.isEmpty()) continue;
            if (!out.isEmpty()) out.append(' ');
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }
}
