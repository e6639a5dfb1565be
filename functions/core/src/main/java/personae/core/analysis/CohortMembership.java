package personae.core.analysis;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A cohort's size over time ({@code CohortAnalysisMembership}): each of its members counts from the day of their first
 * event in the cohort's stream on, so the size on a day is how many of today's members had joined by then (the cohort
 * as it is now, not re-evaluated as of each day: a recency condition that would have excluded someone then does not).
 * {@code days}: every day of the data's span (its last {@value PersonaFlow#MAX_DAYS} days at most); {@code weeks}: the
 * last day of each ISO week (Sunday) and {@code months}: the last day of each month, each with the size on that date,
 * the data's last day closing the last week and month.
 */
public final class CohortMembership {

    private CohortMembership() {}

    public record Membership(List<PersonaFlow.Day> days, List<PersonaFlow.Day> weeks, List<PersonaFlow.Day> months) {}

    /**
     * @param joinDays     per member, the epoch day of their first event (members without one are left out: {@code Long.MIN_VALUE})
     * @param firstDataDay the epoch day of the data's first event
     * @param lastDataDay  the epoch day of the data's last event
     */
    public static Membership of(long[] joinDays, long firstDataDay, long lastDataDay) {
        long first = Math.max(firstDataDay, lastDataDay - PersonaFlow.MAX_DAYS + 1);
        List<PersonaFlow.Day> days = new ArrayList<>(), weeks = new ArrayList<>(), months = new ArrayList<>();
        if (lastDataDay < first) return new Membership(days, weeks, months);
        long[] sorted = Arrays.stream(joinDays).filter(d -> d != Long.MIN_VALUE).sorted().toArray();
        int joined = 0;
        for (long day = first; day <= lastDataDay; day++) {
            while (joined < sorted.length && sorted[joined] <= day) joined++;
            LocalDate date = LocalDate.ofEpochDay(day);
            PersonaFlow.Day d = new PersonaFlow.Day(date.toString(), joined);
            days.add(d);
            boolean last = day == lastDataDay;
            if (last || date.getDayOfWeek() == DayOfWeek.SUNDAY) weeks.add(d);
            if (last || date.getDayOfMonth() == date.lengthOfMonth()) months.add(d);
        }
        return new Membership(days, weeks, months);
    }
}
