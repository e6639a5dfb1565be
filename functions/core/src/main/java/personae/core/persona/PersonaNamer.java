package personae.core.persona;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Names personas after their distinctive traits ({@link PersonaProfiles#distinctive}), so a name never says what the
 * numbers shown beside it contradict. A name is up to two words and a noun, e.g. "Recent Garden Shoppers" or
 * "Lapsed One-time Buyers": each word fills one slot (activity, tenure, frequency, value, basket, a category, a
 * first-party trait), words that would contradict each other are dropped ("New" for a lapsed persona, a tenure word
 * for one-time buyers), and a product names the persona only when its label reads as a name (not a code such as
 * "22423", not "other"). Names are non-blank and unique within a model.
 */
public final class PersonaNamer {

    private static final String DEFAULT_NOUN = "Buyers";
    private static final String MAINSTREAM = "Mainstream Buyers";
    /**
     * Labels that name no kind of product: placeholders, and the charges order files carry as lines (postage,
     * carriage, fees, discounts, manual adjustments).
     */
    private static final Set<String> NOT_A_PRODUCT = Set.of("other", "others", "misc", "miscellaneous", "unknown",
            "none", "n/a", "na", "null", "-", "default", "postage", "dotcom postage", "carriage", "shipping",
            "delivery", "manual", "discount", "bank charges", "amazon fee", "adjust bad debt", "samples", "fee");
    /** A product label longer than this many words is not used in a name. */
    private static final int MAX_PRODUCT_WORDS = 4;

    /** The slots of a name, in the order their words are written. */
    private enum Slot { ACTIVITY, TENURE, FREQUENCY, VALUE, BASKET, CATEGORY, USER, PRODUCT }

    /** One word (or phrase) a trait contributes to a name. */
    private record Word(String text, Slot slot, int rank) {
    }

    private PersonaNamer() {
    }

    /** One name per persona, in persona order, from the cohort's means of the model's features ({@code table}). */
    public static List<String> names(PersonaModel model, FeatureTable table) {
        double[] means = PersonaProfiles.means(table);
        List<List<PersonaProfiles.Distinctive>> distinctive = new ArrayList<>();
        for (int p = 0; p < model.k(); p++) distinctive.add(PersonaProfiles.distinctive(model, p, means, null));
        return names(model, distinctive);
    }

    /** One name per persona, in persona order, from each persona's distinctive traits (most distinctive first). */
    public static List<String> names(PersonaModel model, List<List<PersonaProfiles.Distinctive>> distinctive) {
        List<String> names = new ArrayList<>(model.k());
        Set<String> seen = new HashSet<>();
        for (int p = 0; p < model.k(); p++) {
            List<Word> words = words(model, p, distinctive.get(p));
            String name = compose(words, 2);
            // a clash with an earlier persona: describe this one by more traits, then number it
            for (int more = 3; seen.contains(name) && more <= words.size(); more++) name = compose(words, more);
            String base = name;
            for (int n = 2; seen.contains(name); n++) name = base + " (" + n + ")";
            seen.add(name);
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** The persona's words, most distinctive first, one per slot, without contradictions. */
    private static List<Word> words(PersonaModel model, int persona, List<PersonaProfiles.Distinctive> traits) {
        Map<String, Feature> byName = new HashMap<>();
        model.features().forEach(f -> byName.put(f.name(), f));
        boolean lapsed = traits.stream().anyMatch(d -> d.higher() && byName.get(d.trait()).kind() == Feature.Kind.RECENCY_DAYS);
        List<Word> words = new ArrayList<>();
        Set<Slot> filled = EnumSet.noneOf(Slot.class);
        int products = 0;
        for (PersonaProfiles.Distinctive d : traits) {
            Word w = word(byName.get(d.trait()), d, lapsed, words.size());
            if (w == null || w.slot() != Slot.PRODUCT && !filled.add(w.slot())) continue;
            if (w.slot() == Slot.PRODUCT && ++products > 2) continue;
            words.add(w);
        }
        // "One-time" already says the span is short; "New" says recent
        if (filled.contains(Slot.FREQUENCY) && words.stream().anyMatch(w -> w.text().equals("One-time"))) {
            words.removeIf(w -> w.slot() == Slot.TENURE);
        }
        if (words.stream().anyMatch(w -> w.text().equals("New"))) words.removeIf(w -> w.text().equals("Recent"));
        return words;
    }

    private static Word word(Feature feature, PersonaProfiles.Distinctive d, boolean lapsed, int rank) {
        boolean high = d.higher();
        return switch (feature.kind()) {
            case RECENCY_DAYS -> new Word(high ? "Lapsed" : "Recent", Slot.ACTIVITY, rank);
            // a short span between first and last order is "New" only for people who bought recently
            case TENURE_DAYS -> high ? new Word(lapsed ? "Long-time" : "Loyal", Slot.TENURE, rank)
                    : lapsed ? null : new Word("New", Slot.TENURE, rank);
            case FREQUENCY -> new Word(high ? "Frequent" : d.persona() < 1.5 ? "One-time" : "Occasional", Slot.FREQUENCY, rank);
            case TOTAL_VALUE -> new Word(high ? "High-Value" : "Low-Value", Slot.VALUE, rank);
            case AVERAGE_VALUE -> new Word(high ? "Big-Basket" : "Small-Basket", Slot.BASKET, rank);
            case USER_DEFINED -> new Word((high ? "High " : "Low ") + TraitWords.readable(feature.label()), Slot.USER, rank);
            case CATEGORY -> high ? new Word(TraitWords.readable(feature.label()), Slot.CATEGORY, rank) : null;
            case PRODUCT_SHARE -> high && readsAsName(feature.label())
                    ? new Word(TraitWords.readable(feature.label()), Slot.PRODUCT, rank) : null;
        };
    }

    /** Whether a product label can stand in a name: mostly letters, a few words, not a placeholder. */
    static boolean readsAsName(String label) {
        if (label == null) return false;
        String t = label.trim();
        if (NOT_A_PRODUCT.contains(t.toLowerCase(Locale.ROOT))) return false;
        long letters = t.chars().filter(Character::isLetter).count();
        long digits = t.chars().filter(Character::isDigit).count();
        return letters >= 3 && digits * 2 < letters && t.split("[\\s_]+").length <= MAX_PRODUCT_WORDS;
    }

    /** Builds a name from at most {@code limit} words: the others in slot order, then the noun. */
    private static String compose(List<Word> words, int limit) {
        if (words.isEmpty()) return MAINSTREAM;
        List<Word> used = words.subList(0, Math.min(limit, words.size()));
        List<String> adjectives = new ArrayList<>();
        List<String> products = new ArrayList<>();
        used.stream().sorted(Comparator.comparing(Word::slot).thenComparingInt(Word::rank)).forEach(w -> {
            if (w.slot() == Slot.PRODUCT) products.add(w.text()); else adjectives.add(w.text());
        });
        String noun = products.isEmpty() ? DEFAULT_NOUN : String.join(" & ", products) + " Shoppers";
        return adjectives.isEmpty() ? noun : String.join(" ", adjectives) + " " + noun;
    }
}
