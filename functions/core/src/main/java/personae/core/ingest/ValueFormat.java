package personae.core.ingest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * DataMapColumnFormat: how a CSV cell becomes a date (epoch seconds, UTC), a number or a list. Spellings are the v1
 * API's. Date formats ignore any time part after the date, except the ISO-8601 and epoch ones.
 */
public final class ValueFormat {

    public static final Set<String> ALL = Set.of("currency_cents", "currency_dollars", "mm_dd_yy_slash",
            "mm_dd_yyyy_slash", "mm_dd_yy_dash", "mm_dd_yyyy_dash", "yyyy_mm_dd_slash", "yy_mm_dd_slash",
            "yyyy_mm_dd_dash", "yy_mm_dd_dash", "yyyymmdd", "yyyymm", "date_iso8601", "date_month_day_fullyear",
            "date_month_day_shortyear", "date_month_day_fullyear_hours_minutes",
            "date_month_day_fullyear_hours_minutes_seconds", "date_seconds_since_epoch_utc",
            "date_milliseconds_since_epoch_utc", "list_comma_separated", "list_semicolon_separated",
            "list_single_value", "static_date_iso8601");

    private ValueFormat() {}

    /** A cell that does not fit its format; the message says what was expected. */
    public static final class FormatException extends RuntimeException {
        public FormatException(String message) {
            super(message);
        }
    }

    /** Parses a date cell into epoch seconds (UTC). {@code format} may be null: ISO-8601 is then tried. */
    public static long epochSeconds(String raw, String format) {
        String s = raw.trim();
        try {
            if (format == null || format.equals("date_iso8601") || format.equals("static_date_iso8601")) {
                return iso(s);
            }
            return switch (format) {
                case "date_seconds_since_epoch_utc" -> (long) Double.parseDouble(s);
                case "date_milliseconds_since_epoch_utc" -> (long) (Double.parseDouble(s) / 1000);
                case "yyyy_mm_dd_dash" -> date(s, "yyyy-MM-dd", 10);
                case "yyyy_mm_dd_slash" -> date(s, "yyyy/MM/dd", 10);
                case "yy_mm_dd_dash" -> date(s, "yy-MM-dd", 8);
                case "yy_mm_dd_slash" -> date(s, "yy/MM/dd", 8);
                case "mm_dd_yyyy_slash", "date_month_day_fullyear", "date_month_day_fullyear_hours_minutes",
                     "date_month_day_fullyear_hours_minutes_seconds" -> date(s, "M/d/yyyy", -1);
                case "mm_dd_yy_slash", "date_month_day_shortyear" -> date(s, "M/d/yy", -1);
                case "mm_dd_yyyy_dash" -> date(s, "M-d-yyyy", -1);
                case "mm_dd_yy_dash" -> date(s, "M-d-yy", -1);
                case "yyyymmdd" -> date(s, "yyyyMMdd", 8);
                case "yyyymm" -> date(s + "01", "yyyyMMdd", 8);
                default -> throw new FormatException("format " + format + " is not a date format");
            };
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new FormatException("'" + raw + "' is not a date in format " + (format == null ? "date_iso8601" : format));
        }
    }

    private static long iso(String s) {
        if (s.length() <= 10) return LocalDate.parse(s).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        String t = s.replace(' ', 'T');
        // no offset (the usual "2011-12-09 12:50"): a local time read as UTC, without trying the zoned forms first
        if (!hasOffset(t)) return LocalDateTime.parse(t).toEpochSecond(ZoneOffset.UTC);
        try {
            return OffsetDateTime.parse(t).toEpochSecond();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(t).getEpochSecond();
            } catch (DateTimeParseException e2) {
                return LocalDateTime.parse(t).toEpochSecond(ZoneOffset.UTC);
            }
        }
    }

    private static boolean hasOffset(String t) {
        char last = t.charAt(t.length() - 1);
        return last == 'Z' || last == 'z' || t.indexOf('+', 10) > 0 || t.indexOf('-', 10) > 0;
    }

    /** A date pattern; {@code yy} is a two-digit year in 2000..2099. */
    private static DateTimeFormatter formatter(String pattern) {
        return FORMATTERS.computeIfAbsent(pattern, p -> {
            var b = new java.time.format.DateTimeFormatterBuilder();
            int i = 0;
            while (i < p.length()) {
                if (p.startsWith("yyyy", i)) {
                    b.appendValue(java.time.temporal.ChronoField.YEAR, 4);
                    i += 4;
                } else if (p.startsWith("yy", i)) {
                    b.appendValueReduced(java.time.temporal.ChronoField.YEAR, 2, 2, 2000);
                    i += 2;
                } else if (p.startsWith("MM", i)) {
                    b.appendValue(java.time.temporal.ChronoField.MONTH_OF_YEAR, 2);
                    i += 2;
                } else if (p.startsWith("dd", i)) {
                    b.appendValue(java.time.temporal.ChronoField.DAY_OF_MONTH, 2);
                    i += 2;
                } else if (p.charAt(i) == 'M') {
                    b.appendValue(java.time.temporal.ChronoField.MONTH_OF_YEAR, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE);
                    i++;
                } else if (p.charAt(i) == 'd') {
                    b.appendValue(java.time.temporal.ChronoField.DAY_OF_MONTH, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE);
                    i++;
                } else {
                    b.appendLiteral(p.charAt(i));
                    i++;
                }
            }
            return b.toFormatter();
        });
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, DateTimeFormatter> FORMATTERS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static long date(String s, String pattern, int fixedLength) {
        String d = s;
        if (fixedLength > 0 && d.length() > fixedLength) {
            d = d.substring(0, fixedLength);
        } else if (fixedLength < 0) {
            int cut = d.indexOf(' ');
            if (cut < 0) cut = d.indexOf('T');
            if (cut > 0) d = d.substring(0, cut);
        }
        return LocalDate.parse(d, formatter(pattern)).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }

    /** A number cell; {@code currency_cents} is divided by 100 so values are always in dollars. */
    public static double number(String raw, String format) {
        String s = raw.trim().replace("$", "").replace(",", "");
        try {
            double v = Double.parseDouble(s);
            return "currency_cents".equals(format) ? v / 100.0 : v;
        } catch (NumberFormatException e) {
            throw new FormatException("'" + raw + "' is not a number" + (format == null ? "" : " in format " + format));
        }
    }

    /** The values of a list cell ({@code list_*} formats); any other format gives the trimmed cell. */
    public static List<String> list(String raw, String format) {
        String sep = "list_comma_separated".equals(format) ? "," : "list_semicolon_separated".equals(format) ? ";" : null;
        if (sep == null) return List.of(raw.trim());
        return java.util.Arrays.stream(raw.split(java.util.regex.Pattern.quote(sep))).map(String::trim)
                .filter(v -> !v.isEmpty()).toList();
    }

    public static boolean isDate(String format) {
        return format != null && !format.startsWith("currency") && !format.startsWith("list_");
    }
}
