package personae.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;

/**
 * When a dataset looks for new files on its own (Personae's extension, the dataset's {@code refresh} field):
 * {@code {"every": "hour"}}, {@code {"every": "day", "at": "06:00"}} or {@code {"every": "week", "on": "monday",
 * "at": "06:00"}}, times in UTC. A slot is due once: when the latest slot at or before now is later than the last
 * refresh (or, before the first, than the dataset's creation).
 */
public record RefreshSchedule(String every, LocalTime at, DayOfWeek on) {

    /** The dataset field. */
    public static final String FIELD = "refresh";
    public static final List<String> EVERY = List.of("hour", "day", "week");

    /** The schedule of a dataset document, or null when it has none. */
    public static RefreshSchedule of(JsonNode doc) {
        JsonNode r = doc.get(FIELD);
        if (r == null || !r.isObject()) return null;
        String every = r.path("every").asText("day");
        LocalTime at = r.hasNonNull("at") ? LocalTime.parse(r.get("at").asText()) : LocalTime.MIDNIGHT;
        DayOfWeek on = r.hasNonNull("on") ? DayOfWeek.valueOf(r.get("on").asText().toUpperCase(Locale.ROOT))
                : DayOfWeek.MONDAY;
        return new RefreshSchedule(every, at, on);
    }

    /** The latest slot at or before {@code now}. */
    public Instant latestSlot(Instant now) {
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        ZonedDateTime slot = switch (every) {
            case "hour" -> t.truncatedTo(ChronoUnit.HOURS);
            case "week" -> t.with(TemporalAdjusters.previousOrSame(on)).with(at).truncatedTo(ChronoUnit.MINUTES);
            default -> t.with(at).truncatedTo(ChronoUnit.MINUTES);
        };
        if (slot.isAfter(t)) slot = every.equals("week") ? slot.minusWeeks(1) : slot.minusDays(1);
        return slot.toInstant();
    }

    /** Whether a slot has come since {@code last} (the last refresh, or the dataset's creation). */
    public boolean isDue(Instant last, Instant now) {
        return latestSlot(now).isAfter(last);
    }
}
