package personae.core.persona;

import java.util.Locale;

/**
 * Traits in words a marketer reads: a trait's human name ("days since last order", "Net Promoter Score") and a
 * persona's value against the cohort's ("orders every 3 weeks vs every 4 months"). Never a machine name or a raw
 * z-score. Numbers are the real (raw) means.
 */
public final class TraitWords {

    private TraitWords() {}

    /** The human name of a feature: behavioural traits by what they measure, the others a readable form of the name. */
    public static String name(Feature f) {
        String event = singular(f.label());
        return switch (f.kind()) {
            case RECENCY_DAYS -> "days since last " + event;
            case FREQUENCY -> "number of " + f.label();
            case TENURE_DAYS -> "days between first and last " + event;
            case TOTAL_VALUE -> "total spend (" + f.label() + ")";
            case AVERAGE_VALUE -> "average " + event + " value";
            case PRODUCT_SHARE -> "share of " + readable(f.label());
            case USER_DEFINED -> readable(f.label());
            case CATEGORY -> readable(f.trait());
        };
    }

    /**
     * The persona's value against the cohort's, in words, e.g. {@code "last order 12 days ago vs 4 months ago for the
     * cohort"}.
     *
     * @param repeatInterval persona's and cohort's days between orders among repeat buyers, or {@code null}: for
     *                       {@link Feature.Kind#FREQUENCY}, said instead of the counts when both are known and differ
     */
    public static String compare(Feature f, double persona, double cohort, double[] repeatInterval) {
        String event = singular(f.label());
        return switch (f.kind()) {
            case RECENCY_DAYS -> "last " + event + " " + duration(persona) + " ago vs " + duration(cohort) + " ago for the cohort";
            case FREQUENCY -> repeatInterval != null && persona >= 1.5 && cohort >= 1.5
                    && differ(repeatInterval[0], repeatInterval[1])
                    ? f.label() + " every " + duration(repeatInterval[0]) + " vs every " + duration(repeatInterval[1])
                    + " for the cohort"
                    : number(persona) + " " + f.label() + " per person vs " + number(cohort) + " for the cohort";
            case TENURE_DAYS -> duration(persona) + " between first and last " + event + " vs " + duration(cohort)
                    + " for the cohort";
            case TOTAL_VALUE -> "spends " + number(persona) + " in total vs " + number(cohort) + " for the cohort";
            case AVERAGE_VALUE -> "average " + event + " of " + number(persona) + " vs " + number(cohort) + " for the cohort";
            case PRODUCT_SHARE -> readable(f.label()) + " is " + percent(persona) + " of purchases vs " + percent(cohort)
                    + " for the cohort";
            case USER_DEFINED -> readable(f.label()) + " " + number(persona) + " on average vs " + number(cohort)
                    + " for the cohort";
            case CATEGORY -> readable(f.trait()) + " is " + f.label() + " for " + percent(persona) + " vs " + percent(cohort)
                    + " for the cohort";
        };
    }

    /** Whether two spans read differently enough to compare them (a quarter apart, and not the same words). */
    private static boolean differ(double a, double b) {
        return Math.max(a, b) >= 1.25 * Math.min(a, b) && !duration(a).equals(duration(b));
    }

    /** A span of days as a marketer says it: "5 days", "3 weeks", "4 months", "2 years". */
    public static String duration(double days) {
        if (!Double.isFinite(days)) return "unknown";
        if (days < 1.5) return days < 0.5 ? "less than a day" : "1 day";
        if (days < 14) return Math.round(days) + " days";
        if (days < 60) return plural(Math.round(days / 7), "week");
        if (days < 730) return plural(Math.round(days / 30.44), "month");
        return plural(Math.round(days / 365.25), "year");
    }

    /** A number with at most 3 significant digits past the integer part and thousands separators: 1,234 / 2.4 / 0.05. */
    public static String number(double x) {
        if (!Double.isFinite(x)) return "unknown";
        double a = Math.abs(x);
        if (a >= 100) return String.format(Locale.ROOT, "%,d", Math.round(x));
        if (a >= 10) return trim(String.format(Locale.ROOT, "%.1f", x));
        return trim(String.format(Locale.ROOT, "%.2f", x));
    }

    /** A share 0..1 as a whole percentage (under 1%: one decimal). */
    public static String percent(double share) {
        double p = share * 100;
        return (p > 0 && p < 1 ? trim(String.format(Locale.ROOT, "%.1f", p)) : Long.toString(Math.round(p))) + "%";
    }

    /**
     * A column or product name made readable: underscores and camel case split, each word capitalised
     * ({@code "MntWines"} → {@code "Mnt Wines"}, {@code "home_decor"} → {@code "Home Decor"}); upper-case text
     * ({@code "WHITE HANGING HEART"}) is put in title case.
     */
    public static String readable(String label) {
        if (label == null || label.isBlank()) return "Other";
        String spaced = label.trim().replace('_', ' ').replace('-', ' ')
                .replaceAll("(?<=[a-z])(?=[A-Z])", " ").replaceAll("(?<=[A-Z])(?=[A-Z][a-z])", " ");
        StringBuilder out = new StringBuilder();
        for (String part : spaced.split("\\s+")) {
            if (part.isEmpty()) continue;
            if (!out.isEmpty()) out.append(' ');
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    /** "orders" → "order"; a stream name that is not a plural stays as it is. */
    static String singular(String stream) {
        String s = stream == null ? "event" : stream.replace('_', ' ');
        return s.endsWith("s") && !s.endsWith("ss") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    private static String trim(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
